package dev.streamline.sink;

import java.util.Iterator;
import org.apache.spark.api.java.function.VoidFunction;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * One task of the one-pass write: each row of the partition, as it is computed, goes to the accepted
 * writer when its split column is null and to the rejected writer otherwise. A route's writer is
 * opened at its first row (most partitions have no rejected row).
 */
final class RoutingTask implements VoidFunction<Iterator<InternalRow>> {
  private static final long serialVersionUID = 1L;

  private final int split;
  private final RowWritableFormat.Write accepted;
  private final RowWritableFormat.Write rejected;

  RoutingTask(int split, RowWritableFormat.Write accepted, RowWritableFormat.Write rejected) {
    this.split = split;
    this.accepted = accepted;
    this.rejected = rejected;
  }

  @Override
  public void call(Iterator<InternalRow> rows) throws Exception {
    Route toAccepted = new Route(SplitSinkOptions.ACCEPTED, accepted);
    Route toRejected = new Route(SplitSinkOptions.REJECTED, rejected);
    try {
      while (rows.hasNext()) {
        InternalRow row = rows.next();
        (row.isNullAt(split) ? toAccepted : toRejected).write(row);
      }
      toAccepted.finish();
      toRejected.finish();
    } finally {
      try {
        toAccepted.close();
      } finally {
        toRejected.close();
      }
    }
  }

  /** One route's writer in this task, its failures labelled with the route. */
  private static final class Route {
    private final String label;
    private final RowWritableFormat.Write write;
    private RowWritableFormat.Writer writer;

    Route(String label, RowWritableFormat.Write write) {
      this.label = label;
      this.write = write;
    }

    void write(InternalRow row) throws Exception {
      try {
        if (writer == null) writer = write.open();
        writer.write(row);
      } catch (InterruptedException e) {
        throw e; // a stop: goes through as it is
      } catch (Exception e) {
        throw new RouteWriteException(label, e);
      }
    }

    void finish() throws Exception {
      if (writer == null) return;
      try {
        writer.finish();
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        throw new RouteWriteException(label, e);
      }
    }

    void close() {
      if (writer != null) writer.close();
    }
  }
}
