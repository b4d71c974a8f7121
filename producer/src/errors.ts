// Typed errors. Each one says what failed AND what the user can do about it, because these
// messages end up as the last line a user sees before the CLI exits non-zero.

export abstract class ProducerError extends Error {
  /** Process exit code the CLI uses for this error. */
  abstract readonly exitCode: number;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad command line / environment. Exit code 2, like most CLIs for usage errors. */
export class ConfigError extends ProducerError {
  readonly exitCode = 2;
}

/** randomuser.me (or whatever RANDOMUSER_URL points at) kept failing after all retries. */
export class RandomUserUnavailableError extends ProducerError {
  readonly exitCode = 3;
  constructor(
    readonly url: string,
    readonly attempts: number,
    readonly lastProblem: string,
    options?: { cause?: unknown },
  ) {
    super(
      `randomuser API at ${url} failed ${attempts} time(s); last problem: ${lastProblem}. ` +
        'The public service has outages and rate limits (HTTP 429). Retry later, lower --results/--rate, ' +
        'or generate data locally with --source synthetic.',
      options,
    );
  }
}

/** The source keeps answering, but with nothing that passes validation. */
export class NoValidRecordsError extends ProducerError {
  readonly exitCode = 3;
}

/** The Kafka bootstrap servers could not be reached (nothing listening, DNS, TLS...). */
export class KafkaUnreachableError extends ProducerError {
  readonly exitCode = 4;
  constructor(
    readonly brokers: readonly string[],
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      `cannot reach Kafka bootstrap servers ${brokers.join(',')}: ${detail}. ` +
        'Is the broker running (local stack or docker compose)? Set KAFKA_BOOTSTRAP_SERVERS or --bootstrap-servers ' +
        'to the address the producer can reach (inside containers "localhost" is the container itself).',
      options,
    );
  }
}

/** Kafka was reachable but a send or topic operation failed for good. */
export class KafkaSendError extends ProducerError {
  readonly exitCode = 5;
}

/** Schema Registry rejected or could not store the record schema. */
export class SchemaRegistryError extends ProducerError {
  readonly exitCode = 6;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
