/** A parsed JSON value (what `JSON.parse` can return), used for progress objects and metadata. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Parses JSON, returning the input string unchanged when it is not JSON (offsets can be either). */
export function parseJsonLenient(s: string): JsonValue {
  try {
    return JSON.parse(s) as JsonValue;
  } catch {
    return s;
  }
}
