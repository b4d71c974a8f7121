// The one error base of every streamline component. A CLI turns any StreamlineError into its message on
// one line and its exit code; a supervisor (Airflow's retries, a restart loop) reads `retriable` to tell
// "try again later" (a broker down) from "fix the command first" (a bad flag).

export interface StreamlineErrorOptions {
  cause?: unknown;
}

export abstract class StreamlineError extends Error {
  /** Process exit code a CLI ends with for this error. */
  abstract readonly exitCode: number;
  /** Whether running the same command again later may succeed without changing anything. */
  abstract readonly retriable: boolean;

  constructor(message: string, options?: StreamlineErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

export interface ErrorKind {
  readonly exitCode: number;
  readonly retriable: boolean;
}

/**
 * The base of an error class with a fixed exit code and retriability, so that each error is declared in
 * one line: `class KafkaSendError extends errorKind({ exitCode: 5, retriable: true }) {}`.
 */
export function errorKind(kind: ErrorKind) {
  return class extends StreamlineError {
    readonly exitCode = kind.exitCode;
    readonly retriable = kind.retriable;
  };
}

/** A bad flag or environment variable. Exit 2, as most CLIs do for usage errors; never retriable. */
export class ConfigError extends errorKind({ exitCode: 2, retriable: false }) {}

/** No Kafka bootstrap server answered (nothing listening, DNS, TLS...). Retriable: brokers come back. */
export class KafkaUnreachableError extends errorKind({ exitCode: 4, retriable: true }) {
  constructor(
    readonly brokers: readonly string[],
    detail: string,
    options?: StreamlineErrorOptions & { setting?: string },
  ) {
    super(
      `cannot reach Kafka bootstrap servers ${brokers.join(',')}: ${detail}. Is the broker running? ` +
        `Set ${options?.setting ?? 'KAFKA_BOOTSTRAP_SERVERS'} to an address this process can reach ` +
        '(inside a container "localhost" is the container itself).',
      options,
    );
  }
}

/** Kafka answered but refused a topic operation (create, describe) for good. */
export class KafkaTopicError extends errorKind({ exitCode: 5, retriable: false }) {}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The innermost Error of a `cause` chain: kafkajs wraps the useful one ("connect ECONNREFUSED …") in NumberOfRetriesExceeded. */
export function rootCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 10 && current instanceof Error && current.cause instanceof Error; depth++) current = current.cause;
  return current;
}
