// Spark Connect connection strings, parsed the way PySpark's ChannelBuilder does:
//   sc://host[:port]/;param=value;param=value
// Known params: user_id, token (implies TLS), use_ssl, session_id, user_agent. Any other parameter is
// sent to the server as gRPC metadata (a request header), as PySpark does.
import { randomUUID } from 'node:crypto';

export const DEFAULT_PORT = 15002;
export const DEFAULT_REMOTE = `sc://localhost:${DEFAULT_PORT}`;

export interface ConnectionOptions {
  host: string;
  port: number;
  /** TLS on the channel (`use_ssl=true`, or implied by `token`). */
  useSsl: boolean;
  /** Bearer token sent as `authorization: Bearer <token>`. */
  token?: string;
  userId?: string;
  userAgent?: string;
  /** A fixed session id (a UUID) to join an existing server-side session. */
  sessionId?: string;
  /** Extra parameters, sent as request headers. */
  metadata: Record<string, string>;
}

export class InvalidConnectionStringError extends Error {
  override name = 'InvalidConnectionStringError';
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(s: string): boolean {
  return UUID_RE.test(s);
}

export function newSessionId(): string {
  return randomUUID();
}

/** Parses `sc://...`; throws InvalidConnectionStringError with the reason on malformed input. */
export function parseConnectionString(url: string): ConnectionOptions {
  const bad = (why: string): never => {
    throw new InvalidConnectionStringError(`Invalid Spark Connect connection string '${url}': ${why}`);
  };
  if (!url.startsWith('sc://')) bad("it must start with 'sc://'");
  const rest = url.slice('sc://'.length);
  // Everything after the first '/' is the parameter list; PySpark requires the path to be empty or
  // to start with ';'.
  const slash = rest.indexOf('/');
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? '' : rest.slice(slash + 1);
  if (authority === '') bad('missing host');

  let host = authority;
  let port = DEFAULT_PORT;
  // [ipv6]:port
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d*))?$/.exec(authority);
  if (!m) bad('malformed host:port');
  host = m![1]!;
  if (m![2] !== undefined) {
    if (m![2] === '') bad('empty port');
    port = Number(m![2]);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) bad(`port ${m![2]} out of range`);
  }

  const opts: ConnectionOptions = { host, port, useSsl: false, metadata: {} };
  let explicitSsl: boolean | undefined;
  if (path !== '') {
    if (!path.startsWith(';')) bad("parameters must follow '/;' (sc://host:port/;key=value)");
    for (const part of path.slice(1).split(';')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      if (eq <= 0) bad(`parameter '${part}' is not key=value`);
      const key = decodeURIComponent(part.slice(0, eq));
      const value = decodeURIComponent(part.slice(eq + 1));
      switch (key) {
        case 'token':
          opts.token = value;
          break;
        case 'use_ssl':
          explicitSsl = value.toLowerCase() === 'true';
          break;
        case 'user_id':
          opts.userId = value;
          break;
        case 'user_agent':
          opts.userAgent = value;
          break;
        case 'session_id':
          if (!isUuid(value)) bad(`session_id '${value}' is not a UUID`);
          opts.sessionId = value;
          break;
        default:
          opts.metadata[key] = value;
      }
    }
  }
  // A bearer token never travels in plaintext: token implies TLS (as PySpark), and an explicit
  // use_ssl=false next to a token is refused instead of silently sending it in clear text.
  if (opts.token !== undefined && explicitSsl === false) bad('token requires TLS; remove use_ssl=false');
  opts.useSsl = explicitSsl ?? opts.token !== undefined;
  return opts;
}

/** The remote to use: explicit argument, else `SPARK_REMOTE`, else `sc://localhost:15002`. */
export function resolveRemote(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return explicit ?? env['SPARK_REMOTE'] ?? DEFAULT_REMOTE;
}

/** The gRPC endpoint URL (`http(s)://host:port`), used as base URL and in messages (no secrets). */
export function formatAddress(o: Pick<ConnectionOptions, 'host' | 'port' | 'useSsl'>): string {
  return `${o.useSsl ? 'https' : 'http'}://${o.host}:${o.port}`;
}
