package dev.streamline.record;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The record contract, parsed once from its JSON text, and the classification of one message value:
 * the same rules, in the same order, as the producer's validator (record/src/validate.ts), on the bytes.
 *
 * <ol>
 *   <li>empty (null or no bytes); not UTF-8;
 *   <li>not a JSON object (JSON only: no single quotes, comments, NaN, leading zeros…), then bytes after
 *       the object (anything but JSON whitespace);
 *   <li>each field in record order: missing, null, then its kind (a UUID string, a string, an ISO-8601
 *       string naming a real instant, a finite number within its limit).
 * </ol>
 *
 * A key given twice counts with its last value, as in JSON.parse; keys the record does not name are
 * allowed, whatever they hold. The first broken rule is the reason.
 */
final class RecordContract {
  /** Jackson's defaults read JSON only; an error needs no copy of the message in its location. */
  private static final JsonFactory JSON = new JsonFactory().disable(JsonParser.Feature.INCLUDE_SOURCE_IN_LOCATION);

  enum Kind {
    UUID,
    STRING,
    TIMESTAMP,
    NUMBER
  }

  private static final class Field {
    final String name;
    final Kind kind;
    final double limit;
    final String missing;
    final String isNull;
    final String wrongKind;
    final String outOfRange;

    Field(String name, Kind kind, double limit, Map<String, String> reasons) {
      this.name = name.intern(); // compared by identity with the names Jackson reads (indexOf)
      this.kind = kind;
      this.limit = limit;
      this.missing = reason(reasons, "missing", name);
      this.isNull = reason(reasons, "null", name);
      this.wrongKind =
          reason(
              reasons,
              switch (kind) {
                case UUID -> "notUuid";
                case STRING -> "notString";
                case TIMESTAMP -> "notIso";
                case NUMBER -> "notNumber";
              },
              name);
      this.outOfRange = kind == Kind.NUMBER ? reason(reasons, "outOfRange", name) : null;
    }
  }

  private final Field[] fields;
  private final Map<String, Integer> indexByName = new HashMap<>();
  private final Pattern uuidPattern;
  private final Pattern timestampPattern;
  private final String empty;
  private final String notUtf8;
  private final String notObject;
  private final String trailing;

  private RecordContract(Field[] fields, Pattern uuid, Pattern timestamp, Map<String, String> reasons) {
    this.fields = fields;
    for (int i = 0; i < fields.length; i++) indexByName.put(fields[i].name, i);
    this.uuidPattern = uuid;
    this.timestampPattern = timestamp;
    this.empty = reason(reasons, "empty", null);
    this.notUtf8 = reason(reasons, "notUtf8", null);
    this.notObject = reason(reasons, "notObject", null);
    this.trailing = reason(reasons, "trailing", null);
  }

  /**
   * Reads the contract's JSON text: {@code {"fields": [{"name", "kind", "limit"?}…], "patterns":
   * {"uuid", "timestamp"}, "reasons": {"empty", "notUtf8", "notObject", "trailing", "missing",
   * "null", "notUuid", "notString", "notIso", "notNumber", "outOfRange"}}}, a field's reasons with
   * {@code {field}} where its name goes.
   */
  static RecordContract parse(String json) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("streamline_record: the contract is not JSON: " + e.getOriginalMessage(), e);
    }
    Map<String, String> reasons = new HashMap<>();
    root.path("reasons").fields().forEachRemaining(e -> reasons.put(e.getKey(), e.getValue().asText()));
    JsonNode list = root.path("fields");
    if (!list.isArray() || list.isEmpty()) throw new IllegalArgumentException("streamline_record: the contract has no \"fields\" list");
    Field[] fields = new Field[list.size()];
    for (int i = 0; i < fields.length; i++) {
      JsonNode f = list.get(i);
      String name = f.path("name").asText("");
      String kind = f.path("kind").asText("");
      if (name.isEmpty()) throw new IllegalArgumentException("streamline_record: field " + i + " of the contract has no name");
      Kind k;
      try {
        k = Kind.valueOf(kind.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("streamline_record: field " + name + " has kind \"" + kind + "\"; expected uuid, string, timestamp or number");
      }
      double limit = f.has("limit") ? f.get("limit").asDouble() : Double.POSITIVE_INFINITY;
      fields[i] = new Field(name, k, limit, reasons);
    }
    return new RecordContract(fields, pattern(root, "uuid"), pattern(root, "timestamp"), reasons);
  }

  private static Pattern pattern(JsonNode root, String kind) {
    String p = root.path("patterns").path(kind).asText("");
    if (p.isEmpty()) throw new IllegalArgumentException("streamline_record: the contract has no pattern for " + kind);
    return Pattern.compile(p);
  }

  private static String reason(Map<String, String> reasons, String key, String field) {
    String template = reasons.get(key);
    if (template == null) throw new IllegalArgumentException("streamline_record: the contract has no reason \"" + key + "\"");
    return field == null ? template : template.replace("{field}", field);
  }

  /** Row(reason, field values…): the reason null and every value typed, or the reason and no value. */
  Row classify(byte[] value) {
    Object[] out = new Object[fields.length + 1];
    JsonToken[] tokens = new JsonToken[fields.length];
    String[] strings = new String[fields.length];
    double[] numbers = new double[fields.length];
    String problem = read(value, tokens, strings, numbers);
    if (problem != null) return rejected(out, problem);

    for (int i = 0; i < fields.length; i++) {
      Field f = fields[i];
      JsonToken t = tokens[i];
      if (t == null) return rejected(out, f.missing);
      if (t == JsonToken.VALUE_NULL) return rejected(out, f.isNull);
      String s = strings[i];
      switch (f.kind) {
        case UUID -> {
          if (s == null || !uuidPattern.matcher(s).matches()) return rejected(out, f.wrongKind);
          out[i + 1] = s.toLowerCase(Locale.ROOT);
        }
        case STRING -> {
          if (s == null) return rejected(out, f.wrongKind);
          out[i + 1] = s;
        }
        case TIMESTAMP -> {
          Instant instant = s == null || !timestampPattern.matcher(s).matches() ? null : IsoInstant.parse(s);
          if (instant == null) return rejected(out, f.wrongKind);
          out[i + 1] = instant;
        }
        case NUMBER -> {
          double d = numbers[i];
          if ((t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) || Double.isInfinite(d)) return rejected(out, f.wrongKind);
          if (!(Math.abs(d) <= f.limit)) return rejected(out, f.outOfRange);
          out[i + 1] = d;
        }
      }
    }
    return RowFactory.create(out);
  }

  /**
   * The message-level reason (empty, not UTF-8, not a JSON object, bytes after it), or null once the
   * record fields of the object (the last value given for each) are in the slots: each one's token,
   * and its text or number.
   */
  private String read(byte[] value, JsonToken[] tokens, String[] strings, double[] numbers) {
    if (value == null || value.length == 0) return empty;
    if (!Utf8.isValid(value)) return notUtf8;
    // Only an object is a record. Checked on the bytes, so that the parser never reads anything else
    // (Jackson would skip a byte-order mark, which JSON.parse refuses). The parser then reads the
    // UTF-8 bytes themselves: no decoded copy of the whole message.
    int first = 0;
    while (first < value.length && isJsonSpace(value[first])) first++;
    if (first == value.length || value[first] != '{') return notObject;
    // Jackson guesses UTF-16 or UTF-32 from NUL bytes among the first four ("{\0}\0" would read as
    // "{}"); a NUL is never JSON (outside a string it is no token; inside, a raw control character).
    for (int i = first + 1; i < Math.min(value.length, 4); i++) {
      if (value[i] == 0) return notObject;
    }
    try (JsonParser p = JSON.createParser(value)) {
      try {
        p.nextToken(); // START_OBJECT
        JsonToken t;
        int expected = 0;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
          Integer i = indexOf(p.currentName(), expected);
          JsonToken v = p.nextToken();
          if (i == null) {
            p.skipChildren();
            continue;
          }
          expected = i + 1;
          tokens[i] = v; // the last one counts
          strings[i] = null;
          switch (v) {
            case VALUE_STRING -> strings[i] = p.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> numbers[i] = p.getDoubleValue();
            case START_OBJECT, START_ARRAY -> p.skipChildren();
            default -> {}
          }
        }
        if (t != JsonToken.END_OBJECT) return notObject;
      } catch (IOException e) {
        return notObject;
      }
      try {
        return p.nextToken() == null ? null : trailing;
      } catch (IOException e) {
        return trailing;
      }
    } catch (IOException e) { // closing a parser over an array does no I/O
      throw new IllegalStateException(e);
    }
  }

  /**
   * The field's slot, or null for a name the record does not have. A producer writes the fields in
   * the record's order, so the one after the last is tried first, by identity: Jackson interns the
   * names it reads, as the contract's are (a map lookup per field was a tenth of the function's time).
   */
  private Integer indexOf(String name, int expected) {
    if (expected < fields.length && fields[expected].name == name) return expected;
    return indexByName.get(name);
  }

  private static Row rejected(Object[] out, String reason) {
    Arrays.fill(out, null);
    out[0] = reason;
    return RowFactory.create(out);
  }

  private static boolean isJsonSpace(byte c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }
}
