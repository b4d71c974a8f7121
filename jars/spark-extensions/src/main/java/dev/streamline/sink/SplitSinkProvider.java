package dev.streamline.sink;

import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.catalyst.util.CaseInsensitiveMap;
import org.apache.spark.sql.execution.datasources.DataSource$;
import org.apache.spark.sql.execution.streaming.Sink;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.sources.StreamSinkProvider;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.collection.immutable.Map;

/**
 * {@code writeStream.format("streamline-split")}: one streaming query, two tables (SplitSink).
 *
 * <p>Spark Connect 3.5 runs foreachBatch only with a Python or serialized-Scala function; a sink found
 * by its format name needs neither, so a client in any language can start it with plain options.
 */
public final class SplitSinkProvider implements StreamSinkProvider, DataSourceRegister {
  @Override
  public String shortName() {
    return "streamline-split";
  }

  @Override
  public Sink createSink(SQLContext sqlContext, Map<String, String> parameters, Seq<String> partitionColumns, OutputMode outputMode) {
    if (outputMode != OutputMode.Append()) {
      throw new IllegalArgumentException("streamline-split sink: output mode " + outputMode + " is not supported; it appends every row it is given");
    }
    if (!partitionColumns.isEmpty()) {
      throw new IllegalArgumentException("streamline-split sink: partitionBy is not supported; partition each route with its own options");
    }
    // Spark hands the options case-insensitively, with every key lower-cased when iterated; the routes
    // forward them to other formats, which may read them case-sensitively (keepAliveMS...).
    Map<String, String> original = parameters instanceof CaseInsensitiveMap<?> insensitive
        ? cast(insensitive.originalMap())
        : parameters;
    SplitSinkOptions options = SplitSinkOptions.parse(JavaConverters.mapAsJavaMap(original));
    checkTarget(sqlContext, options.accepted);
    checkTarget(sqlContext, options.rejected);
    return new SplitSink(options, rowWritable(sqlContext, options.accepted), rowWritable(sqlContext, options.rejected));
  }

  /** A route's format, when it can be written row by row from the sink's own tasks. */
  private static Optional<RowWritableFormat> rowWritable(SQLContext sqlContext, SplitSinkOptions.Route route) {
    Class<?> provider = DataSource$.MODULE$.lookupDataSource(route.format(), sqlContext.sparkSession().sessionState().conf());
    if (!RowWritableFormat.class.isAssignableFrom(provider)) return Optional.empty();
    try {
      return Optional.of((RowWritableFormat) provider.getConstructor().newInstance());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("streamline-split sink: cannot create " + provider.getName() + ", the " + route.label() + " format: " + e, e);
    }
  }

  /**
   * Resolves a route's table when the query starts, not at its first batch: a missing table or column
   * then fails {@code start()} itself, with the target's own message ("Couldn't find keyspace ..."),
   * instead of failing the running query later. A route's format must therefore be readable (a table).
   */
  private static void checkTarget(SQLContext sqlContext, SplitSinkOptions.Route route) {
    StructType schema = sqlContext.sparkSession().read().format(route.format()).options(route.options()).load().schema();
    Set<String> columns = new HashSet<>();
    for (String name : schema.fieldNames()) columns.add(name.toLowerCase(Locale.ROOT));
    for (SplitSinkOptions.Projection p : route.columns()) {
      if (!columns.contains(p.name().toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "streamline-split sink: " + route.label() + ".columns writes " + p.name() + ", which the " + route.label()
                + " target (" + route.target() + ") does not have; its columns: " + String.join(", ", schema.fieldNames()));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> cast(Map<String, ?> map) {
    return (Map<String, String>) map;
  }
}
