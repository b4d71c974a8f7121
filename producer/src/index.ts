// Public API of @streamline/producer (used by the demo command and tests).
export { parseProducerArgs, buildConfig, CONFIG_DEFAULTS, type ProducerConfig, type ProducerEnv, type ProducerFlags, type ParseOutcome } from './config.js';
export { runProducer, formatReport, type ProducerTotals, type RunOptions, type ScheduleConfig, type StopReason } from './schedule.js';
export { probeRandomUser, RANDOMUSER_API_PATH, type ProbeResult, type RandomUserSourceConfig } from './source/randomuser.js';
export type { SyntheticSourceConfig } from './source/synthetic.js';
export type { UserSource, SourceKind, SourceStats } from './source/types.js';
export type { RecordSink, SinkStats } from './sink/types.js';
export { preparePage, serializeRecord, type PreparedPage, type SerializedRecord } from './prepare.js';
export type { KafkaSinkConfig } from './sink/kafka.js';
export { RECORD_FIELDS, recordProblem, toUserRecord, type UserRecord, type FieldKind, type RecordFieldName } from './transform.js';
export { recordJsonSchema, registerRecordSchema } from './schema-registry.js';
export * from './errors.js';
export { consoleLogger, silentLogger, memoryLogger, type Logger, type LogLevel } from './log.js';
