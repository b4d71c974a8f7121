// Which SQL statements PySpark's spark.sql() runs eagerly. The server decides that from the parsed
// plan; a client without a parser decides from the statement's first keyword: the query forms below
// stay lazy (a DataFrame, run by its action), everything else (CREATE, INSERT, CACHE, SET, DROP,
// SHOW, DESCRIBE…) is a command and runs when sql() is called.
const QUERY_KEYWORDS = new Set(['select', 'with', 'values', 'from', 'table', 'map', 'reduce']);

/** Strips leading whitespace, `-- line` and block comments, and opening parentheses. */
function firstWord(sql: string): string {
  let s = sql;
  for (;;) {
    const t = s.replace(/^\s+/, '');
    if (t.startsWith('--')) {
      const nl = t.indexOf('\n');
      s = nl < 0 ? '' : t.slice(nl + 1);
    } else if (t.startsWith('/*')) {
      const end = t.indexOf('*/');
      s = end < 0 ? '' : t.slice(end + 2);
    } else if (t.startsWith('(')) {
      s = t.slice(1);
    } else {
      return (/^[A-Za-z_]+/.exec(t)?.[0] ?? '').toLowerCase();
    }
  }
}

/** True for a query (lazy), false for a command (run eagerly, once). */
export function isSqlQuery(sql: string): boolean {
  const w = firstWord(sql);
  return w === '' || QUERY_KEYWORDS.has(w);
}
