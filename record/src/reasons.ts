// The quarantine's reason vocabulary: every reason the classification can give, in one place.
import { RECORD_FIELDS, type FieldSpec } from './fields.js';

export const MESSAGE_REASONS = {
  empty: 'empty value',
  notUtf8: 'value is not valid UTF-8',
  notObject: 'not a JSON object',
  trailing: 'bytes after the JSON object',
} as const;

export const fieldReasons = {
  missing: (f: string) => `${f} missing`,
  null: (f: string) => `${f} is null`,
  notUuid: (f: string) => `${f} is not a UUID`,
  notString: (f: string) => `${f} is not a string`,
  notIso: (f: string) => `${f} is not an ISO-8601 string`,
  notNumber: (f: string) => `${f} is not a number`,
  outOfRange: (f: string) => `${f} out of range`,
} as const;

/** The type/format reasons a field of this kind can get (besides missing and null). */
export function kindReasons(field: FieldSpec): string[] {
  switch (field.kind) {
    case 'uuid':
      return [fieldReasons.notUuid(field.name)];
    case 'string':
      return [fieldReasons.notString(field.name)];
    case 'timestamp':
      return [fieldReasons.notIso(field.name)];
    case 'number':
      return [fieldReasons.notNumber(field.name), fieldReasons.outOfRange(field.name)];
  }
}

/** Every reason, message-level first, then per field in record order. */
export function allReasons(): string[] {
  return [...Object.values(MESSAGE_REASONS), ...RECORD_FIELDS.flatMap((f) => [fieldReasons.missing(f.name), fieldReasons.null(f.name), ...kindReasons(f)])];
}
