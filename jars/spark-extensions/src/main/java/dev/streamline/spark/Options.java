package dev.streamline.spark;

import org.apache.spark.sql.catalyst.util.CaseInsensitiveMap;
import scala.collection.JavaConverters;
import scala.collection.immutable.Map;

/** A data source's options as its user wrote them. */
public final class Options {
  private Options() {}

  /**
   * Spark hands a data source its options case-insensitively, every key lower-cased when iterated;
   * options forwarded to the Cassandra connector's configuration are read case-sensitively there
   * (keepAliveMS, localDC...), so they are taken as they were given.
   */
  public static java.util.Map<String, String> asGiven(Map<String, String> parameters) {
    Map<String, String> original = parameters instanceof CaseInsensitiveMap<?> insensitive ? cast(insensitive.originalMap()) : parameters;
    return JavaConverters.mapAsJavaMap(original);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> cast(Map<String, ?> map) {
    return (Map<String, String>) map;
  }
}
