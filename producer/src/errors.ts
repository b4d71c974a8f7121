// The producer's typed errors, on the shared base (@streamline/core): each says what failed AND what the
// user can do about it, because these messages are the last line a user sees before the CLI exits
// non-zero. Configuration and Kafka-reachability errors are the shared ones, re-exported.
import { errorKind } from '@streamline/core';

export { ConfigError, KafkaUnreachableError, StreamlineError, errorMessage } from '@streamline/core';

/** randomuser.me (or RANDOMUSER_URL) kept failing after all retries. Outages and rate limits pass: retriable. */
export class RandomUserUnavailableError extends errorKind({ exitCode: 3, retriable: true }) {
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
export class NoValidRecordsError extends errorKind({ exitCode: 3, retriable: false }) {}

/** Kafka was reachable but a send or topic operation failed for good (after kafkajs' own retries). */
export class KafkaSendError extends errorKind({ exitCode: 5, retriable: true }) {}

/** Schema Registry rejected or could not store the record schema. */
export class SchemaRegistryError extends errorKind({ exitCode: 6, retriable: false }) {}

/** The thread that generates synthetic users stopped (it crashed, or ran out of memory). */
export class ProducerWorkerError extends errorKind({ exitCode: 1, retriable: false }) {}
