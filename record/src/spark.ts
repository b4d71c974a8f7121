// The record in Spark: the contract as the job's function, `streamline_record(value, contract)`
// (jars/spark-extensions, dev.streamline.record.RecordFunction, a Java UDF the job registers by class
// name), which classifies each Kafka message value in one pass and returns its rejection reason and,
// for a conforming message, every field's typed value. The contract it enforces is rendered here from
// the one definition of the record (fields.ts, reasons.ts) and handed to it with every call, so the JVM
// side holds no copy of the record: its rules are the producer validator's (validate.ts), in the same
// order, on the bytes (not UTF-8, not a JSON object, bytes after it, then each field in record order;
// a key given twice counts with its last value, as in JSON.parse).
//
// Until this function, the same contract was Spark SQL: one from_json parse plus byte searches,
// patterns and probes per field, several thousand expression nodes that Spark's optimizer walked again
// at every micro-batch (bench/README.md has the before and after).
import { ISO_8601_PATTERN, RECORD_FIELDS, UUID_PATTERN, type FieldSpec } from './fields.js';
import { MESSAGE_REASONS, fieldReasons } from './reasons.js';

/** A Spark SQL string literal (backslashes and quotes escaped; Spark unescapes literals). */
export function sqlString(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** The function's SQL name and its class (on the Spark cluster's classpath). */
export const RECORD_FUNCTION = { name: 'streamline_record', className: 'dev.streamline.record.RecordFunction' } as const;

/** Where a field's name goes in a field reason's template. */
const FIELD = '{field}';

/** The contract as the function reads it: fields in record order, the patterns, every reason's text. */
export function recordContractJson(): string {
  return JSON.stringify({
    fields: RECORD_FIELDS.map((f: FieldSpec) => ({ name: f.name, kind: f.kind, ...(f.limit !== undefined ? { limit: f.limit } : {}) })),
    patterns: { uuid: UUID_PATTERN, timestamp: ISO_8601_PATTERN },
    reasons: {
      empty: MESSAGE_REASONS.empty,
      notUtf8: MESSAGE_REASONS.notUtf8,
      notObject: MESSAGE_REASONS.notObject,
      trailing: MESSAGE_REASONS.trailing,
      ...Object.fromEntries(Object.entries(fieldReasons).map(([key, render]) => [key, render(FIELD)])),
    },
  });
}

const TYPED = { uuid: 'STRING', string: 'STRING', timestamp: 'TIMESTAMP', number: 'DOUBLE' } as const;

/** The struct the function returns, field by field in Spark SQL types: `reason`, then the record's fields. */
export const RECORD_RESULT_FIELDS: readonly (readonly [string, string])[] = [
  ['reason', 'STRING'],
  ...RECORD_FIELDS.map((f) => [f.name, TYPED[f.kind]] as const),
];

/** The classification of a `value` column: a struct of RECORD_RESULT_FIELDS. */
export const RECORD_SQL = `${RECORD_FUNCTION.name}(value, ${sqlString(recordContractJson())})`;

/**
 * The record as a from_json schema (uuids, strings and timestamps STRING, numbers DOUBLE): how the
 * tutorials' PySpark job reads it (bench/anchor), not how this job classifies it.
 */
export function recordStructDdl(): string {
  const types = { uuid: 'STRING', string: 'STRING', timestamp: 'STRING', number: 'DOUBLE' } as const;
  return `STRUCT<${RECORD_FIELDS.map((f) => `${f.name}: ${types[f.kind]}`).join(', ')}>`;
}
