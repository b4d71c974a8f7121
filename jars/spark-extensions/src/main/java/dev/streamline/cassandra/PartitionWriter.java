package dev.streamline.cassandra;

import java.util.Iterator;
import org.apache.spark.api.java.function.VoidFunction;
import org.apache.spark.sql.catalyst.InternalRow;

/** One task of a {@code save()}: its partition's rows through a TableWriter. */
final class PartitionWriter implements VoidFunction<Iterator<InternalRow>> {
  private static final long serialVersionUID = 1L;

  private final TableWrite write;

  PartitionWriter(TableWrite write) {
    this.write = write;
  }

  @Override
  public void call(Iterator<InternalRow> rows) throws Exception {
    try (TableWriter writer = new TableWriter(write)) {
      while (rows.hasNext()) writer.write(rows.next());
      writer.finish();
    }
  }
}
