package dev.streamline.sink;

import static org.apache.spark.sql.functions.col;

import dev.streamline.sink.SplitSinkOptions.Projection;
import dev.streamline.sink.SplitSinkOptions.Route;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Dataset$;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.LogicalRDD$;
import org.apache.spark.sql.execution.streaming.Sink;
import org.apache.spark.sql.execution.streaming.StreamExecution$;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

/**
 * Writes each micro-batch in two parts: the rows whose split column is null through the accepted
 * route, the others through the rejected route.
 *
 * <p>When both routes' formats can be written row by row from the sink's own tasks
 * ({@link RowWritableFormat}, as streamline-cassandra can), the micro-batch is computed once and each row
 * handed to its route's writer as it is computed: one Spark job, nothing kept.
 *
 * <p>Otherwise each route is written with its format's {@code save()}, one after the other, and the
 * micro-batch is computed once and kept for the second write: two streaming queries over the same
 * source would each read and classify every message, and each pay a micro-batch's fixed cost
 * (planning, scheduling, checkpoint commits). The rows are kept as the copies the computation produced
 * (an RDD cache, spilled to disk if memory runs short), not as Spark's columnar table cache, whose
 * encoding of every column cost more than it saved (bench/README.md). The rejected route's write is
 * skipped when the batch has no such row, which is most batches.
 *
 * <p>If a write fails, the batch fails and is replayed whole after a restart, so the routes' writes
 * must be idempotent (keyed upserts, as Cassandra's are) for exactly-once results.
 */
final class SplitSink implements Sink {
  private final SplitSinkOptions options;
  /** Both routes' formats when both can be written row by row, else null. */
  private final RowWritableFormat acceptedFormat;
  private final RowWritableFormat rejectedFormat;

  SplitSink(SplitSinkOptions options, Optional<RowWritableFormat> accepted, Optional<RowWritableFormat> rejected) {
    this.options = options;
    boolean onePass = accepted.isPresent() && rejected.isPresent();
    this.acceptedFormat = onePass ? accepted.get() : null;
    this.rejectedFormat = onePass ? rejected.get() : null;
  }

  @Override
  public void addBatch(long batchId, Dataset<Row> data) {
    int split = columnIndex(data, options.splitColumn, SplitSinkOptions.SPLIT_COLUMN);
    if (acceptedFormat != null) {
      writeInOnePass(batchId, data, split); // each route's columns are found (or named missing) as it is prepared
      return;
    }
    for (Route route : new Route[] {options.accepted, options.rejected}) {
      for (Projection p : route.columns()) columnIndex(data, p.source(), route.label() + ".columns");
    }
    LongAccumulator rejected = data.sparkSession().sparkContext().longAccumulator("streamline-split rejected rows");
    // The micro-batch's DataFrame is an incremental plan meant to be executed once; its result, as a
    // plain batch plan, can be read by several writes (what foreachBatch does with it too). Operators
    // reuse their output row objects, hence the copy of each row kept.
    RDD<InternalRow> rows = data.queryExecution().toRdd().toJavaRDD().map(new CopyCountingNonNull(split, rejected)).rdd();
    rows.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> batch = Dataset$.MODULE$.ofRows(data.sparkSession(), LogicalRDD$.MODULE$.fromDataset(rows, data, false));
      write(batchId, batch.where(col(options.splitColumn).isNull()), options.accepted);
      // Accumulators are merged when tasks finish: the first write has seen every row by now.
      if (rejected.value() > 0) write(batchId, batch.where(col(options.splitColumn).isNotNull()), options.rejected);
    } finally {
      rows.unpersist(false);
    }
  }

  /** Both routes written by the same tasks, each row as it is computed (RoutingTask). */
  private void writeInOnePass(long batchId, Dataset<Row> data, int split) {
    RowWritableFormat.Write accepted = prepare(batchId, data, acceptedFormat, options.accepted);
    RowWritableFormat.Write rejected = prepare(batchId, data, rejectedFormat, options.rejected);
    try {
      // The micro-batch's incremental plan, executed once, by this job.
      data.queryExecution().toRdd().toJavaRDD().foreachPartition(new RoutingTask(split, accepted, rejected));
    } catch (Exception e) {
      if (StreamExecution$.MODULE$.isInterruptionException(e, data.sparkSession().sparkContext())) throw sneaky(e);
      Optional<Route> route = RouteWriteException.routeOf(e).map(label -> label.equals(SplitSinkOptions.ACCEPTED) ? options.accepted : options.rejected);
      String what = route.map(r -> "writing the " + r.label() + " rows to " + r.target())
          .orElse("computing the rows for " + options.accepted.target() + " and " + options.rejected.target());
      throw new IllegalStateException("streamline-split sink: batch " + batchId + ": " + what + " failed: " + messageOf(e), e);
    }
  }

  /** A route's write prepared on the driver; a failure (the target unreachable, its table gone) names the route. */
  private static RowWritableFormat.Write prepare(long batchId, Dataset<Row> data, RowWritableFormat format, Route route) {
    int[] columns = new int[route.columns().size()];
    String[] names = new String[columns.length];
    for (int i = 0; i < columns.length; i++) {
      Projection p = route.columns().get(i);
      columns[i] = columnIndex(data, p.source(), route.label() + ".columns");
      names[i] = p.name();
    }
    try {
      return format.prepareWrite(data.sparkSession(), route.options(), data.schema(), columns, names);
    } catch (RuntimeException e) {
      throw failed(batchId, route, e);
    }
  }

  /**
   * One route's write. A failure names the route and its target before the cause: the target's own
   * message can be far from it ("Control channel not available" when Cassandra is down between
   * batches, as the write looks up the table on the driver).
   */
  private static void write(long batchId, Dataset<Row> rows, Route route) {
    Column[] columns = route.columns().stream().map(p -> col(p.source()).as(p.name())).toArray(Column[]::new);
    try {
      rows.select(columns).write().format(route.format()).options(route.options()).mode(SaveMode.Append).save();
    } catch (Exception e) { // SparkException ("Job aborted ...") is a checked exception to Java
      // A stop interrupts the running batch: Spark tells a stop from a failure by the exception's type,
      // so an interruption goes through unchanged.
      if (StreamExecution$.MODULE$.isInterruptionException(e, rows.sparkSession().sparkContext())) throw sneaky(e);
      throw failed(batchId, route, e);
    }
  }

  private static IllegalStateException failed(long batchId, Route route, Exception e) {
    return new IllegalStateException(
        "streamline-split sink: batch " + batchId + ": writing the " + route.label() + " rows to " + route.target() + " failed: " + messageOf(e), e);
  }

  /**
   * The whole message: a target's root cause is often below its first line (the Cassandra connector's
   * "Failed to write statements to <table>. The latest exception was" is followed by the driver's "All
   * 1 node(s) tried for the query failed" on the next).
   */
  static String messageOf(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getName() : message.strip();
  }

  /** Rethrows any exception as it is (Java would otherwise insist on declaring a checked one). */
  @SuppressWarnings("unchecked")
  private static <E extends Exception> RuntimeException sneaky(Exception e) throws E {
    throw (E) e;
  }

  /** Where a column is in the query's rows; a missing one is named with the option that asked for it. */
  private static int columnIndex(Dataset<Row> data, String column, String option) {
    String[] names = data.columns();
    for (int i = 0; i < names.length; i++) {
      if (names[i].toLowerCase(Locale.ROOT).equals(column.toLowerCase(Locale.ROOT))) return i;
    }
    throw new IllegalArgumentException(
        "streamline-split sink: " + option + " names " + column + ", not a column of the query (" + String.join(", ", names) + ")");
  }

  /** Copies each row for the cache, counting those whose split column is not null. */
  private static final class CopyCountingNonNull implements Function<InternalRow, InternalRow> {
    private final int column;
    private final LongAccumulator nonNull;

    CopyCountingNonNull(int column, LongAccumulator nonNull) {
      this.column = column;
      this.nonNull = nonNull;
    }

    @Override
    public InternalRow call(InternalRow row) {
      if (!row.isNullAt(column)) nonNull.add(1);
      return row.copy();
    }
  }

  @Override
  public String toString() {
    return "SplitSink[accepted -> " + options.accepted.target() + ", rejected -> " + options.rejected.target() + "]";
  }
}
