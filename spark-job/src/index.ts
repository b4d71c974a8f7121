// Public API of @streamline/spark-job: the Pipeline and the types its methods take and return.
export { Pipeline, type PipelineOptions, type SubmitOptions } from './pipeline.js';
export { RunningJob, type LineSink } from './job/running-job.js';
export type { JobStatus, ActiveQueryStatus, EndedQueryStatus } from './job/status.js';
export type { StopResult } from './job/stop.js';
export type { QueryPlanText } from './job/explain.js';
export { JobAlreadyRunningError, QueriesNotStoppedError, QueryEndedError, SparkExtensionsMissingError } from './job/errors.js';
export { registerRecordFunction, recordResultType } from './record-function.js';
export {
  pipelineDefaults,
  sessionDefaults,
  toPipelineConfig,
  DEFAULT_SINK_OPTIONS,
  CASSANDRA_WRITERS,
  type CassandraWriter,
  type PipelineConfig,
  type RawPipelineOptions,
  type SessionConfig,
} from './config.js';
export { applySchema, cassandraClient } from './apply-schema.js';
export { BATCH_TIMESTAMP_SQL, buildPipelinePlan, CASSANDRA_WRITER_FORMATS, SPLIT_SINK_FORMAT, classify, queryName, userColumnsSql } from './plan.js';
export { USER_COLUMNS, QUARANTINE_COLUMNS, DEFAULT_SCHEMA_NAMES } from './schema.js';
