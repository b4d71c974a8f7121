// The producer's typed errors, on the shared base (@streamline/core): each says what failed AND what the
// user can do about it, because these messages are the last line a user sees before the CLI exits
// non-zero. Configuration and Kafka-reachability errors are the shared ones, re-exported.
import { StreamlineError } from '@streamline/core';

export { ConfigError, KafkaUnreachableError, StreamlineError, errorMessage } from '@streamline/core';

/** randomuser.me (or whatever RANDOMUSER_URL points at) kept failing after all retries. */
export class RandomUserUnavailableError extends StreamlineError {
  readonly exitCode = 3;
  // Outages and rate limits pass: the next scheduled run may well succeed.
  readonly retriable = true;
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
export class NoValidRecordsError extends StreamlineError {
  readonly exitCode = 3;
  readonly retriable = false;
}

/** Kafka was reachable but a send or topic operation failed for good (after kafkajs' own retries). */
export class KafkaSendError extends StreamlineError {
  readonly exitCode = 5;
  readonly retriable = true;
}

/** Schema Registry rejected or could not store the record schema. */
export class SchemaRegistryError extends StreamlineError {
  readonly exitCode = 6;
  readonly retriable = false;
}
