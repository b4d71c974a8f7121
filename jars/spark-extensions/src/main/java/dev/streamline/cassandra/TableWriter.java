package dev.streamline.cassandra;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import dev.streamline.sink.RowWritableFormat;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.apache.spark.TaskContext;
import org.apache.spark.executor.OutputMetrics;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * One task's rows written to the table: bound from Spark's rows as they come, grouped into batches,
 * sent asynchronously. {@link #finish} waits for them all; {@link #close} gives the session back.
 */
final class TableWriter implements RowWritableFormat.Writer {
  /** The one group of every row when rows are not grouped (or the cluster's token map is unknown). */
  private static final Object ANY = new Object();

  private final TableWrite write;
  private final WriteSettings settings;
  private final CqlIdentifier keyspace;
  private final CqlSession session;
  private final PreparedStatement insert;
  private final Optional<TokenMap> tokens;
  private final InFlightWrites inFlight;
  private final Batches batches;
  private long written;
  private long bytesWritten;
  private boolean finished;
  /** A stop interrupted a write: the query is going away, nothing to wait for. */
  private boolean interrupted;

  TableWriter(TableWrite write) {
    this.write = write;
    this.settings = write.settings();
    this.keyspace = CqlIdentifier.fromInternal(write.keyspace());
    // The connector's session of this executor for these settings (opened once, shared by its tasks).
    this.session = write.connector().openSession();
    try {
      this.insert = session.prepare(write.insert());
      this.tokens = settings.grouping() == WriteSettings.Grouping.REPLICA_SET ? session.getMetadata().getTokenMap() : Optional.empty();
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
    this.inFlight = new InFlightWrites(session, write.target(), settings.concurrentWrites());
    this.batches = new Batches(settings, DefaultConsistencyLevel.valueOf(settings.consistency()), keyspace, inFlight::submit);
  }

  @Override
  public void write(InternalRow source) throws InterruptedException {
    BoundStatementBuilder row = insert.boundStatementBuilder().setIdempotence(true);
    int bytes = bind(source, row);
    ByteBuffer routingKey = routingKey(source, row);
    Object group = switch (settings.grouping()) {
      case NONE -> ANY;
      case PARTITION -> routingKey;
      case REPLICA_SET -> tokens.<Object>map(t -> t.getReplicas(keyspace, routingKey)).orElse(ANY);
    };
    try {
      batches.add(group, row.setRoutingKey(routingKey).build(), bytes);
    } catch (InterruptedException e) {
      interrupted = true;
      throw e;
    }
    written++;
    bytesWritten += bytes;
  }

  @Override
  public void finish() throws InterruptedException {
    try {
      batches.sendAll();
      inFlight.awaitAll();
    } catch (InterruptedException e) {
      interrupted = true;
      throw e;
    }
    finished = true;
    count(written, bytesWritten);
  }

  @Override
  public void close() {
    try {
      // After a failure, not after a stop's interruption (the query is going away): the writes still
      // in flight end before the session goes back to the connector's cache.
      if (!finished && !interrupted) inFlight.settle();
    } finally {
      session.close();
    }
  }

  /** Binds a row's values; returns their size in bytes (what a batch's size in bytes counts). */
  private int bind(InternalRow source, BoundStatementBuilder row) {
    int bytes = 0;
    ColumnEncoder[] encoders = write.encoders();
    int[] ordinals = write.ordinals();
    for (int i = 0; i < encoders.length; i++) {
      int ordinal = ordinals[i];
      if (source.isNullAt(ordinal)) {
        // Unset leaves the column as it is; null deletes it (the connector's default).
        if (!settings.ignoreNulls()) row.setBytesUnsafe(i, null);
        continue;
      }
      ByteBuffer value;
      try {
        value = encoders[i].encode(source, ordinal);
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
      if (source.isNullAt(write.ordinals()[key[k]])) {
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
