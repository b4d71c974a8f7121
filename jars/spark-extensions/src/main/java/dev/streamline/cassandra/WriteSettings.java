package dev.streamline.cassandra;

import com.datastax.spark.connector.BatchSize;
import com.datastax.spark.connector.BytesInBatch;
import com.datastax.spark.connector.RowsInBatch;
import com.datastax.spark.connector.writer.BatchGroupingKey;
import com.datastax.spark.connector.writer.TTLOption;
import com.datastax.spark.connector.writer.TimestampOption;
import com.datastax.spark.connector.writer.WriteConf;
import java.io.Serializable;
import org.apache.spark.SparkConf;

/**
 * The Cassandra connector's write settings ({@code spark.cassandra.output.*}) as this writer honours
 * them, parsed by the connector itself so that a setting means the same with either writer: batch size
 * in rows or bytes, batch grouping, consistency level, writes in flight per task, nulls left unset.
 * The connector's settings this writer does not implement are refused, never ignored.
 */
record WriteSettings(int maxRows, int maxBytes, Grouping grouping, int groupingBuffer, String consistency, int concurrentWrites, boolean ignoreNulls)
    implements Serializable {

  /** Which rows may share an unlogged batch (spark.cassandra.output.batch.grouping.key). */
  enum Grouping {
    /** Any rows: one batch at a time. */
    NONE,
    /** Rows of one partition. */
    PARTITION,
    /** Rows whose replicas are the same nodes: a batch goes to nodes that own all of it. */
    REPLICA_SET
  }

  static WriteSettings from(SparkConf conf) {
    WriteConf wc = WriteConf.fromSparkConf(conf);
    refuseIf(wc.ifNotExists(), "spark.cassandra.output.ifNotExists");
    refuseIf(!wc.ttl().equals(TTLOption.defaultValue()), "spark.cassandra.output.ttl");
    refuseIf(!wc.timestamp().equals(TimestampOption.defaultValue()), "spark.cassandra.output.timestamp");
    refuseIf(wc.throughputMiBPS().isDefined(), "spark.cassandra.output.throughputMBPerSec");
    BatchSize size = wc.batchSize();
    int maxRows = size instanceof RowsInBatch rows ? rows.batchSize() : Integer.MAX_VALUE;
    int maxBytes = size instanceof BytesInBatch bytes ? bytes.batchSize() : Integer.MAX_VALUE;
    BatchGroupingKey key = wc.batchGroupingKey();
    Grouping grouping = key == BatchGroupingKey.None$.MODULE$ ? Grouping.NONE : key == BatchGroupingKey.ReplicaSet$.MODULE$ ? Grouping.REPLICA_SET : Grouping.PARTITION;
    return new WriteSettings(maxRows, maxBytes, grouping, wc.batchGroupingBufferSize(), wc.consistencyLevel().name(), wc.parallelismLevel(), wc.ignoreNulls());
  }

  private static void refuseIf(boolean set, String option) {
    if (set) {
      throw new IllegalArgumentException(
          CassandraWriterProvider.NAME + ": " + option + " is not supported; write through the Cassandra connector's own format (org.apache.spark.sql.cassandra) to use it");
    }
  }
}
