package dev.streamline.sink;

import java.io.Serializable;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

/**
 * A batch format whose writes the split sink can drive from inside its own tasks, row by row.
 *
 * <p>When both routes' formats are such, a micro-batch is computed once and each row is handed to its
 * route's writer as it is computed: one Spark job per micro-batch, no row kept for a second write and
 * no copy made of it. Any other format is written through its {@code save()}, which needs the
 * micro-batch's rows kept between the two writes (SplitSink).
 */
public interface RowWritableFormat {
  /**
   * Prepares, on the driver, a write of some columns of the query's rows, checked as {@code save()}
   * would check it (the target exists, takes those columns and their types).
   *
   * @param rows the schema of the rows the tasks will hand to {@link Writer#write}
   * @param columns where each written column is in those rows
   * @param names what each written column is called in the target
   */
  Write prepareWrite(SparkSession spark, Map<String, String> options, StructType rows, int[] columns, String[] names);

  /** A prepared write, sent to the tasks. */
  interface Write extends Serializable {
    /** Opens one task's writer (on an executor). */
    Writer open() throws Exception;
  }

  /** One task's share of a write. */
  interface Writer extends AutoCloseable {
    /** Writes one row; the row is only valid during the call (Spark reuses row objects). */
    void write(InternalRow row) throws Exception;

    /** Waits until every row written is in the target; throws the first failure. */
    void finish() throws Exception;

    /** Releases the writer; after a failure or an unfinished write, abandons what it had not sent. */
    @Override
    void close();
  }
}
