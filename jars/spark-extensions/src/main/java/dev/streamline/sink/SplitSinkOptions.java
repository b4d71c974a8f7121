package dev.streamline.sink;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The options of a {@code streamline-split} sink, read once when the query starts.
 *
 * <pre>
 *   split.column       the column whose null-ness routes a row (required)
 *   accepted.format    the batch format that writes the rows where it is null (required)
 *   accepted.columns   what those rows are written as: "a, b, c AS d" (required)
 *   accepted.&lt;key&gt;     any other option of that write, without the prefix
 *   rejected.*         the same for the rows where the column is not null
 *   &lt;key&gt;              any unprefixed option goes to both writes (connection settings and the like)
 * </pre>
 *
 * Null and not null partition every row: each row of a micro-batch is written by exactly one route.
 */
final class SplitSinkOptions {
  static final String SPLIT_COLUMN = "split.column";
  static final String ACCEPTED = "accepted";
  static final String REJECTED = "rejected";

  /** Options of the streaming query itself, meaningless to a batch write. */
  private static final Set<String> QUERY_OPTIONS = Set.of("checkpointlocation", "path", "queryname");

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern PROJECTION =
      Pattern.compile("(" + IDENTIFIER + ")(?:\\s+(?i:AS)\\s+(" + IDENTIFIER + "))?");

  /** One output column: an input column, possibly renamed. */
  record Projection(String source, String name) {}

  /** Where one side of the split goes. */
  record Route(String label, String format, List<Projection> columns, Map<String, String> options) {
    /** The format, and the table when the options name one: for messages. */
    String target() {
      String table = options.get("table");
      return table != null ? format + " " + table : format;
    }
  }

  final String splitColumn;
  final Route accepted;
  final Route rejected;

  private SplitSinkOptions(String splitColumn, Route accepted, Route rejected) {
    this.splitColumn = splitColumn;
    this.accepted = accepted;
    this.rejected = rejected;
  }

  /** Reads the options; any mistake is an IllegalArgumentException naming the option. */
  static SplitSinkOptions parse(Map<String, String> options) {
    Map<String, String> shared = new LinkedHashMap<>();
    Map<String, Map<String, String>> byRoute = Map.of(ACCEPTED, new LinkedHashMap<>(), REJECTED, new LinkedHashMap<>());
    String splitColumn = null;
    for (Map.Entry<String, String> option : options.entrySet()) {
      String key = option.getKey();
      String lower = key.toLowerCase(Locale.ROOT);
      if (lower.equals(SPLIT_COLUMN)) {
        splitColumn = option.getValue();
      } else if (lower.startsWith(ACCEPTED + ".")) {
        byRoute.get(ACCEPTED).put(key.substring(ACCEPTED.length() + 1), option.getValue());
      } else if (lower.startsWith(REJECTED + ".")) {
        byRoute.get(REJECTED).put(key.substring(REJECTED.length() + 1), option.getValue());
      } else if (!QUERY_OPTIONS.contains(lower)) {
        shared.put(key, option.getValue());
      }
    }
    if (splitColumn == null || !IDENTIFIER.matcher(splitColumn.trim()).matches()) {
      throw invalid(SPLIT_COLUMN, splitColumn, "a column name (rows where it is null are accepted, the others rejected)");
    }
    return new SplitSinkOptions(
        splitColumn.trim(), route(ACCEPTED, byRoute.get(ACCEPTED), shared), route(REJECTED, byRoute.get(REJECTED), shared));
  }

  private static Route route(String label, Map<String, String> own, Map<String, String> shared) {
    Map<String, String> options = new LinkedHashMap<>(shared);
    String format = null;
    String columns = null;
    for (Map.Entry<String, String> option : own.entrySet()) {
      switch (option.getKey().toLowerCase(Locale.ROOT)) {
        case "format" -> format = option.getValue();
        case "columns" -> columns = option.getValue();
        default -> options.put(option.getKey(), option.getValue()); // the route's own value wins
      }
    }
    if (format == null || format.isBlank()) {
      throw invalid(label + ".format", format, "the batch format that writes the " + label + " rows, e.g. org.apache.spark.sql.cassandra");
    }
    return new Route(label, format.trim(), projections(label + ".columns", columns), Collections.unmodifiableMap(options));
  }

  private static List<Projection> projections(String option, String value) {
    if (value == null || value.isBlank()) throw invalid(option, value, "a comma-separated list of columns, each \"name\" or \"name AS other\"");
    List<Projection> out = new ArrayList<>();
    for (String entry : value.split(",")) {
      Matcher m = PROJECTION.matcher(entry.trim());
      if (!m.matches()) throw invalid(option, value, "columns as \"name\" or \"name AS other\"; \"" + entry.trim() + "\" is neither");
      out.add(new Projection(m.group(1), m.group(2) != null ? m.group(2) : m.group(1)));
    }
    return List.copyOf(out);
  }

  private static IllegalArgumentException invalid(String option, String value, String expected) {
    String got = value == null ? "missing" : "\"" + value + "\"";
    return new IllegalArgumentException("streamline-split sink: option " + option + " is " + got + "; expected " + expected);
  }
}
