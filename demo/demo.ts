// `make demo`: the whole pipeline on the local stack in one command, for a new user.
//
//   stack up → schema applied → job submitted → producer streaming → rows counted in Cassandra
//
// The source is the real randomuser.me API. Where it cannot be reached (machines without internet),
// the demo says so in one line and streams synthetic users instead, labelled as such in every line.
// (`make produce` itself never switches source on its own.) Ctrl-C stops the producer, the job and
// the stack (if the demo started it), cleanly. With --airflow, Airflow schedules the producer instead.
import { setTimeout as sleep } from 'node:timers/promises';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { parseProducerArgs, probeRandomUser, runProducer, consoleLogger } from '../producer/src/index.js';
import { cassandraClient } from '../spark-job/src/apply-schema.js';
import { startPipeline, stopAll } from '../spark-job/src/commands/submit.js';
import { pipelineDefaults, sessionDefaults, toPipelineConfig } from '../spark-job/src/config.js';
import { AIRFLOW_DAG_ID, airflowUrl, down, loadStackConfig, setDagPaused, stackPaths, up } from '../stack/src/index.js';

const argv = await yargs(hideBin(process.argv))
  .scriptName('demo')
  .option('rate', { type: 'number', default: 200, describe: 'synthetic records per second (when the API is unreachable)' })
  .option('randomuser-url', { type: 'string', default: process.env.RANDOMUSER_URL ?? 'https://randomuser.me', describe: 'randomuser.me base URL' })
  .option('duration', { type: 'number', describe: 'stop by itself after this many seconds' })
  .option('keep-stack', { type: 'boolean', default: false, describe: 'leave the local stack running on exit' })
  .option('airflow', {
    type: 'boolean',
    default: false,
    describe: 'let Airflow drive the producer: start Airflow + PostgreSQL and switch the streamline_producer DAG on (UI on AIRFLOW_PORT, 8088)',
  })
  .strict()
  .parseAsync();

const say = (line: string): void => console.log(`[demo] ${line}`);
const stop = new AbortController();
let stopping = false;
const onSignal = (): void => {
  if (stopping) process.exit(130);
  stopping = true;
  say('stopping: producer, then the job, then the stack...');
  stop.abort();
};
// Ctrl-C, kill and a closed terminal (SIGHUP) all stop the same clean way; a second signal forces.
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.on('SIGHUP', onSignal);
// `make demo | tee log` then Ctrl-C closes our stdout first: an EPIPE must not abort the shutdown.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});
if (argv.duration) setTimeout(onSignal, argv.duration * 1000).unref();

// 1. The stack.
const stackConfig = loadStackConfig();
const stack = await up(stackConfig, (line) => say(line.trim()));

// 2. The source: the real API if it answers, else synthetic — said once, clearly.
const probe = await probeRandomUser(argv['randomuser-url'], 5_000);
const producerArgs = probe.ok
  ? ['--source', 'randomuser', '--randomuser-url', argv['randomuser-url'], '--results', '50', '--interval', '5']
  : ['--source', 'synthetic', '--rate', String(argv.rate), '--results', '100'];
if (probe.ok) say(`source: randomuser.me answered in ${probe.latencyMs} ms; fetching 50 users every 5 s`);
else say(`source: randomuser.me is not reachable from this machine (${probe.reason}); streaming SYNTHETIC users instead, ${argv.rate}/s`);
const label = probe.ok ? 'randomuser' : 'synthetic';

// 3. The job.
const pipeline = toPipelineConfig(pipelineDefaults(process.env));
const job = await startPipeline({ pipeline, session: sessionDefaults(process.env), detach: true, progressIntervalMs: 5_000, startupCheckMs: 60_000 }, (line) =>
  say(`job: ${line}`),
);

// 4. The producer: in this process until Ctrl-C, or scheduled by Airflow (--airflow), as the tutorials do.
let producing: ReturnType<typeof runProducer> | undefined;
let airflowStarted = false;
if (argv.airflow) {
  // Read by the DAG when Airflow parses it: the same source and rate as the in-process producer.
  process.env.STREAMLINE_PRODUCER_SOURCE = label;
  if (!probe.ok) process.env.STREAMLINE_PRODUCER_RATE = String(argv.rate);
  const airflow = await up(stackConfig, (line) => say(line.trim()), { group: 'airflow' });
  airflowStarted = airflow.started.length > 0;
  await setDagPaused(stackConfig, AIRFLOW_DAG_ID, false);
  say(
    `airflow: ${AIRFLOW_DAG_ID} switched on; a run every minute — watch them at ${airflowUrl({ config: stackConfig, paths: stackPaths(stackConfig) })} (user ${stackConfig.airflow.username})`,
  );
} else {
  const parsed = await parseProducerArgs(producerArgs, process.env);
  if (parsed.kind !== 'config') throw new Error('unexpected producer --help');
  producing = runProducer(parsed.config, { signal: stop.signal, log: consoleLogger('warn') });
}

// 5. Watch users land in Cassandra.
const db = cassandraClient(pipeline.cassandra);
await db.connect();
const { keyspace, table, quarantineTable } = pipeline.cassandra.names;
const countRows = async (t: string): Promise<number> =>
  Number((await db.execute(`SELECT count(*) AS n FROM ${keyspace}.${t}`, [], { readTimeout: 60_000 })).rows[0]!.n);
say(`watching ${keyspace}.${table} (try: make cqlsh CQL="SELECT first_name, last_name, nationality FROM ${table} LIMIT 5")`);
let last = await countRows(table);
let lastAt = Date.now();
while (!stop.signal.aborted) {
  // timers/promises removes its abort listener when the timer fires: none piles up per tick.
  await sleep(5_000, undefined, { signal: stop.signal }).catch(() => undefined);
  if (stop.signal.aborted) break;
  const [rows, quarantined] = await Promise.all([countRows(table), countRows(quarantineTable)]);
  const rate = ((rows - last) * 1000) / (Date.now() - lastAt);
  say(`[${label}] ${table}: ${rows.toLocaleString('en-US')} rows (+${rate.toFixed(0)}/s), quarantine: ${quarantined}`);
  last = rows;
  lastAt = Date.now();
}

// 6. Everything down, in order: nothing produced after this is lost, it waits in Kafka.
if (producing) {
  const totals = await producing;
  say(`producer: sent ${totals.sent} ${label} records`);
} else {
  await setDagPaused(stackConfig, AIRFLOW_DAG_ID, true).catch((error: unknown) => say(`airflow: could not switch the DAG off: ${String(error)}`));
  if (airflowStarted && !argv['keep-stack']) await down(stackConfig, (line) => say(line.trim()), { group: 'airflow' });
}
await stopAll(job, (line) => say(`job: ${line}`));
job.spark.close();
await db.shutdown();
if (!argv['keep-stack'] && stack.started.length > 0) await down(stackConfig, (line) => say(line.trim()));
say('stopped cleanly');
