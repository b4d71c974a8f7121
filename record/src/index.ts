// @streamline/record: the record contract, defined once, and its renderings.
export {
  ISO_8601_PATTERN,
  RECORD_FIELDS,
  UUID_PATTERN,
  type FieldKind,
  type FieldSpec,
  type RecordField,
  type RecordFieldName,
  type UserRecord,
} from './fields.js';
export { MESSAGE_REASONS, allReasons, fieldReasons, kindReasons } from './reasons.js';
export { isUserRecord, isUuid, recordFieldProblem, recordProblem, toIsoTimestamp } from './validate.js';
export { recordJsonSchema } from './json-schema.js';
export { recordCqlColumns } from './cql.js';
export { README_FIELDS_MARKERS, README_REASONS_MARKERS, between, readmeFieldList, readmeReasonList } from './readme.js';
export { RECORD_FUNCTION, RECORD_RESULT_FIELDS, RECORD_SQL, recordContractJson, recordStructDdl, sqlString } from './spark.js';
