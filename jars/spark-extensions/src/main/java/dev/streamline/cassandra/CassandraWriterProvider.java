package dev.streamline.cassandra;

import dev.streamline.sink.RowWritableFormat;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.sources.BaseRelation;
import org.apache.spark.sql.sources.CreatableRelationProvider;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.sources.RelationProvider;
import org.apache.spark.sql.sources.TableScan;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Predef;
import scala.collection.JavaConverters;
import scala.collection.immutable.Map;

/**
 * {@code df.write.format("streamline-cassandra").option("keyspace", k).option("table", t).mode("append").save()}:
 * rows appended to a Cassandra table through the Cassandra connector's sessions and with its settings
 * ({@code spark.cassandra.connection.*}, {@code auth.*}, {@code output.*}: batch size, grouping,
 * consistency, concurrent writes, nulls), bound from Spark's internal rows as the bytes of each column's
 * type, without the connector's per-value conversions to Java objects and codec lookups (its write path
 * was the largest share of the executors' time in the pipeline's profile: bench/README.md).
 *
 * <p>Read, the format gives the table's schema only (so that a writer can check its target before it
 * writes); rows are read with the connector's own format.
 */
public final class CassandraWriterProvider implements DataSourceRegister, RelationProvider, CreatableRelationProvider, RowWritableFormat {
  public static final String NAME = "streamline-cassandra";

  @Override
  public String shortName() {
    return NAME;
  }

  @Override
  public BaseRelation createRelation(SQLContext sqlContext, Map<String, String> parameters) {
    return new SchemaOnly(sqlContext, CassandraTarget.resolve(sqlContext.sparkSession(), parameters));
  }

  @Override
  public BaseRelation createRelation(SQLContext sqlContext, SaveMode mode, Map<String, String> parameters, Dataset<Row> data) {
    if (mode != SaveMode.Append) {
      throw new IllegalArgumentException(NAME + ": save mode " + mode + " is not supported; rows are appended (Cassandra upserts them by primary key)");
    }
    CassandraTarget target = CassandraTarget.resolve(sqlContext.sparkSession(), parameters);
    TableWrite write = target.writeOf(data.schema());
    RDD<org.apache.spark.sql.catalyst.InternalRow> rows = data.queryExecution().toRdd();
    rows.toJavaRDD().foreachPartition(new PartitionWriter(write));
    return new SchemaOnly(sqlContext, target);
  }

  /** The split sink's route: the given columns of its rows, checked as {@code save()} checks them. */
  @Override
  public RowWritableFormat.Write prepareWrite(SparkSession spark, java.util.Map<String, String> options, StructType rows, int[] columns, String[] names) {
    StructField[] fields = new StructField[columns.length];
    for (int i = 0; i < columns.length; i++) fields[i] = new StructField(names[i], rows.fields()[columns[i]].dataType(), true, Metadata.empty());
    Map<String, String> parameters = JavaConverters.mapAsScalaMap(options).toMap(Predef.$conforms());
    return CassandraTarget.resolve(spark, parameters).writeOf(new StructType(fields), columns);
  }

  /** The table as a relation with a schema and no rows of its own to scan. */
  private static final class SchemaOnly extends BaseRelation implements TableScan {
    private final SQLContext sqlContext;
    private final StructType schema;
    private final String name;

    SchemaOnly(SQLContext sqlContext, CassandraTarget target) {
      this.sqlContext = sqlContext;
      this.schema = target.readSchema();
      this.name = target.name();
    }

    @Override
    public SQLContext sqlContext() {
      return sqlContext;
    }

    @Override
    public StructType schema() {
      return schema;
    }

    @Override
    public RDD<Row> buildScan() {
      throw new UnsupportedOperationException(NAME + " writes " + name + "; read it with the Cassandra connector's format, org.apache.spark.sql.cassandra");
    }
  }
}
