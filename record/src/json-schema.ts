// The record as JSON Schema (draft-07), registered in Schema Registry under "<topic>-value".
import { ISO_8601_PATTERN, RECORD_FIELDS, UUID_PATTERN, type FieldSpec } from './fields.js';

function property(field: FieldSpec): Record<string, unknown> {
  switch (field.kind) {
    case 'uuid':
      return { type: 'string', format: 'uuid', pattern: UUID_PATTERN };
    case 'string':
      return { type: 'string' };
    case 'timestamp':
      return { type: 'string', format: 'date-time', pattern: ISO_8601_PATTERN };
    case 'number':
      return field.limit === undefined ? { type: 'number' } : { type: 'number', minimum: -field.limit, maximum: field.limit };
  }
}

export function recordJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'streamline.UserRecord',
    type: 'object',
    properties: Object.fromEntries(RECORD_FIELDS.map((f) => [f.name, property(f)])),
    required: RECORD_FIELDS.map((f) => f.name),
    // Unknown extra fields are allowed by the contract (the pipeline ignores them).
    additionalProperties: true,
  };
}
