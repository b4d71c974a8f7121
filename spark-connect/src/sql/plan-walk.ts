// Visits every protobuf message inside a plan, command or request (depth first), for the checks that
// look at a whole plan before it is sent: parts that need a newer server (server-version.ts) and the
// Observations whose metrics the response will carry (observation.ts). Pure.

/** A message as the visitor sees it: its fields by name, and `$typeName` (`spark.connect.Aggregate`). */
export type VisitedMessage = Readonly<Record<string, unknown>> & { readonly $typeName: string };

/** Calls `f` on each message in `v` (init shapes and plain wrappers are walked too); `f` returning true stops. */
export function visitMessages(v: unknown, f: (m: VisitedMessage) => boolean | undefined): boolean {
  if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) return false;
  if (Array.isArray(v)) return v.some((x) => visitMessages(x, f));
  const m = v as Record<string, unknown>;
  if (typeof m['$typeName'] === 'string' && f(m as VisitedMessage) === true) return true;
  // Fields, oneofs ({case, value}) and maps are all plain properties.
  for (const [k, x] of Object.entries(m)) {
    if (k !== '$typeName' && k !== '$unknown' && visitMessages(x, f)) return true;
  }
  return false;
}
