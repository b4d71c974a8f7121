// Typed errors for Spark Connect failures.
//
// The server reports a failed RPC as a gRPC status whose details carry a google.rpc.ErrorInfo:
//   reason   = the JVM exception class (e.g. org.apache.spark.sql.AnalysisException)
//   metadata = { classes: JSON array of the class and its superclasses,
//                errorClass / sqlState / messageParameters (Spark 4; Spark 3.5 sends only classes),
//                stackTrace (when spark.sql.pyspark.jvmStacktrace.enabled) }
// Spark 3.5 puts the error class in the message instead (`[UNRESOLVED_COLUMN.WITH_SUGGESTION] ...`),
// so we read metadata first and fall back to parsing the message. The JS class is chosen from the
// `classes` list, most specific first, so subclasses on the server map to the nearest known class.
import { Code, ConnectError } from '@connectrpc/connect';
import { ErrorInfoSchema, type ErrorInfo } from '../gen/google/rpc/error_details_pb.js';

export interface SparkErrorDetails {
  /** The server's message (without the gRPC code prefix). */
  message: string;
  /** gRPC status code name, e.g. `INTERNAL`, `UNAVAILABLE`. */
  grpcCode?: string;
  /** The JVM exception class, e.g. `org.apache.spark.sql.AnalysisException`. */
  exceptionClass?: string;
  /** The exception class and its superclasses, most specific first. */
  classes?: string[];
  /** Spark error class, e.g. `UNRESOLVED_COLUMN.WITH_SUGGESTION`. */
  errorClass?: string;
  /** SQL state, e.g. `42703`. */
  sqlState?: string;
  messageParameters?: Record<string, string>;
  /** JVM stack trace, when the server sends it. */
  serverStackTrace?: string;
  /** ErrorInfo.metadata as received. */
  metadata?: Record<string, string>;
  cause?: unknown;
}

export class SparkConnectError extends Error {
  override name = 'SparkConnectError';
  readonly grpcCode: string | undefined;
  readonly exceptionClass: string | undefined;
  readonly classes: readonly string[];
  readonly errorClass: string | undefined;
  readonly sqlState: string | undefined;
  readonly messageParameters: Readonly<Record<string, string>>;
  readonly serverStackTrace: string | undefined;
  readonly metadata: Readonly<Record<string, string>>;

  constructor(d: SparkErrorDetails) {
    super(d.message, d.cause !== undefined ? { cause: d.cause } : undefined);
    this.grpcCode = d.grpcCode;
    this.exceptionClass = d.exceptionClass;
    this.classes = d.classes ?? [];
    this.errorClass = d.errorClass;
    this.sqlState = d.sqlState;
    this.messageParameters = d.messageParameters ?? {};
    this.serverStackTrace = d.serverStackTrace;
    this.metadata = d.metadata ?? {};
  }

  /** PySpark-compatible accessors. */
  getErrorClass(): string | undefined {
    return this.errorClass;
  }
  getSqlState(): string | undefined {
    return this.sqlState;
  }
  getMessageParameters(): Readonly<Record<string, string>> {
    return this.messageParameters;
  }
}

export class AnalysisException extends SparkConnectError {
  override name = 'AnalysisException';
}
export class ParseException extends AnalysisException {
  override name = 'ParseException';
}
export class StreamingQueryException extends SparkConnectError {
  override name = 'StreamingQueryException';
}
export class QueryExecutionException extends SparkConnectError {
  override name = 'QueryExecutionException';
}
export class IllegalArgumentException extends SparkConnectError {
  override name = 'IllegalArgumentException';
}
export class NumberFormatException extends IllegalArgumentException {
  override name = 'NumberFormatException';
}
export class ArithmeticException extends SparkConnectError {
  override name = 'ArithmeticException';
}
export class UnsupportedOperationException extends SparkConnectError {
  override name = 'UnsupportedOperationException';
}
export class DateTimeException extends SparkConnectError {
  override name = 'DateTimeException';
}
export class SparkRuntimeException extends SparkConnectError {
  override name = 'SparkRuntimeException';
}
/** org.apache.spark.SparkException: e.g. a job aborted because a task failed. */
export class SparkException extends SparkConnectError {
  override name = 'SparkException';
}
export class SparkUpgradeException extends SparkConnectError {
  override name = 'SparkUpgradeException';
}
/** The server could not be reached at all (connection refused, DNS, TLS...). */
export class SparkConnectUnavailableError extends SparkConnectError {
  override name = 'SparkConnectUnavailableError';
  readonly address: string;
  constructor(address: string, d: SparkErrorDetails) {
    super(d);
    this.address = address;
  }
}

/**
 * A method needs a newer Spark Connect server than the one connected (found by the client before it
 * sends anything: an older server would ignore the new protocol fields, or refuse them obscurely).
 */
export class UnsupportedServerVersionError extends SparkConnectError {
  override name = 'UnsupportedServerVersionError';
  /** What needs the newer server, e.g. `groupingSets()`. */
  readonly feature: string;
  /** The lowest Spark version that has it, e.g. `4.0`. */
  readonly requiredVersion: string;
  /** The version the server reported, e.g. `3.5.7`. */
  readonly serverVersion: string;
  constructor(feature: string, requiredVersion: string, serverVersion: string) {
    super({ message: `${feature} needs a Spark ${requiredVersion} or later Connect server; this one runs Spark ${serverVersion}.` });
    this.feature = feature;
    this.requiredVersion = requiredVersion;
    this.serverVersion = serverVersion;
  }
}

type ErrorCtor = new (d: SparkErrorDetails) => SparkConnectError;

// JVM class → JS class. Checked against the server's class list in order (most specific first).
const BY_JVM_CLASS: ReadonlyMap<string, ErrorCtor> = new Map<string, ErrorCtor>([
  ['org.apache.spark.sql.catalyst.parser.ParseException', ParseException],
  ['org.apache.spark.sql.AnalysisException', AnalysisException],
  ['org.apache.spark.sql.streaming.StreamingQueryException', StreamingQueryException],
  ['org.apache.spark.sql.execution.QueryExecutionException', QueryExecutionException],
  ['java.lang.NumberFormatException', NumberFormatException],
  ['java.lang.IllegalArgumentException', IllegalArgumentException],
  ['java.lang.ArithmeticException', ArithmeticException],
  ['java.lang.UnsupportedOperationException', UnsupportedOperationException],
  ['java.time.DateTimeException', DateTimeException],
  ['org.apache.spark.SparkUpgradeException', SparkUpgradeException],
  ['org.apache.spark.SparkRuntimeException', SparkRuntimeException],
  ['org.apache.spark.SparkException', SparkException],
]);

const ERROR_CLASS_AT_START = /^\s*\[([A-Z][A-Z0-9_]*(?:\.[A-Z0-9_]+)*)\]/;
// Anywhere in the message (e.g. a cause's class inside "Job aborted ..."): require an underscore so
// bracketed identifiers like [`id`] or [X] are not mistaken for error classes.
const ERROR_CLASS_ANYWHERE = /\[([A-Z][A-Z0-9]*_[A-Z0-9_]*(?:\.[A-Z0-9_]+)*)\]/;
const SQLSTATE_RE = /SQLSTATE: ([0-9A-Z]{5})/;

function parseJson<T>(s: string | undefined): T | undefined {
  if (s === undefined) return undefined;
  try {
    return JSON.parse(s) as T;
  } catch {
    return undefined;
  }
}

/** Builds a typed error from a gRPC status message and its ErrorInfo (exported for unit tests). */
export function errorFromErrorInfo(message: string, info: ErrorInfo | undefined, grpcCode?: string, cause?: unknown): SparkConnectError {
  const metadata: Record<string, string> = info ? { ...info.metadata } : {};
  const classes = parseJson<string[]>(metadata['classes']) ?? (info?.reason ? [info.reason] : []);
  const exceptionClass = info?.reason || classes[0];
  // For streaming failures the interesting error class is often the cause's, but Spark prefixes the
  // message with the outer class; the first bracketed class is the one Spark reports.
  const errorClass = metadata['errorClass'] ?? ERROR_CLASS_AT_START.exec(message)?.[1] ?? ERROR_CLASS_ANYWHERE.exec(message)?.[1];
  const sqlState = metadata['sqlState'] ?? SQLSTATE_RE.exec(message)?.[1];
  const messageParameters = parseJson<Record<string, string>>(metadata['messageParameters']);
  const d: SparkErrorDetails = {
    message,
    classes,
    metadata,
    ...(grpcCode !== undefined ? { grpcCode } : {}),
    ...(exceptionClass !== undefined ? { exceptionClass } : {}),
    ...(errorClass !== undefined ? { errorClass } : {}),
    ...(sqlState !== undefined ? { sqlState } : {}),
    ...(messageParameters !== undefined ? { messageParameters } : {}),
    ...(metadata['stackTrace'] !== undefined ? { serverStackTrace: metadata['stackTrace'] } : {}),
    ...(cause !== undefined ? { cause } : {}),
  };
  for (const c of classes) {
    const Ctor = BY_JVM_CLASS.get(c);
    if (Ctor) return new Ctor(d);
  }
  return new SparkConnectError(d);
}

function causeCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur instanceof Error; i++) {
    const code = (cur as Error & { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
    cur = cur.cause;
  }
  return undefined;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN']);

/** Converts anything thrown by a gRPC call into a SparkConnectError (idempotent). */
export function toSparkError(e: unknown, address: string): SparkConnectError {
  if (e instanceof SparkConnectError) return e;
  if (e instanceof ConnectError) {
    const sysCode = causeCode(e);
    if (e.code === Code.Unavailable || (sysCode !== undefined && UNREACHABLE.has(sysCode))) {
      return new SparkConnectUnavailableError(address, {
        message:
          `Cannot reach the Spark Connect server at ${address} (${sysCode ?? e.rawMessage}). ` +
          'Is the Spark Connect server running there? Check the sc:// remote (host, port, use_ssl).',
        grpcCode: codeName(e.code),
        cause: e,
      });
    }
    const info = e.findDetails(ErrorInfoSchema)[0];
    return errorFromErrorInfo(e.rawMessage, info, codeName(e.code), e);
  }
  if (e instanceof Error) return new SparkConnectError({ message: e.message, cause: e });
  return new SparkConnectError({ message: String(e) });
}

function codeName(c: Code): string {
  // Code[c] is e.g. "InvalidArgument"; render as the gRPC spelling INVALID_ARGUMENT.
  return (Code[c] ?? String(c)).replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}
