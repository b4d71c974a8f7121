package dev.streamline.cassandra;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.Optional;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.VoidFunction;
import org.apache.spark.executor.OutputMetrics;
import org.apache.spark.sql.catalyst.InternalRow;

/** One task's rows written to the table: bound from Spark's rows, grouped into batches, sent asynchronously. */
final class PartitionWriter implements VoidFunction<Iterator<InternalRow>> {
  /** The one group of every row when rows are not grouped (or the cluster's token map is unknown). */
  private static final Object ANY = new Object();

  private final TableWrite write;

  PartitionWriter(TableWrite write) {
    this.write = write;
  }

  @Override
  public void call(Iterator<InternalRow> rows) throws Exception {
    WriteSettings settings = write.settings();
    CqlIdentifier keyspace = CqlIdentifier.fromInternal(write.keyspace());
    // The connector's session of this executor for these settings (opened once, shared by its tasks).
    try (CqlSession session = write.connector().openSession()) {
      PreparedStatement insert = session.prepare(write.insert());
      Optional<TokenMap> tokens = settings.grouping() == WriteSettings.Grouping.REPLICA_SET ? session.getMetadata().getTokenMap() : Optional.empty();
      InFlightWrites inFlight = new InFlightWrites(session, write.target(), settings.concurrentWrites());
      Batches batches = new Batches(settings, DefaultConsistencyLevel.valueOf(settings.consistency()), keyspace, inFlight::submit);
      long written = 0;
      long bytesWritten = 0;
      try {
        while (rows.hasNext()) {
          BoundStatementBuilder row = insert.boundStatementBuilder().setIdempotence(true);
          InternalRow source = rows.next();
          int bytes = bind(source, row);
          ByteBuffer routingKey = routingKey(source, row);
          Object group = switch (settings.grouping()) {
            case NONE -> ANY;
            case PARTITION -> routingKey;
            case REPLICA_SET -> tokens.<Object>map(t -> t.getReplicas(keyspace, routingKey)).orElse(ANY);
          };
          batches.add(group, row.setRoutingKey(routingKey).build(), bytes);
          written++;
          bytesWritten += bytes;
        }
        batches.sendAll();
        inFlight.awaitAll();
      } catch (RuntimeException | Error e) {
        // Not after an interruption (a stop: the query is going away), which goes through as it is.
        inFlight.settle();
        throw e;
      }
      count(written, bytesWritten);
    }
  }

  /** Binds a row's values; returns their size in bytes (what a batch's size in bytes counts). */
  private int bind(InternalRow source, BoundStatementBuilder row) {
    int bytes = 0;
    ColumnEncoder[] encoders = write.encoders();
    for (int i = 0; i < encoders.length; i++) {
      if (source.isNullAt(i)) {
        // Unset leaves the column as it is; null deletes it (the connector's default).
        if (!write.settings().ignoreNulls()) row.setBytesUnsafe(i, null);
        continue;
      }
      ByteBuffer value;
      try {
        value = encoders[i].encode(source, i);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(CassandraWriterProvider.NAME + ": column " + write.columns()[i] + " of " + write.target() + ": " + e.getMessage(), e);
      }
      row.setBytesUnsafe(i, value);
      bytes += value.remaining();
    }
    return bytes;
  }

  /** The partition key's bytes: one column's value, or the composite of several (the protocol's form). */
  private ByteBuffer routingKey(InternalRow source, BoundStatementBuilder row) {
    int[] key = write.partitionKey();
    ByteBuffer[] parts = new ByteBuffer[key.length];
    int size = 0;
    for (int k = 0; k < key.length; k++) {
      if (source.isNullAt(key[k])) {
        throw new IllegalArgumentException(
            CassandraWriterProvider.NAME + ": a row of " + write.target() + " has no value for " + write.columns()[key[k]] + ", a partition key column");
      }
      parts[k] = row.getBytesUnsafe(key[k]);
      size += parts[k].remaining();
    }
    if (key.length == 1) return parts[0];
    ByteBuffer composite = ByteBuffer.allocate(size + 3 * key.length);
    for (ByteBuffer part : parts) {
      composite.putShort((short) part.remaining()).put(part.duplicate()).put((byte) 0);
    }
    return composite.flip();
  }

  /** The task's output metrics (the Spark UI's "Output" of the stage), as the connector's writer reports them. */
  private static void count(long rows, long bytes) {
    TaskContext task = TaskContext.get();
    if (task == null) return;
    OutputMetrics metrics = task.taskMetrics().outputMetrics();
    metrics.setRecordsWritten(metrics.recordsWritten() + rows);
    metrics.setBytesWritten(metrics.bytesWritten() + bytes);
  }
}
