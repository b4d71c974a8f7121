// The README's field list and reason list, rendered between markers and checked by a unit test.
import { RECORD_FIELDS } from './fields.js';
import { allReasons } from './reasons.js';

const KIND_TEXT = { uuid: 'UUID string', string: 'string', timestamp: 'ISO-8601 string', number: 'number' } as const;

export const README_FIELDS_MARKERS = ['<!-- record:fields -->', '<!-- /record:fields -->'] as const;
export const README_REASONS_MARKERS = ['<!-- record:reasons -->', '<!-- /record:reasons -->'] as const;

export function readmeFieldList(): string {
  return RECORD_FIELDS.map((f) => {
    const range = 'limit' in f ? `, within ±${f.limit}` : '';
    return `  - \`${f.name}\` (${KIND_TEXT[f.kind]}${range}): ${f.doc}`;
  }).join('\n');
}

export function readmeReasonList(): string {
  return allReasons()
    .map((r) => `\`${r}\``)
    .join(', ');
}

/** The text between two markers in `doc`, or undefined when a marker is missing. */
export function between(doc: string, [open, close]: readonly [string, string]): string | undefined {
  const start = doc.indexOf(open);
  const end = doc.indexOf(close);
  if (start < 0 || end < start) return undefined;
  return doc.slice(start + open.length, end).trim();
}
