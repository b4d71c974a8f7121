#!/usr/bin/env -S npx tsx
// streamline-job: submit | status | stop | explain — the Kafka → Cassandra streaming job over Spark Connect.
// Configuration is parsed here, once, into typed objects; every failure ends in one clear line and a
// non-zero exit.
import { StreamlineError, onShutdownSignals } from '@streamline/core';
import { SparkConnectError, SparkConnectUnavailableError } from 'spark-connect';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { CASSANDRA_WRITERS, pipelineDefaults, sessionDefaults, toPipelineConfig, type RawPipelineOptions, type SessionConfig } from './config.js';
import { QueriesNotStoppedError } from './job/errors.js';
import type { JobStatus } from './job/status.js';
import { Pipeline } from './pipeline.js';

const print = (line: string): void => console.log(line);
// `make submit | tee log` then Ctrl-C closes our stdout first: an EPIPE must not abort stopping the queries.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});
const env = process.env;
const defaults = pipelineDefaults(env);
const sessionDefault = sessionDefaults(env);

function sessionOptions<T>(y: Argv<T>) {
  return y
    .option('remote', { type: 'string', default: sessionDefault.remote, describe: 'Spark Connect URL (env SPARK_REMOTE)', group: 'Spark:' })
    .option('session-id', {
      type: 'string',
      describe: 'join this Spark Connect session (env SPARK_SESSION_ID); default: the one the last submit saved',
      group: 'Spark:',
    });
}

function pipelineOptions<T>(y: Argv<T>) {
  return sessionOptions(y)
    .option('kafka-bootstrap-servers', {
      type: 'string',
      default: defaults.kafkaBootstrapServers,
      describe: 'as Spark sees them (env KAFKA_BOOTSTRAP_SERVERS)',
      group: 'Kafka source:',
    })
    .option('kafka-admin-bootstrap-servers', {
      type: 'string',
      default: defaults.kafkaAdminBootstrapServers,
      describe: 'as this CLI sees them, to create the topic (env KAFKA_ADMIN_BOOTSTRAP_SERVERS; default: the above)',
      group: 'Kafka source:',
    })
    .option('topic', { type: 'string', default: defaults.topic, describe: 'env KAFKA_TOPIC', group: 'Kafka source:' })
    .option('topic-partitions', {
      type: 'string',
      default: String(defaults.topicPartitions),
      describe: 'partitions when submit creates the topic (env KAFKA_TOPIC_PARTITIONS)',
      group: 'Kafka source:',
    })
    .option('topic-replication-factor', {
      type: 'string',
      default: String(defaults.topicReplicationFactor),
      describe: 'replication factor when submit creates the topic (env KAFKA_TOPIC_REPLICATION_FACTOR)',
      group: 'Kafka source:',
    })
    .option('starting-offsets', {
      type: 'string',
      choices: ['earliest', 'latest'],
      default: defaults.startingOffsets,
      describe: 'where a NEW checkpoint starts; later runs resume from the checkpoint',
      group: 'Kafka source:',
    })
    .option('max-offsets-per-trigger', {
      type: 'number',
      default: defaults.maxOffsetsPerTrigger,
      describe: 'records per micro-batch at most',
      group: 'Kafka source:',
    })
    .option('fail-on-data-loss', {
      type: 'boolean',
      default: defaults.failOnDataLoss,
      describe: 'fail (rather than skip) when offsets were deleted before being read',
      group: 'Kafka source:',
    })
    .option('cassandra-contact-points', {
      type: 'string',
      default: defaults.cassandraContactPoints,
      describe: 'host:port,... for the schema (env CASSANDRA_CONTACT_POINTS)',
      group: 'Cassandra sink:',
    })
    .option('spark-cassandra-host', {
      type: 'string',
      default: defaults.sparkCassandraHost,
      describe: 'host[:port] as the executors see it, if different (env SPARK_CASSANDRA_CONNECTION_HOST)',
      group: 'Cassandra sink:',
    })
    .option('cassandra-username', { type: 'string', default: defaults.cassandraUsername, describe: 'env CASSANDRA_USERNAME', group: 'Cassandra sink:' })
    .option('cassandra-password', { type: 'string', default: defaults.cassandraPassword, describe: 'env CASSANDRA_PASSWORD', group: 'Cassandra sink:' })
    .option('cassandra-local-dc', { type: 'string', default: defaults.cassandraLocalDc, describe: 'env CASSANDRA_LOCAL_DC', group: 'Cassandra sink:' })
    .option('keyspace', { type: 'string', default: defaults.keyspace, describe: 'env CASSANDRA_KEYSPACE', group: 'Cassandra sink:' })
    .option('table', { type: 'string', default: defaults.table, describe: 'valid records (env CASSANDRA_TABLE)', group: 'Cassandra sink:' })
    .option('quarantine-table', {
      type: 'string',
      default: defaults.quarantineTable,
      describe: 'malformed records (env CASSANDRA_QUARANTINE_TABLE)',
      group: 'Cassandra sink:',
    })
    .option('replication', {
      type: 'string',
      default: defaults.replication,
      describe: 'keyspace replication: <rf> or <dc>:<rf>,... (env CASSANDRA_REPLICATION)',
      group: 'Cassandra sink:',
    })
    .option('sink-option', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe: 'spark.cassandra.<name>=<value>, repeatable (write tuning)',
      group: 'Cassandra sink:',
    })
    .option('cassandra-writer', {
      type: 'string',
      choices: CASSANDRA_WRITERS,
      default: defaults.cassandraWriter,
      describe:
        "streamline's writer, or the Cassandra connector's for the settings ours refuses (ttl, timestamp, ifNotExists, throughput) (env CASSANDRA_WRITER)",
      group: 'Cassandra sink:',
    })
    .option('checkpoint-location', {
      type: 'string',
      default: defaults.checkpointLocation,
      describe: 'durable directory, as the Connect server sees it (env CHECKPOINT_LOCATION)',
      group: 'Query:',
    })
    .option('trigger', { type: 'string', default: defaults.trigger, describe: 'micro-batch interval (env TRIGGER_INTERVAL)', group: 'Query:' })
    .option('query-name-prefix', { type: 'string', default: defaults.queryNamePrefix, describe: 'prefix of the query name', group: 'Query:' });
}

interface SessionArgs {
  remote: string;
  sessionId: string | undefined;
}

function toSessionConfig(argv: SessionArgs): SessionConfig {
  return { remote: argv.remote, sessionId: argv.sessionId, stateFile: sessionDefault.stateFile };
}

/** The parsed flags of the pipeline commands, as yargs infers them from pipelineOptions(). */
type PipelineArgs = SessionArgs & Awaited<ReturnType<ReturnType<typeof pipelineOptions>['parseAsync']>>;

function toPipeline(argv: PipelineArgs, options: { log?: (line: string) => void } = {}): Pipeline {
  const raw: RawPipelineOptions = {
    kafkaBootstrapServers: argv.kafkaBootstrapServers,
    kafkaAdminBootstrapServers: argv.kafkaAdminBootstrapServers,
    topicPartitions: argv.topicPartitions,
    topicReplicationFactor: argv.topicReplicationFactor,
    topic: argv.topic,
    startingOffsets: argv.startingOffsets,
    maxOffsetsPerTrigger: argv.maxOffsetsPerTrigger,
    failOnDataLoss: argv.failOnDataLoss,
    cassandraContactPoints: argv.cassandraContactPoints,
    sparkCassandraHost: argv.sparkCassandraHost,
    cassandraUsername: argv.cassandraUsername,
    cassandraPassword: argv.cassandraPassword,
    cassandraLocalDc: argv.cassandraLocalDc,
    keyspace: argv.keyspace,
    table: argv.table,
    quarantineTable: argv.quarantineTable,
    replication: argv.replication,
    sinkOption: argv.sinkOption,
    cassandraWriter: argv.cassandraWriter,
    checkpointLocation: argv.checkpointLocation,
    trigger: argv.trigger,
    queryNamePrefix: argv.queryNamePrefix,
  };
  return new Pipeline(toPipelineConfig(raw), toSessionConfig(argv), options);
}

/** Only the session matters to status and stop: the pipeline's own flags are not theirs. */
function sessionPipeline(argv: SessionArgs): Pipeline {
  return new Pipeline(toPipelineConfig(defaults), toSessionConfig(argv), { log: print });
}

function printStatus(status: JobStatus): void {
  print(`session ${status.sessionId} on ${status.remote}: ${status.active.length} active quer${status.active.length === 1 ? 'y' : 'ies'}`);
  for (const q of status.active) {
    print(q.progress);
    print(`  id ${q.id} — ${q.message}${q.isDataAvailable ? ', data available' : ''}${q.isTriggerActive ? ', trigger active' : ''}`);
  }
  for (const q of status.ended) print(`${q.name.padEnd(26)} NOT RUNNING (id ${q.id})${q.failure ? ` — failed: ${q.failure}` : ' — stopped'}`);
}

function oneLine(error: unknown): string {
  // The client speaks of Spark only; which setting names the server is this CLI's to say.
  if (error instanceof SparkConnectUnavailableError) return `${error.name}: ${error.message.split('\n')[0]} Set it with --remote or SPARK_REMOTE.`;
  if (error instanceof SparkConnectError) return `${error.name}${error.errorClass ? ` [${error.errorClass}]` : ''}: ${error.message.split('\n')[0]}`;
  return error instanceof Error ? error.message : String(error);
}

await yargs(hideBin(process.argv))
  .scriptName('streamline-job')
  .usage('$0 <command> [options]\n\nThe Kafka → Cassandra Structured Streaming job, run over Spark Connect.')
  .command(
    'submit',
    'apply the schema, start the query and show live progress until Ctrl-C (which stops it)',
    (y) =>
      pipelineOptions(y)
        .option('detach', { type: 'boolean', default: false, describe: 'leave the query running and exit' })
        .option('progress-interval', { type: 'number', default: 5, describe: 'seconds between progress lines' }),
    async (argv) => {
      // Ctrl-C, kill and a closed terminal (SIGHUP) stop the job the same way; a second signal forces.
      // Listening from the start: a signal during the submit stops the query as soon as it runs.
      const interrupted = new AbortController();
      onShutdownSignals(() => {
        print('stopping...');
        interrupted.abort();
      });
      const job = await toPipeline(argv, { log: print }).submit({ startupCheckMs: 20_000 });
      if (argv.detach && !interrupted.signal.aborted) {
        print('detached: the query keeps running; `make status` shows it, `make stop` stops it');
        job.close();
        return;
      }
      if (!interrupted.signal.aborted) print('streaming; Ctrl-C stops the query (its checkpoint is kept, so a later submit resumes)');
      const failure = await job.watch(argv.progressInterval * 1000, interrupted.signal);
      const stopped = await job.stop();
      job.close();
      if (failure) throw failure;
      if (!stopped) throw new QueriesNotStoppedError('some queries could not be confirmed stopped; see `make status`');
    },
  )
  .command(
    'status',
    "the job's queries and their latest progress (exit 1 if none is active)",
    (y) => sessionOptions(y),
    async (argv) => {
      const status = await sessionPipeline(argv).status();
      if (!status) print(`no job has been submitted from here (no ${sessionDefault.stateFile}); start one with \`make submit\`, or pass --session-id`);
      else printStatus(status);
      if (!status || status.active.length === 0) process.exitCode = 1;
    },
  )
  .command(
    'stop',
    "stop the job's queries (checkpoints are kept)",
    (y) => sessionOptions(y),
    async (argv) => {
      const result = await sessionPipeline(argv).stop();
      if (result.sessionId === undefined)
        print(`nothing to stop: no job has been submitted from here (no ${sessionDefault.stateFile}); pass --session-id to name one`);
      else if (result.stopped.length === 0) print(`no active queries in session ${result.sessionId}`);
    },
  )
  .command(
    'explain',
    'print the parsed, analyzed, optimized and physical plans of the query without starting it',
    (y) => pipelineOptions(y),
    async (argv) => {
      for (const { name, plan } of await toPipeline(argv).explain()) {
        print(`==================== ${name} ====================`);
        print(plan);
      }
    },
  )
  .demandCommand(1, 'Name a command: submit, status, stop or explain.')
  .strict()
  .fail((message, error, y) => {
    if (error) {
      console.error(`streamline-job: ${oneLine(error)}`);
      process.exit(error instanceof StreamlineError ? error.exitCode : 1);
    }
    console.error(`streamline-job: ${message}\n`);
    y.showHelp();
    process.exit(2);
  })
  .help()
  .parseAsync();
