package dev.streamline.cassandra;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.schema.ColumnMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.KeyspaceMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import com.datastax.spark.connector.cql.CassandraConnector;
import com.datastax.spark.connector.datasource.CassandraSourceUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.util.CaseInsensitiveMap;
import org.apache.spark.sql.catalyst.util.CaseInsensitiveMap$;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.collection.immutable.Map;

/**
 * A Cassandra table as the driver side of a write sees it: the connection settings (the session's
 * {@code spark.cassandra.*} configuration, then the options), the connector's write settings, and the
 * table's columns, looked up once per write so that a missing table, column or unsupported type fails
 * before any task runs.
 */
final class CassandraTarget {
  private final CassandraConnector connector;
  private final String keyspace;
  private final String table;
  private final TableMetadata metadata;
  private final WriteSettings settings;

  private CassandraTarget(CassandraConnector connector, String keyspace, String table, TableMetadata metadata, WriteSettings settings) {
    this.connector = connector;
    this.keyspace = keyspace;
    this.table = table;
    this.metadata = metadata;
    this.settings = settings;
  }

  /**
   * The target the options name. The connection and write settings are the connector's own merge of
   * the Spark configuration, the session's and the options (cluster- and keyspace-scoped settings
   * included), so a setting means the same here as with the connector's format.
   */
  static CassandraTarget resolve(SparkSession spark, Map<String, String> parameters) {
    CaseInsensitiveMap<String> options = CaseInsensitiveMap$.MODULE$.apply(parameters);
    String keyspace = required(options, "keyspace");
    String table = required(options, "table");
    String cluster = options.get("cluster").getOrElse(CassandraSourceUtil::consolidateConfs$default$3);
    SparkConf conf = CassandraSourceUtil.consolidateConfs(spark.sparkContext().getConf(), spark.conf().getAll(), cluster, keyspace, options);
    WriteSettings settings = WriteSettings.from(conf);
    CassandraConnector connector = CassandraConnector.apply(conf);
    return new CassandraTarget(connector, keyspace, table, lookUp(connector, keyspace, table), settings);
  }

  /** "keyspace.table", as the user named it. */
  String name() {
    return keyspace + "." + table;
  }

  /** The table's columns as Spark reads them here (the connector's types); others are left out. */
  StructType readSchema() {
    List<StructField> fields = new ArrayList<>();
    for (ColumnMetadata column : metadata.getColumns().values()) {
      ColumnEncoder.sparkType(column.getType())
          .ifPresent(type -> fields.add(new StructField(column.getName().asInternal(), type, !metadata.getPrimaryKey().contains(column), Metadata.empty())));
    }
    return new StructType(fields.toArray(StructField[]::new));
  }

  /** How rows of {@code schema} are written to the table: every column must be the table's, with a type this writer writes. */
  TableWrite writeOf(StructType schema) {
    return writeOf(schema, IntStream.range(0, schema.size()).toArray());
  }

  /** The same, for rows that carry each of those columns at the given position among others. */
  TableWrite writeOf(StructType schema, int[] ordinals) {
    List<ColumnMetadata> columns = new ArrayList<>();
    List<ColumnEncoder> encoders = new ArrayList<>();
    for (StructField field : schema.fields()) {
      ColumnMetadata column = column(field.name())
          .orElseThrow(() -> new IllegalArgumentException(
              CassandraWriterProvider.NAME + ": " + name() + " has no column " + field.name() + "; its columns: " + columnNames()));
      columns.add(column);
      encoders.add(ColumnEncoder.of(field.dataType(), column.getType())
          .orElseThrow(() -> new IllegalArgumentException(
              CassandraWriterProvider.NAME + ": column " + field.name() + " of " + name() + " is " + column.getType().asCql(false, true) + "; a "
                  + field.dataType().simpleString() + " cannot be written to it"
                  + ColumnEncoder.sparkType(column.getType()).map(t -> " (cast it to " + t.simpleString() + ")").orElse(" by this writer; the Cassandra connector's own format (org.apache.spark.sql.cassandra) writes it"))));
    }
    for (ColumnMetadata key : metadata.getPrimaryKey()) {
      if (!columns.contains(key)) {
        throw new IllegalArgumentException(
            CassandraWriterProvider.NAME + ": the rows lack " + key.getName().asInternal() + ", a primary key column of " + name());
      }
    }
    int[] partitionKey = metadata.getPartitionKey().stream().mapToInt(columns::indexOf).toArray();
    String insert = "INSERT INTO " + metadata.getKeyspace().asCql(true) + "." + metadata.getName().asCql(true) + " ("
        + columns.stream().map(c -> c.getName().asCql(true)).collect(Collectors.joining(", ")) + ") VALUES ("
        + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
    String[] names = columns.stream().map(c -> c.getName().asInternal()).toArray(String[]::new);
    return new TableWrite(connector, name(), metadata.getKeyspace().asInternal(), insert, names, encoders.toArray(ColumnEncoder[]::new), ordinals, partitionKey, settings);
  }

  /** A column by its exact name, else by its name in any case (Spark's column names are not case-sensitive). */
  private Optional<ColumnMetadata> column(String name) {
    Optional<ColumnMetadata> exact = metadata.getColumn(CqlIdentifier.fromInternal(name));
    if (exact.isPresent()) return exact;
    return metadata.getColumns().values().stream().filter(c -> c.getName().asInternal().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))).findFirst();
  }

  private String columnNames() {
    return metadata.getColumns().keySet().stream().map(CqlIdentifier::asInternal).collect(Collectors.joining(", "));
  }

  /** The table's metadata; a session's schema may predate a table made since, so it is refreshed once before giving up. */
  private static TableMetadata lookUp(CassandraConnector connector, String keyspace, String table) {
    try (CqlSession session = connector.openSession()) {
      Optional<TableMetadata> found = find(session.getMetadata().getKeyspace(CqlIdentifier.fromInternal(keyspace)), table);
      if (found.isEmpty()) found = find(session.refreshSchema().getKeyspace(CqlIdentifier.fromInternal(keyspace)), table);
      return found.orElseThrow(() -> new IllegalArgumentException(CassandraWriterProvider.NAME + ": Cassandra has no table " + keyspace + "." + table));
    }
  }

  private static Optional<TableMetadata> find(Optional<KeyspaceMetadata> keyspace, String table) {
    return keyspace.flatMap(k -> k.getTable(CqlIdentifier.fromInternal(table)));
  }

  private static String required(Map<String, String> options, String key) {
    String value = options.get(key).getOrElse(() -> null);
    if (value == null || value.isBlank()) throw new IllegalArgumentException(CassandraWriterProvider.NAME + ": the option " + key + " is required");
    return value;
  }
}
