package dev.streamline.cassandra;

import static org.apache.spark.sql.types.DataTypes.BinaryType;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.ByteType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.FloatType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.ShortType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * One column's value, from Spark's internal row straight to the bytes Cassandra's native protocol
 * carries for the column's type. The Cassandra connector goes through Java objects (a UTF8String
 * becomes a String, which the driver's codec encodes to UTF-8 again, after a codec lookup per value);
 * these write what the row already holds. Each constant is one pair of Spark type and CQL type.
 */
enum ColumnEncoder {
  TEXT((row, i) -> ByteBuffer.wrap(row.getUTF8String(i).getBytes())),
  /** A UUID written as text in Spark (the connector maps Cassandra's uuid to a string column too). */
  UUID_FROM_STRING(ColumnEncoder::uuid),
  /** Spark keeps microseconds since the epoch, Cassandra milliseconds: the sub-millisecond part goes. */
  TIMESTAMP((row, i) -> ByteBuffer.allocate(8).putLong(0, Math.floorDiv(row.getLong(i), 1000L))),
  /** Spark keeps days since the epoch, Cassandra an unsigned int centred on the epoch (2^31). */
  DATE((row, i) -> ByteBuffer.allocate(4).putInt(0, row.getInt(i) + Integer.MIN_VALUE)),
  DOUBLE((row, i) -> ByteBuffer.allocate(8).putDouble(0, row.getDouble(i))),
  FLOAT((row, i) -> ByteBuffer.allocate(4).putFloat(0, row.getFloat(i))),
  BIGINT((row, i) -> ByteBuffer.allocate(8).putLong(0, row.getLong(i))),
  INT((row, i) -> ByteBuffer.allocate(4).putInt(0, row.getInt(i))),
  SMALLINT((row, i) -> ByteBuffer.allocate(2).putShort(0, row.getShort(i))),
  TINYINT((row, i) -> ByteBuffer.allocate(1).put(0, row.getByte(i))),
  BOOLEAN((row, i) -> ByteBuffer.allocate(1).put(0, (byte) (row.getBoolean(i) ? 1 : 0))),
  BLOB((row, i) -> ByteBuffer.wrap(row.getBinary(i)));

  private interface Encoding {
    ByteBuffer encode(InternalRow row, int ordinal);
  }

  private final Encoding encoding;

  ColumnEncoder(Encoding encoding) {
    this.encoding = encoding;
  }

  /** The value at {@code ordinal} (not null) as the column's bytes. */
  ByteBuffer encode(InternalRow row, int ordinal) {
    return encoding.encode(row, ordinal);
  }

  private static ByteBuffer uuid(InternalRow row, int ordinal) {
    UTF8String text = row.getUTF8String(ordinal);
    UUID uuid;
    try {
      uuid = UUID.fromString(text.toString());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a UUID: " + quote(text), e);
    }
    return ByteBuffer.allocate(16).putLong(0, uuid.getMostSignificantBits()).putLong(8, uuid.getLeastSignificantBits());
  }

  /** A Cassandra type, the Spark type it reads as here (the connector's mapping), and their encoder. */
  private record Mapping(DataType cql, org.apache.spark.sql.types.DataType spark, ColumnEncoder encoder) {}

  private static final List<Mapping> MAPPINGS = List.of(
      new Mapping(DataTypes.TEXT, StringType, TEXT),
      new Mapping(DataTypes.ASCII, StringType, TEXT),
      new Mapping(DataTypes.UUID, StringType, UUID_FROM_STRING),
      new Mapping(DataTypes.TIMEUUID, StringType, UUID_FROM_STRING),
      new Mapping(DataTypes.TIMESTAMP, TimestampType, TIMESTAMP),
      new Mapping(DataTypes.DATE, DateType, DATE),
      new Mapping(DataTypes.DOUBLE, DoubleType, DOUBLE),
      new Mapping(DataTypes.FLOAT, FloatType, FLOAT),
      new Mapping(DataTypes.BIGINT, LongType, BIGINT),
      new Mapping(DataTypes.INT, IntegerType, INT),
      new Mapping(DataTypes.SMALLINT, ShortType, SMALLINT),
      new Mapping(DataTypes.TINYINT, ByteType, TINYINT),
      new Mapping(DataTypes.BOOLEAN, BooleanType, BOOLEAN),
      new Mapping(DataTypes.BLOB, BinaryType, BLOB));

  /** The encoder writing a Spark column of {@code spark} type into a Cassandra column of {@code cql} type. */
  static Optional<ColumnEncoder> of(org.apache.spark.sql.types.DataType spark, DataType cql) {
    return MAPPINGS.stream().filter(m -> m.cql.equals(cql) && m.spark.equals(spark)).map(Mapping::encoder).findFirst();
  }

  /**
   * The Spark type a Cassandra column reads as; empty for a type this writer does not write
   * (collections, UDTs, decimals, counters, ...).
   */
  static Optional<org.apache.spark.sql.types.DataType> sparkType(DataType cql) {
    return MAPPINGS.stream().filter(m -> m.cql.equals(cql)).map(Mapping::spark).findFirst();
  }

  private static String quote(UTF8String text) {
    String s = text.toString();
    return '"' + (s.length() > 60 ? s.substring(0, 60) + "..." : s) + '"';
  }
}
