#!/usr/bin/env -S npx tsx
// streamline-job: submit | status | stop | explain — the Kafka → Cassandra streaming job over Spark Connect.
// Configuration is parsed here, once, into typed objects; every failure ends in one clear line and a
// non-zero exit.
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { SparkConnectError, SparkConnectUnavailableError } from 'spark-connect';
import { explainJob } from './commands/explain.js';
import { printStatus } from './commands/status.js';
import { stopJob } from './commands/stop.js';
import { startPipeline, stopAll, watch } from './commands/submit.js';
import { pipelineDefaults, sessionDefaults, toPipelineConfig, type PipelineConfig, type SessionConfig } from './config.js';

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
      type: 'number',
      default: defaults.topicPartitions,
      describe: 'partitions when submit creates the topic (env KAFKA_TOPIC_PARTITIONS)',
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
    .option('checkpoint-location', {
      type: 'string',
      default: defaults.checkpointLocation,
      describe: 'durable directory, as the Connect server sees it (env CHECKPOINT_LOCATION)',
      group: 'Query:',
    })
    .option('trigger', { type: 'string', default: defaults.trigger, describe: 'micro-batch interval (env TRIGGER_INTERVAL)', group: 'Query:' })
    .option('query-name-prefix', { type: 'string', default: defaults.queryNamePrefix, describe: 'prefix of both query names', group: 'Query:' });
}

interface SessionArgs {
  remote: string;
  sessionId: string | undefined;
}

function toSessionConfig(argv: SessionArgs): SessionConfig {
  return { remote: argv.remote, sessionId: argv.sessionId, stateFile: sessionDefault.stateFile };
}

function toPipeline(argv: Record<string, unknown>): PipelineConfig {
  return toPipelineConfig({
    kafkaBootstrapServers: argv.kafkaBootstrapServers as string,
    kafkaAdminBootstrapServers: argv.kafkaAdminBootstrapServers as string | undefined,
    topicPartitions: argv.topicPartitions as number,
    topic: argv.topic as string,
    startingOffsets: argv.startingOffsets as string,
    maxOffsetsPerTrigger: argv.maxOffsetsPerTrigger as number | undefined,
    failOnDataLoss: argv.failOnDataLoss as boolean,
    cassandraContactPoints: argv.cassandraContactPoints as string,
    sparkCassandraHost: argv.sparkCassandraHost as string | undefined,
    cassandraUsername: argv.cassandraUsername as string,
    cassandraPassword: argv.cassandraPassword as string,
    cassandraLocalDc: argv.cassandraLocalDc as string,
    keyspace: argv.keyspace as string,
    table: argv.table as string,
    quarantineTable: argv.quarantineTable as string,
    replication: argv.replication as string,
    sinkOption: argv.sinkOption as string[],
    checkpointLocation: argv.checkpointLocation as string,
    trigger: argv.trigger as string,
    queryNamePrefix: argv.queryNamePrefix as string,
  });
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
    'apply the schema, start both queries and show live progress until Ctrl-C (which stops them)',
    (y) =>
      pipelineOptions(y)
        .option('detach', { type: 'boolean', default: false, describe: 'leave the queries running and exit' })
        .option('progress-interval', { type: 'number', default: 5, describe: 'seconds between progress lines' }),
    async (argv) => {
      const pipeline = toPipeline(argv);
      const job = await startPipeline(
        { pipeline, session: toSessionConfig(argv), detach: argv.detach, progressIntervalMs: argv.progressInterval * 1000, startupCheckMs: 20_000 },
        print,
      );
      if (argv.detach) {
        print('detached: the queries keep running; `make status` shows them, `make stop` stops them');
        job.spark.close();
        return;
      }
      print('streaming; Ctrl-C stops both queries (their checkpoints are kept, so a later submit resumes)');
      const interrupted = new AbortController();
      const onSignal = (): void => {
        if (interrupted.signal.aborted) process.exit(130);
        print('stopping...');
        interrupted.abort();
      };
      // A closed terminal (SIGHUP) stops the job the same way as Ctrl-C; a second signal forces.
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      process.on('SIGHUP', onSignal);
      const failure = await watch(job, argv.progressInterval * 1000, interrupted.signal, print);
      if (!(await stopAll(job, print))) process.exitCode = 1;
      job.spark.close();
      if (failure) throw failure;
    },
  )
  .command(
    'status',
    "the job's queries and their latest progress (exit 1 if none is active)",
    (y) => sessionOptions(y),
    async (argv) => {
      if ((await printStatus(toSessionConfig(argv), print)) === 0) process.exitCode = 1;
    },
  )
  .command(
    'stop',
    "stop the job's queries (checkpoints are kept)",
    (y) => sessionOptions(y),
    async (argv) => {
      await stopJob(toSessionConfig(argv), print);
    },
  )
  .command(
    'explain',
    'print the parsed, analyzed, optimized and physical plans of both queries without starting them',
    (y) => pipelineOptions(y),
    async (argv) => {
      await explainJob(toPipeline(argv), toSessionConfig(argv), print);
    },
  )
  .demandCommand(1, 'Name a command: submit, status, stop or explain.')
  .strict()
  .fail((message, error, y) => {
    if (error) {
      console.error(`streamline-job: ${oneLine(error)}`);
    } else {
      console.error(`streamline-job: ${message}\n`);
      y.showHelp();
    }
    process.exit(1);
  })
  .help()
  .parseAsync();
