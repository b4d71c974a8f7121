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
import { consoleLogger, parseProducerArgs, probeRandomUser, runProducer } from '@streamline/producer';
import { StreamlineError, onShutdownSignals, setting } from '@streamline/core';
import { Pipeline, cassandraClient, type RunningJob } from '@streamline/spark-job';
import { AIRFLOW_DAG_ID, airflowUrl, down, findOurProcesses, loadStackConfig, setDagPaused, stackPaths, up, type UpResult } from '@streamline/stack';
import type cassandra from 'cassandra-driver';

const argv = await yargs(hideBin(process.argv))
  .scriptName('demo')
  .option('rate', { type: 'number', default: 200, describe: 'synthetic records per second (when the API is unreachable)' })
  .option('randomuser-url', { type: 'string', default: setting(process.env, 'RANDOMUSER_URL'), describe: 'randomuser.me base URL' })
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
const sayStack = (line: string): void => say(line.trim());
// `make demo | tee log` then Ctrl-C closes our stdout first: an EPIPE must not abort the shutdown.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

const stackConfig = loadStackConfig();
const runDir = stackPaths(stackConfig).runDir;
// The demo stops (and, when forced, kills) only a stack it started itself: one already running stays.
const ownsStack = !argv['keep-stack'] && findOurProcesses(runDir).length === 0;

// Ctrl-C, kill and a closed terminal (SIGHUP) all stop the same clean way: producer, then the job, then
// the stack. A second signal forces: the JVMs the demo started are killed at once, none is left behind.
const stop = new AbortController();
onShutdownSignals(
  () => {
    say('stopping: producer, then the job, then the stack... (again to force)');
    stop.abort();
  },
  () => {
    if (!ownsStack) return;
    const pids = findOurProcesses(runDir);
    say(`forced: killing the ${pids.length} processes of the stack the demo started`);
    for (const pid of pids) killQuietly(pid);
  },
);
if (argv.duration) setTimeout(() => process.kill(process.pid, 'SIGTERM'), argv.duration * 1000).unref();

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

const pipeline = Pipeline.fromEnv(process.env, {}, { log: (line) => say(`job: ${line}`) });
let stack: UpResult | undefined;
let airflowStarted = false;
let job: RunningJob | undefined;
let producing: ReturnType<typeof runProducer> | undefined;
let db: cassandra.Client | undefined;
let label = 'synthetic';

try {
  // 1. The stack. A signal during its start-up skips everything after it.
  stack = await up(stackConfig, sayStack);

  // 2. The source: the real API if it answers, else synthetic — said once, clearly.
  if (!stop.signal.aborted) {
    const probe = await probeRandomUser(argv['randomuser-url'], 5_000);
    label = probe.ok ? 'randomuser' : 'synthetic';
    if (probe.ok) say(`source: randomuser.me answered in ${probe.latencyMs} ms; fetching 50 users every 5 s`);
    else say(`source: randomuser.me is not reachable from this machine (${probe.reason}); streaming SYNTHETIC users instead, ${argv.rate}/s`);

    // 3. The job.
    if (!stop.signal.aborted) job = await pipeline.submit({ startupCheckMs: 60_000 });

    // 4. The producer: in this process until Ctrl-C, or scheduled by Airflow (--airflow), as the tutorials do.
    if (stop.signal.aborted) {
      // Stopping already: start nothing more.
    } else if (argv.airflow) {
      // Read by the DAG when Airflow parses it: the same source and rate as the in-process producer.
      process.env.STREAMLINE_PRODUCER_SOURCE = label;
      if (!probe.ok) process.env.STREAMLINE_PRODUCER_RATE = String(argv.rate);
      const airflow = await up(stackConfig, sayStack, { group: 'airflow' });
      airflowStarted = airflow.started.length > 0;
      await setDagPaused(stackConfig, AIRFLOW_DAG_ID, false);
      say(
        `airflow: ${AIRFLOW_DAG_ID} switched on; a run every minute — watch them at ${airflowUrl({ config: stackConfig, paths: stackPaths(stackConfig) })} (user ${stackConfig.airflow.username})`,
      );
    } else {
      const producerArgs = probe.ok
        ? ['--source', 'randomuser', '--randomuser-url', argv['randomuser-url'], '--results', '50', '--interval', '5']
        : ['--source', 'synthetic', '--rate', String(argv.rate), '--results', '100'];
      const parsed = await parseProducerArgs(producerArgs, process.env);
      if (parsed.kind !== 'config') throw new Error('unexpected producer --help');
      producing = runProducer(parsed.config, { signal: stop.signal, log: consoleLogger('warn') });
    }
  }

  // 5. Watch users land in Cassandra.
  if (!stop.signal.aborted) {
    db = cassandraClient(pipeline.config.cassandra);
    await db.connect();
    await watchRows(db);
  }
} catch (error) {
  // One line that says what failed; the teardown below still runs, and the exit code says it failed.
  say(`failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  process.exitCode = error instanceof StreamlineError ? error.exitCode : 1;
} finally {
  // 6. Everything down, in order, whatever happened above: nothing produced is lost, it waits in Kafka.
  await shutdown();
}

async function watchRows(client: cassandra.Client): Promise<void> {
  const { keyspace, table, quarantineTable } = pipeline.config.cassandra.names;
  const countRows = async (t: string): Promise<number> =>
    Number((await client.execute(`SELECT count(*) AS n FROM ${keyspace}.${t}`, [], { readTimeout: 60_000 })).rows[0]!.n);
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
}

async function shutdown(): Promise<void> {
  // Whatever ended the demo (a signal, --duration, an error), the producer must see the stop too.
  stop.abort();
  let clean = true;
  const step = async (what: string, action: () => Promise<unknown>): Promise<void> => {
    try {
      await action();
    } catch (error) {
      clean = false;
      say(`${what} failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  };
  if (producing) {
    await step('producer', async () => {
      const totals = await producing!;
      say(`producer: sent ${totals.sent} ${label} records`);
    });
  }
  if (argv.airflow) {
    await step('switching the DAG off', () => setDagPaused(stackConfig, AIRFLOW_DAG_ID, true));
    if (airflowStarted && !argv['keep-stack']) await step('stopping Airflow', () => down(stackConfig, sayStack, { group: 'airflow' }));
  }
  if (job) {
    const running = job;
    await step('stopping the job', async () => {
      if (!(await running.stop())) throw new Error('a query could not be confirmed stopped');
    });
    running.close();
  }
  if (db) await step('closing Cassandra', () => db!.shutdown());
  // A stack that failed half-way through its start (`stack` unset) is ours to stop too.
  if (ownsStack && (stack === undefined || stack.started.length > 0)) await step('stopping the stack', () => down(stackConfig, sayStack));
  if (!clean) process.exitCode = 1;
  else if (process.exitCode === undefined || process.exitCode === 0) say('stopped cleanly');
}
