package dev.streamline.cassandra;

import com.datastax.spark.connector.cql.CassandraConnector;
import dev.streamline.sink.RowWritableFormat;

/**
 * What every task of one write needs, sent to the executors: how to connect (the connector's
 * serializable connector, whose sessions are cached per executor), the INSERT, and per column its
 * encoder and its position in the rows the tasks are given (the split sink's rows carry more columns
 * than one table's); the partition key as positions among the columns (for routing and grouping).
 */
record TableWrite(
    CassandraConnector connector,
    String target,
    String keyspace,
    String insert,
    String[] columns,
    ColumnEncoder[] encoders,
    int[] ordinals,
    int[] partitionKey,
    WriteSettings settings)
    implements RowWritableFormat.Write {
  @Override
  public RowWritableFormat.Writer open() {
    return new TableWriter(this);
  }
}
