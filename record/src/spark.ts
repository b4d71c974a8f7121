// The record in Spark: the DDL of the parse, and the classification of each Kafka message as SQL.
//
// Cost is the design constraint (the job classifies every message). A conforming message is parsed
// by Jackson ONCE: `records` = from_json of "[" + value + "]" as an array of the record struct, where
// uuids, strings and timestamps are STRING and numbers DOUBLE. The array wrap makes Jackson reject
// most trailing bytes (`{…} x` or `{…} {…}` inside "[…]" is a syntax error, `{…}, 1` gives two
// elements). VALID_SQL then checks, on that one parse:
//   - UTF-8: CAST(value AS STRING) re-encoded equals the bytes (one decode + encode);
//   - trailing bytes the wrap cannot see (`{…}] …` closes our "[" early): only when the text has a
//     "]" at all, an object wrap `{"r": value}` is parsed too, which refuses a "]" after the object;
//   - every field non-null; id and timestamps by pattern (a non-string token's raw text can never
//     match them); numbers finite and within range (NaN/±Infinity fail `<=`);
//   - timestamps: once the pattern matched, CAST AS TIMESTAMP can only fail on a day the month does
//     not have (tests/integration/spark-job checks that claim on the server), so the cast (the
//     dearest check of all) runs only for days 29 to 31;
//   - strings: from_json hands a STRING field the raw text of a non-string token (12, {"a":1}, true),
//     indistinguishable from a string with that content. Only values that LOOK like a JSON literal
//     (start like a number, or with "{" or "[", or are true/false; tested by byte comparisons, no
//     substring, no regex) are looked at again: numeric-looking ones first by a byte search for
//     `"name":"value"` (how a compact serializer writes a string), then by the exact number pattern,
//     and only if both leave the doubt by a second parse that reads those fields as DOUBLE (or
//     MAP/ARRAY/BOOLEAN), which fails exactly on strings. The probes sit inside lambdas so that they
//     run only for rows that need them, never hoisted for all rows.
// A message failing VALID_SQL (rare) gets DETAIL_SQL: the first offending field in record order,
// computed from a few more parses inside one lambda (so each runs once per evaluation). DETAIL_SQL is
// never NULL and Spark can tell, so each query's filter on the reason is VALID_SQL alone (or its
// negation): only the quarantine's projection computes DETAIL_SQL, once per poison message.
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

const STRING_FIELDS = RECORD_FIELDS.filter((f) => f.kind === 'string');
const UUID_RE = sqlString(UUID_PATTERN);
const ISO_RE = sqlString(ISO_8601_PATTERN);

/**
 * The first character of the raw text Jackson writes for a number token: a digit, "-", or the quote
 * of a quoted NaN/Infinity. Byte comparisons ('-' <= v < ':' is a first byte among "-./0-9"; the
 * exact pattern settles the rare "." and "/"), no substring.
 */
const numberStart = (v: string): string => `((${v} >= '-' AND ${v} < ':') OR startswith(${v}, '"'))`;
/**
 * The whole raw text of a number token: digits, ".", "E", "-" (or a quoted NaN/Infinity). Strings
 * that do not look like this are strings; the ones that do are few (numeric post codes).
 */
const numberText = (v: string): string => `${v} RLIKE '^(-?[0-9][0-9.E+-]*|"(NaN|-?Infinity)")$'`;
const numberLike = (v: string): string => `(${numberStart(v)} AND ${numberText(v)})`;
/**
 * A numeric-looking value written as a string by a compact serializer (the producer's JSON.stringify)
 * appears byte for byte as "name":"value" in the message; inside another string the quotes would be
 * escaped, so the match is the field itself (or the same key and value in a nested object). A byte
 * search, no transcoding, in the BINARY value (Spark's byte-array search is about 2.5× faster than
 * its UTF8String one); anything else goes to the exact probe.
 */
const compactString = (f: FieldSpec, v: string): string => `contains(value, CAST(concat('"${f.name}":"', ${v}, '"') AS BINARY))`;
const otherLiteralLike = (v: string): string => `(startswith(${v}, '{') OR startswith(${v}, '[') OR ${v} IN ('true', 'false'))`;
const anyOf = (parts: string[]): string => parts.map((p) => `(${p})`).join(' OR ');
const allOf = (parts: string[]): string => parts.map((p) => `(${p})`).join(' AND ');

/** `from_json` of the message with every string field read as `type` (fails exactly on JSON strings). */
const probe = (type: string, fields: readonly FieldSpec[] = STRING_FIELDS): string => `from_json(json, ${sqlString(structDdl(() => type, fields))})`;

/** The columns the classification reads. */
export const CLASSIFICATION_INPUTS = {
  /** CAST(value AS STRING): no transcoding, the bytes as they are. */
  json: 'CAST(value AS STRING)',
  /** The one parse of a conforming message. */
  records: `from_json(concat('[', json, ']'), ${sqlString(`ARRAY<${recordStructDdl()}>`)})`,
} as const;

const r = (name: string): string => `records[0].${name}`;

const trailingUnseenByArrayWrap = `contains(value, X'5D') AND json_object_keys(concat('{"r":', json, '}')) IS NULL`;

function fastFieldCheck(f: FieldSpec): string {
  const v = r(f.name);
  switch (f.kind) {
    case 'uuid':
      return `${v} IS NOT NULL`; // its pattern: PATTERNED_SQL
    case 'timestamp':
      // Characters 9-10 are the day once the pattern matched (PATTERNED_SQL); days up to 28 exist
      // in every month.
      return `substr(${v}, 9, 2) <= '28' OR CAST(${v} AS TIMESTAMP) IS NOT NULL`;
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
  'size(records) = 1',
  `records[0] IS NOT NULL`,
  `NOT (${trailingUnseenByArrayWrap})`,
  `coalesce(${PATTERNED_SQL}, false)`,
  ...RECORD_FIELDS.map((f) => `coalesce(${fastFieldCheck(f)}, false)`),
  // Strings that look like a number: is the token a number? (DOUBLE fails on a string token.) The
  // byte search settles nearly all of them before the pattern is matched.
  `NOT (${anyOf(STRING_FIELDS.map((f) => `${numberStart(r(f.name))} AND NOT ${compactString(f, r(f.name))} AND ${numberText(r(f.name))}`))}) OR transform(array(${probe('DOUBLE')}), d -> ${allOf(
    STRING_FIELDS.map((f) => `NOT ${numberLike(r(f.name))} OR d.${f.name} IS NULL`),
  )})[0]`,
  // Strings that look like an object, an array or a boolean: same question, three probes.
  `NOT (${anyOf(STRING_FIELDS.map((f) => otherLiteralLike(r(f.name))))}) OR transform(array(named_struct('m', ${probe('MAP<STRING, STRING>')}, 'a', ${probe('ARRAY<STRING>')}, 'b', ${probe('BOOLEAN')})), p -> ${allOf(
    STRING_FIELDS.map((f) => `NOT ${otherLiteralLike(r(f.name))} OR (p.m.${f.name} IS NULL AND p.a.${f.name} IS NULL AND p.b.${f.name} IS NULL)`),
  )})[0]`,
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
      return [...head, [`NOT coalesce(${raw} RLIKE ${ISO_RE} AND CAST(${raw} AS TIMESTAMP) IS NOT NULL, false)`, fieldReasons.notIso(n)]];
    case 'number':
      return [
        ...head,
        [`p.d.${n} IS NULL OR isnan(p.d.${n}) OR abs(p.d.${n}) = double('Infinity')`, fieldReasons.notNumber(n)],
        [`abs(p.d.${n}) > ${f.limit ?? "double('Infinity')"}`, fieldReasons.outOfRange(n)],
      ];
    case 'string':
      // The DOUBLE probe also reads the strings "NaN", "Infinity", "-Infinity"… as numbers: it only
      // counts where the raw text is a number token's.
      return [
        ...head,
        [`(${numberLike(raw)} AND p.d.${n} IS NOT NULL) OR p.m.${n} IS NOT NULL OR p.a.${n} IS NOT NULL OR p.b.${n} IS NOT NULL`, fieldReasons.notString(n)],
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
  `transform(array(named_struct('k', json_object_keys(json), 's', from_json(json, ${sqlString(structDdl(() => 'STRING'))}), 'd', ${probe(
    'DOUBLE',
    RECORD_FIELDS.filter((f) => f.kind === 'string' || f.kind === 'number'),
  )}, 'm', ${probe('MAP<STRING, STRING>')}, 'a', ${probe('ARRAY<STRING>')}, 'b', ${probe('BOOLEAN')})), p -> ${caseSql(
    [
      ['p.k IS NULL', MESSAGE_REASONS.notObject],
      [`coalesce(json_array_length(concat('[', json, ']')), 0) <> 1 OR (${trailingUnseenByArrayWrap})`, MESSAGE_REASONS.trailing],
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
      return `CAST(${r(f.name)} AS TIMESTAMP)`;
    case 'number':
    case 'string':
      return r(f.name);
  }
}
