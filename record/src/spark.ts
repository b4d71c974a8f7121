// The record in Spark: the DDL of the parse, and the classification of each Kafka message as SQL.
//
// Cost is the design constraint (the job classifies every message). A conforming message is parsed
// by Jackson ONCE, as JSON only (Spark's default also reads single quotes): from_json of
// {"records":[value]} into `records`, an array of the record struct, where uuids, strings and
// timestamps are STRING and numbers DOUBLE, and `malformed`, NULL unless Jackson met a syntax error or
// a token it could not convert to its field's type. The wrap makes Jackson reject most trailing bytes
// (`{…} x` or `{…} {…}` inside "[…]" is a syntax error, `{…}, 1` gives two elements). A key given twice
// counts with its last value, as in JSON.parse: Jackson keeps the last it could convert, and
// `malformed` tells when a later one could not (a number field, the last time not a number).
// VALID_SQL then checks, on that one parse:
//   - UTF-8: CAST(value AS STRING) re-encoded equals the bytes (one decode + encode);
//   - trailing bytes the wrap cannot see (`{…}]} …` closes our wrap early): only when the text has a
//     "]" at all, an object wrap `{"r": value}` is parsed too, which refuses a "]" after the object;
//   - every field non-null; id and timestamps by pattern (a non-string token's raw text can never
//     match them); numbers finite and within range (NaN/±Infinity fail `<=`);
//   - timestamps: once the pattern matched, CAST AS TIMESTAMP can only fail on a day the month does
//     not have (tests/integration/spark-job checks that claim on the server), so the check is a
//     CAST AS DATE, which reads the date alone (no zone to resolve);
//   - strings: from_json hands a STRING field the raw text of a non-string token (12, {"a":1}, true),
//     indistinguishable from a string with that content. Only values that LOOK like a JSON literal
//     (start like a number, or with "{" or "[", or are true/false; tested by byte comparisons, no
//     substring, no regex) are looked at again: numeric-looking ones with no space (a number's text
//     has none) by the exact pattern of the text Jackson writes for a number (phone numbers with
//     dashes leave here), then by a byte search for `"name":"value"` (how a compact serializer writes
//     a string) that counts only where the match can be nothing but the top-level member: no
//     backslash in the value (every `"` then delimits a string, no key is written with an escape)
//     and `"name"` once in it (no nested or duplicate key for the match to be). Only if these leave
//     the doubt, a second parse reads that one field as DOUBLE (or MAP/ARRAY/BOOLEAN, by its first
//     character), which fails exactly on a string. One field per probe: Spark builds an exception
//     for each field it cannot convert (several µs apiece). Each probe appears once, right of an OR,
//     so it runs only for the rows that reach it (Spark hoists a subexpression for all rows only
//     when it appears twice). A probe keeps the last value it could convert too, so it finds a
//     number given for the key anywhere: a string field given twice, once not as a string, can be
//     quarantined even when its last value is a string (never accepted when that is not one).
// A message failing VALID_SQL (rare) gets DETAIL_SQL: the first offending field in record order,
// from three more parses bound once in a lambda (keys; every field as STRING; numbers as DOUBLE),
// plus a one-field probe for a string that looks like a literal, or for a number field when the
// parse was `malformed`, when its turn comes. DETAIL_SQL is never NULL and Spark can tell, so each
// query's filter on the reason is VALID_SQL alone (or its negation): only the quarantine's projection
// computes DETAIL_SQL, once per poison message.
// The typed timestamps of a valid message: Spark 3.5 resolves a zone written in the text with two
// regexes compiled per value; a "Z" value in a UTC session is cast without it (castTimestamp).
import { ISO_8601_PATTERN, RECORD_FIELDS, UUID_PATTERN, type FieldSpec } from './fields.js';
import { MESSAGE_REASONS, fieldReasons } from './reasons.js';

/** A Spark SQL string literal (backslashes and quotes escaped; Spark unescapes literals). */
export function sqlString(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

const SPARK_TYPE = { uuid: 'STRING', string: 'STRING', timestamp: 'STRING', number: 'DOUBLE' } as const;

function structDdl(typeOf: (f: FieldSpec) => string, fields: readonly FieldSpec[] = RECORD_FIELDS): string {
  return `STRUCT<${fields.map((f) => `${f.name}: ${typeOf(f)}`).join(', ')}>`;
}

/** The parse schema of one record: uuids/strings/timestamps as STRING (checked afterwards), numbers DOUBLE. */
export function recordStructDdl(): string {
  return structDdl((f) => SPARK_TYPE[f.kind]);
}

/**
 * Jackson reading JSON only: Spark's JSON options take single-quoted names and strings by default
 * ({'a':'b'}), which JSON.parse refuses and in which a `"` can stand unescaped inside a string.
 */
const JSON_ONLY = "map('allowSingleQuotes', 'false')";
/**
 * The same, plus a column that is non-NULL when the text is not JSON or a token could not be converted
 * to its field's type (with a key given twice, Spark keeps the last value it could convert, so this is
 * the only trace of a later one it could not). A column of the top-level struct: parse a wrapper
 * around the message, whose only key is ours, so that no key of the message can fill it.
 */
const MALFORMED = 'malformed';
const JSON_ONLY_WITH_MALFORMED = `map('allowSingleQuotes', 'false', 'columnNameOfCorruptRecord', '${MALFORMED}')`;

const STRING_FIELDS = RECORD_FIELDS.filter((f) => f.kind === 'string');
const NUMBER_FIELDS = RECORD_FIELDS.filter((f) => f.kind === 'number');
const UUID_RE = sqlString(UUID_PATTERN);
const ISO_RE = sqlString(ISO_8601_PATTERN);

/**
 * The first character of the raw text Jackson writes for a number token: a digit, "-", or the quote
 * of a quoted NaN/Infinity. Byte comparisons ('-' <= v < ':' is a first byte among "-./0-9"; the
 * exact pattern settles the rare "." and "/"), no substring.
 */
const numberStart = (v: string): string => `((${v} >= '-' AND ${v} < ':') OR startswith(${v}, '"'))`;
/**
 * The whole raw text of a number token, as Jackson writes it again (not as the message had it): an
 * integer without leading zeros ("-0" is "0"), Java's Double.toString of any other number ("1.5",
 * "100000.0" for 1e5, "1.0E-8"), or a quoted NaN/Infinity (also for 1e400, +INF…). Strings that do
 * not look like this are strings: phone numbers with dashes, post codes with a leading zero. The ones
 * that do are few (numeric post codes, phone numbers of digits only).
 */
const numberText = (v: string): string => `${v} RLIKE '^(-?(0|[1-9][0-9]*)([.][0-9]+(E-?[0-9]+)?)?|"(NaN|-?Infinity)")$'`;
const numberLike = (v: string): string => `(${numberStart(v)} AND ${numberText(v)})`;
/**
 * The raw text of a number token never has a space: a cheap way out (a short scan) for the values
 * that start like a number and are not one (addresses, phone numbers), before the number pattern.
 */
const spaced = (v: string): string => `contains(${v}, ' ')`;
/**
 * A numeric-looking value written as a string by a compact serializer (the producer's JSON.stringify)
 * appears byte for byte as "name":"value" in the message. The match can be nothing but the top-level
 * member when both of these hold, as in the producer's messages (anything else goes to the probe):
 *   - no backslash in the value: then no quote can sit inside a string, every `"` opens or closes
 *     one (the parse refuses single quotes), and no key is written with an escape (`post\u005fcode`);
 *   - `"name"` occurs once: the top-level key is one occurrence, so there is no other (nested, or a
 *     duplicate key, of which the parse keeps the last) for the match to be.
 * Byte searches in the BINARY value (Spark's byte-array search is about 2.5× faster than its
 * UTF8String one), except the offset of the first `"name"`: Spark 3.5 has no byte-array indexOf, and
 * substring_index (UTF8String.find, a comparison at every byte) stops at it; the rest of the value
 * after it is searched as bytes. The backslash test is the same for every field, so Spark hoists it
 * (a subexpression that appears twice) and runs it once per message: one byte scan, what the first
 * field to reach it would have cost. The other parts are the field's own and run only when reached.
 */
const compactString = (f: FieldSpec, v: string): string => {
  const key = sqlString(`"${f.name}"`);
  return [
    `contains(value, CAST(concat('"${f.name}":"', ${v}, '"') AS BINARY))`,
    `NOT contains(value, X'5C')`,
    `NOT contains(substr(value, octet_length(substring_index(json, ${key}, 1)) + 2), CAST(${key} AS BINARY))`,
  ].join(' AND ');
};
const otherLiteralLike = (v: string): string => `(startswith(${v}, '{') OR startswith(${v}, '[') OR ${v} IN ('true', 'false'))`;
const allOf = (parts: string[]): string => parts.map((p) => `(${p})`).join(' AND ');

/**
 * One field of the message read by `from_json` as `type`: NULL exactly when that token cannot be one
 * (a JSON string read as DOUBLE, MAP, ARRAY or BOOLEAN; or the field missing or null). One field per
 * probe: Spark builds an exception for every field it cannot convert (several µs each), so a probe of
 * all string fields at once would pay one per string field of the record.
 */
const fieldProbe = (f: FieldSpec, type: string): string => `from_json(json, ${sqlString(`STRUCT<${f.name}: ${type}>`)}, ${JSON_ONLY}).${f.name}`;
/**
 * Some token of a number field, wherever the key is given, is not a number (the parse kept an earlier
 * number given for the same key). Only for a message whose parse had a `malformed` text.
 */
const numberFieldUnconvertible = (f: FieldSpec): string =>
  `from_json(concat('{"o":', json, '}'), ${sqlString(`STRUCT<o: STRUCT<${f.name}: DOUBLE>, ${MALFORMED}: STRING>`)}, ${JSON_ONLY_WITH_MALFORMED}).${MALFORMED} IS NOT NULL`;
/** For a value that looks like an object, an array or a boolean: is the token one? (One probe, by its first character.) */
const otherLiteralToken = (f: FieldSpec, v: string): string =>
  `CASE WHEN startswith(${v}, '{') THEN ${fieldProbe(f, 'MAP<STRING, STRING>')} IS NOT NULL WHEN startswith(${v}, '[') THEN ${fieldProbe(f, 'ARRAY<STRING>')} IS NOT NULL ELSE ${fieldProbe(f, 'BOOLEAN')} IS NOT NULL END`;

/** The columns the classification reads. */
export const CLASSIFICATION_INPUTS = {
  /** CAST(value AS STRING): no transcoding, the bytes as they are. */
  json: 'CAST(value AS STRING)',
  /**
   * The one parse of a conforming message: a struct of the two columns `records` (the record structs
   * of {"records":[value]}) and `malformed` (NULL unless the text is not JSON, or a number field has a
   * token that is not a number). plan.ts makes them columns with inline().
   */
  parsed: `from_json(concat('{"records":[', json, ']}'), ${sqlString(`STRUCT<records: ARRAY<${recordStructDdl()}>, ${MALFORMED}: STRING>`)}, ${JSON_ONLY_WITH_MALFORMED})`,
} as const;

const r = (name: string): string => `records[0].${name}`;

/**
 * A timestamp that matched ISO_8601_PATTERN is an instant unless its day is one the month lacks (Feb
 * 30): CAST AS TIMESTAMP cannot fail otherwise (tests/integration/spark-job checks that claim on the
 * server). CAST AS DATE reads exactly that: the date before the "T" (NULL for a day the month lacks),
 * no time, no zone to resolve.
 */
const realDay = (v: string): string => `CAST(${v} AS DATE) IS NOT NULL`;

/**
 * CAST AS TIMESTAMP of a value that matched ISO_8601_PATTERN. Spark 3.5 turns the zone written in the
 * text into a ZoneId through two regular expressions it compiles for every value
 * (DateTimeUtils.getZoneId): about 1 µs a value, the dearest step of a valid message. The zone of
 * nearly every value is "Z" (randomuser's, the producer's), and in a session whose time zone is UTC
 * (the local stack's; a container's JVM default is often "Etc/UTC"), such a value without its "Z" is
 * the same instant, read with no zone to resolve. current_timezone() is a constant of the plan, so
 * Spark keeps one branch: in any other session every value is cast as written. Either way the result
 * never depends on the session's time zone.
 */
const castTimestamp = (v: string): string =>
  `CASE WHEN current_timezone() IN ('UTC', 'Etc/UTC', 'GMT', 'Etc/GMT', 'Z') AND endswith(${v}, 'Z') THEN CAST(replace(${v}, 'Z') AS TIMESTAMP) ELSE CAST(${v} AS TIMESTAMP) END`;

const trailingUnseenByArrayWrap = `contains(value, X'5D') AND json_object_keys(concat('{"r":', json, '}')) IS NULL`;

function fastFieldCheck(f: FieldSpec): string {
  const v = r(f.name);
  switch (f.kind) {
    case 'uuid':
      return `${v} IS NOT NULL`; // its pattern: PATTERNED_SQL
    case 'timestamp':
      return realDay(v); // its pattern: PATTERNED_SQL
    case 'number':
      return `abs(${v}) <= ${f.limit ?? "double('Infinity')"}`;
    case 'string':
      return `${v} IS NOT NULL`;
  }
}

/**
 * Every patterned field (the id, the timestamps) against its pattern in ONE regex match over the
 * values joined by "|": one decode and one matcher instead of one per field. No pattern can match a
 * "|", so each value must match its own pattern whole; concat() is NULL if any value is.
 */
const PATTERNED = RECORD_FIELDS.filter((f) => f.kind === 'uuid' || f.kind === 'timestamp');
// Groups made non-capturing: the match is all we need, and Java's regex engine saves no group
// positions for them (a third less CPU per match on the server).
const bodyOf = (pattern: string): string =>
  `(?:${pattern
    .replace(/^\^/, '')
    .replace(/\$$/, '')
    .replaceAll(/\((?!\?)/g, '(?:')})`;
const PATTERNED_SQL = `concat(${PATTERNED.map((f) => r(f.name)).join(", '|', ")}) RLIKE ${sqlString(
  `^${PATTERNED.map((f) => bodyOf(f.kind === 'uuid' ? UUID_PATTERN : ISO_8601_PATTERN)).join('\\|')}$`,
)}`;

/** TRUE exactly for a conforming message (never NULL: every operand is guarded). */
export const VALID_SQL = allOf([
  'value IS NOT NULL',
  "encode(json, 'UTF-8') = value",
  `${MALFORMED} IS NULL`,
  'size(records) = 1',
  `records[0] IS NOT NULL`,
  `NOT (${trailingUnseenByArrayWrap})`,
  `coalesce(${PATTERNED_SQL}, false)`,
  ...RECORD_FIELDS.map((f) => `coalesce(${fastFieldCheck(f)}, false)`),
  // Strings that look like a number: is the token a number? (DOUBLE fails on a string token.) The
  // byte search settles nearly all of them before the pattern is matched. Each probe appears once in
  // the expression, on the right of an OR: it runs only for the rows that reach it (Spark hoists a
  // subexpression for all rows only when it appears twice).
  ...STRING_FIELDS.map(
    (f) =>
      `NOT (${numberStart(r(f.name))} AND NOT ${spaced(r(f.name))} AND ${numberText(r(f.name))} AND NOT (${compactString(f, r(f.name))})) OR ${fieldProbe(f, 'DOUBLE')} IS NULL`,
  ),
  // Strings that look like an object, an array or a boolean: same question.
  ...STRING_FIELDS.map((f) => `NOT ${otherLiteralLike(r(f.name))} OR NOT ${otherLiteralToken(f, r(f.name))}`),
]);

function detailFieldBranches(f: FieldSpec): [string, string][] {
  const n = f.name;
  const raw = `p.s.${n}`;
  const head: [string, string][] = [
    [`NOT array_contains(p.k, '${n}')`, fieldReasons.missing(n)],
    [`${raw} IS NULL`, fieldReasons.null(n)],
  ];
  switch (f.kind) {
    case 'uuid':
      return [...head, [`NOT ${raw} RLIKE ${UUID_RE}`, fieldReasons.notUuid(n)]];
    case 'timestamp':
      return [...head, [`NOT coalesce(${raw} RLIKE ${ISO_RE} AND (${realDay(raw)}), false)`, fieldReasons.notIso(n)]];
    case 'number':
      return [
        ...head,
        [
          `p.d.${n} IS NULL OR isnan(p.d.${n}) OR abs(p.d.${n}) = double('Infinity') OR (${MALFORMED} IS NOT NULL AND ${numberFieldUnconvertible(f)})`,
          fieldReasons.notNumber(n),
        ],
        [`abs(p.d.${n}) > ${f.limit ?? "double('Infinity')"}`, fieldReasons.outOfRange(n)],
      ];
    case 'string':
      // The DOUBLE probe also reads the strings "NaN", "Infinity", "-Infinity"… as numbers: it only
      // counts where the raw text is a number token's. Probes only for values that look like a literal.
      return [
        ...head,
        [
          `(${numberLike(raw)} AND ${fieldProbe(f, 'DOUBLE')} IS NOT NULL) OR (${otherLiteralLike(raw)} AND ${otherLiteralToken(f, raw)})`,
          fieldReasons.notString(n),
        ],
      ];
  }
}

const caseSql = (branches: [string, string][], otherwise: string): string =>
  `CASE ${branches.map(([when, then]) => `WHEN ${when} THEN ${sqlString(then)}`).join(' ')} ELSE ${otherwise} END`;

/**
 * The reason of a message that failed VALID_SQL: the first rule it breaks. Never NULL, and Spark can
 * tell (the coalesce): so the optimizer reduces `rejection_reason IS NULL` to VALID_SQL and `IS NOT
 * NULL` to its negation, and only the quarantine's projection computes this, once per poison message.
 */
export const DETAIL_SQL = `coalesce(${caseSql(
  [
    ['value IS NULL OR octet_length(value) = 0', MESSAGE_REASONS.empty],
    ["encode(json, 'UTF-8') <> value", MESSAGE_REASONS.notUtf8],
  ],
  `transform(array(named_struct('k', json_object_keys(json), 's', from_json(json, ${sqlString(structDdl(() => 'STRING'))}, ${JSON_ONLY}), 'd', from_json(json, ${sqlString(
    structDdl(() => 'DOUBLE', NUMBER_FIELDS),
  )}, ${JSON_ONLY}))), p -> ${caseSql(
    [
      ['p.k IS NULL', MESSAGE_REASONS.notObject],
      [`coalesce(json_array_length(concat('[', json, ']')), 0) <> 1 OR (${trailingUnseenByArrayWrap})`, MESSAGE_REASONS.trailing],
      // An object that json_object_keys and json_array_length read, with nothing after it, which the
      // parse (JSON only) could not: single quotes.
      ['records IS NULL', MESSAGE_REASONS.notObject],
      ...RECORD_FIELDS.flatMap(detailFieldBranches),
    ],
    sqlString(MESSAGE_REASONS.fallback),
  )})[0]`,
)}, ${sqlString(MESSAGE_REASONS.fallback)})`;

/** NULL for a conforming message, else why not. Both queries use this one expression: complementary. */
export const REJECTION_REASON_SQL = `CASE WHEN ${VALID_SQL} THEN NULL ELSE ${DETAIL_SQL} END`;

/** The typed value of a record field in a conforming message (ids lower-case). */
export function typedFieldSql(f: FieldSpec): string {
  switch (f.kind) {
    case 'uuid':
      return `lower(${r(f.name)})`;
    case 'timestamp':
      return castTimestamp(r(f.name));
    case 'number':
    case 'string':
      return r(f.name);
  }
}
