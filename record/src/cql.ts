// The record's Cassandra column types (the table DDL itself is rendered by spark-job/src/schema.ts).
import { RECORD_FIELDS, type FieldKind } from './fields.js';

const CQL_TYPE: Record<FieldKind, string> = { uuid: 'uuid', string: 'text', timestamp: 'timestamp', number: 'double' };

/** [column, CQL type] for every record field, in record order. */
export function recordCqlColumns(): [string, string][] {
  return RECORD_FIELDS.map((f) => [f.name, CQL_TYPE[f.kind]]);
}
