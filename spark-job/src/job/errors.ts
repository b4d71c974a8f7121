// The job's own failures, on the shared base: the CLI prints the message on one line and exits with the code.
import { errorKind } from '@streamline/core';

/** Submit found the job's queries already running in the session: submitting again would fight over the checkpoints. */
export class JobAlreadyRunningError extends errorKind({ exitCode: 3, retriable: false }) {}

/** Some query could not be confirmed stopped (the RPC failed or timed out): it may still be running. */
export class QueriesNotStoppedError extends errorKind({ exitCode: 1, retriable: true }) {}

/** A query ended by itself (it failed, or someone stopped it) while the job was watched. */
export class QueryEndedError extends errorKind({ exitCode: 1, retriable: true }) {}

/** The Spark cluster has no streamline-spark-extensions jar (the record function and the split sink). */
export class SparkExtensionsMissingError extends errorKind({ exitCode: 1, retriable: false }) {}
