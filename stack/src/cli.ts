#!/usr/bin/env -S npx tsx
// `stack up | down | status | logs`: the local stack from the command line (behind make stack-*).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { StreamlineError } from '@streamline/core';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { loadStackConfig } from './config.js';
import { stackPaths } from './paths.js';
import { findOurProcesses, readCmdline } from './process.js';
import { down, rssMiB, status, up } from './stack.js';
import { pinnedVersions } from './versions.js';
import { assertConnectorClasses, assertSparkJarsDir } from './preflight.js';
import { masterStatus } from './health.js';
import { airflowUrl } from './services/airflow.js';

const SERVICES = ['kafka', 'cassandra', 'spark-master', 'spark-worker', 'spark-connect'] as const;

async function printStatus(): Promise<boolean> {
  const config = loadStackConfig();
  const services = await status(config);
  const versions = pinnedVersions();
  console.log(
    `Local stack in ${config.runDir} — Spark ${versions.spark} (Scala ${versions.scalaBinary}), Kafka ${versions.kafka}, Cassandra ${versions.cassandra}`,
  );
  let total = 0;
  const servicePids = new Set<number>();
  for (const s of services) {
    const state = s.running ? (s.healthy ? 'healthy' : 'running, NOT healthy') : 'stopped';
    const rss = s.rssMiB !== undefined ? `${s.rssMiB.toFixed(0)} MiB` : '';
    if (s.pid !== undefined) servicePids.add(s.pid);
    total += s.rssMiB ?? 0;
    console.log(`  ${s.name.padEnd(14)} ${state.padEnd(20)} ${(s.pid ? `pid ${s.pid}` : '').padEnd(11)} ${rss.padStart(9)}  ${s.description}`);
  }
  const airflowPids = new Set([...(await status(config, 'airflow')), ...(await status(config, 'spark4'))].flatMap((s) => (s.pid !== undefined ? [s.pid] : [])));
  for (const pid of findOurProcesses(config.runDir).filter((p) => !servicePids.has(p) && !airflowPids.has(p))) {
    // JVMs no pid file names are executors; anything else is a child of Airflow or PostgreSQL.
    const java = readCmdline(pid)?.[0]?.endsWith('java') ?? false;
    if (!java) continue;
    const rss = rssMiB(pid) ?? 0;
    total += rss;
    console.log(`  ${'executor'.padEnd(14)} ${'running'.padEnd(20)} ${`pid ${pid}`.padEnd(11)} ${`${rss.toFixed(0)} MiB`.padStart(9)}  launched by the worker`);
  }
  const master = await masterStatus(config.host, config.ports.sparkMasterUi);
  if (master) console.log(`  master: ${master.status}, ${master.aliveWorkers} alive worker(s)`);
  console.log(`  total RSS: ${total.toFixed(0)} MiB`);
  return services.every((s) => s.healthy);
}

async function printAirflowStatus(): Promise<boolean> {
  const services = await status(loadStackConfig(), 'airflow');
  let total = 0;
  for (const s of services) {
    const state = s.running ? (s.healthy ? 'healthy' : 'running, NOT healthy') : 'stopped';
    total += s.rssMiB ?? 0;
    const rss = s.rssMiB !== undefined ? `${s.rssMiB.toFixed(0)} MiB` : '';
    console.log(`  ${s.name.padEnd(21)} ${state.padEnd(20)} ${(s.pid ? `pid ${s.pid}` : '').padEnd(11)} ${rss.padStart(9)}  ${s.description}`);
  }
  const main = new Set(services.flatMap((s) => (s.pid !== undefined ? [s.pid] : [])));
  const config = loadStackConfig();
  for (const pid of findOurProcesses(config.runDir)) {
    if (main.has(pid) || (readCmdline(pid)?.[0]?.endsWith('java') ?? true)) continue;
    total += rssMiB(pid) ?? 0;
  }
  console.log(`  Airflow total RSS (with workers and PostgreSQL backends): ${total.toFixed(0)} MiB`);
  return services.every((s) => s.healthy);
}

await yargs(hideBin(process.argv))
  .scriptName('stack')
  .usage('$0 <command>\n\nThe local Kafka + Cassandra + Spark (master, worker, Connect) stack, as plain JVM processes.')
  .command(
    'up [services..]',
    'start every service (idempotent) and wait until all are healthy',
    (y) => y.positional('services', { choices: SERVICES, array: true, describe: 'only these services (and what they depend on)' }),
    async (argv) => {
      const only = argv.services && argv.services.length > 0 ? argv.services : undefined;
      await up(loadStackConfig(), console.log, only ? { only } : {});
      if (only === undefined) await printStatus();
    },
  )
  .command('airflow-up', 'start PostgreSQL and Airflow (API server/UI, scheduler, DAG processor, triggerer); wait until healthy', {}, async () => {
    const config = loadStackConfig();
    await up(config, console.log, { group: 'airflow' });
    if (!(await printAirflowStatus())) process.exitCode = 1;
    console.log(
      `  UI: ${airflowUrl({ config, paths: stackPaths(config) })} (user ${config.airflow.username}; AIRFLOW_ADMIN_USERNAME / AIRFLOW_ADMIN_PASSWORD)`,
    );
  })
  .command('airflow-down', 'stop Airflow and its PostgreSQL (the core stack keeps running)', {}, async () => {
    const stopped = await down(loadStackConfig(), console.log, { group: 'airflow' });
    console.log(stopped === 0 ? 'Airflow: nothing was running' : `Airflow: stopped ${stopped} process(es)`);
  })
  .command('airflow-status', 'health, pid and memory of PostgreSQL and the Airflow components; exit 1 unless all are healthy', {}, async () => {
    if (!(await printAirflowStatus())) process.exitCode = 1;
  })
  .command('spark4-up', 'start the Spark 4.0.1 Connect server of the compatibility tests (local mode; not part of up)', {}, async () => {
    const config = loadStackConfig();
    await up(config, console.log, { group: 'spark4' });
    for (const s of await status(config, 'spark4'))
      console.log(`  ${s.name}: ${s.healthy ? 'healthy' : 'NOT healthy'}, pid ${s.pid ?? '-'}, ${s.rssMiB?.toFixed(0) ?? '?'} MiB  ${s.description}`);
  })
  .command('spark4-down', 'stop the Spark 4.0.1 Connect server', {}, async () => {
    const stopped = await down(loadStackConfig(), console.log, { group: 'spark4' });
    console.log(stopped === 0 ? 'Spark 4 Connect: nothing was running' : `Spark 4 Connect: stopped ${stopped} process(es)`);
  })
  .command(
    'down [services..]',
    'stop what this stack started (default: every service, and any orphan of ours)',
    (y) => y.positional('services', { choices: SERVICES, array: true, describe: 'only these services' }),
    async (argv) => {
      const config = loadStackConfig();
      const only = argv.services && argv.services.length > 0 ? argv.services : undefined;
      const stopped = await down(config, console.log, only ? { only } : {});
      console.log(stopped === 0 ? 'Local stack: nothing was running' : `Local stack: stopped ${stopped} process(es)`);
    },
  )
  .command(
    'preflight',
    'check a Spark jars directory: one Scala version, one Spark version, the connectors present, every class they need on it',
    (y) =>
      y
        .option('spark-jars', { type: 'string', describe: "directory to check (default: the local stack's SPARK_HOME/jars)" })
        .option('connectors', { type: 'string', describe: 'the connector jars whose classes must all resolve (default: jars/target/connectors)' }),
    async (argv) => {
      const config = loadStackConfig();
      const versions = pinnedVersions();
      const dir = argv.sparkJars ?? stackPaths(config).sparkJars;
      assertSparkJarsDir(dir, { sparkVersion: versions.spark, scalaBinary: versions.scalaBinary });
      const connectors = argv.connectors ?? stackPaths(config).connectors;
      console.log(`preflight: ${assertConnectorClasses(connectors, [dir, connectors])}`);
      console.log(
        `preflight: ${dir} is a consistent Spark ${versions.spark} / Scala ${versions.scalaBinary} classpath with the Kafka and Cassandra connectors`,
      );
    },
  )
  .command('status', 'show each service, its health and memory; exit 1 unless all are healthy', {}, async () => {
    if (!(await printStatus())) process.exitCode = 1;
  })
  .command(
    'logs [service]',
    'show (or follow) service logs',
    (y) =>
      y
        .positional('service', { choices: SERVICES, describe: 'one service (default: all)' })
        .option('follow', { alias: 'f', type: 'boolean', default: false, describe: 'keep printing new lines' })
        .option('lines', { alias: 'n', type: 'number', default: 50 }),
    async (argv) => {
      const paths = stackPaths(loadStackConfig());
      const files = argv.service
        ? [paths.logFile(argv.service)]
        : existsSync(paths.logDir)
          ? readdirSync(paths.logDir)
              .filter((f) => f.endsWith('.log'))
              .map((f) => `${paths.logDir}/${f}`)
          : [];
      if (files.length === 0) {
        console.error(`No logs yet in ${paths.logDir}: start the stack with \`make stack-up\`.`);
        process.exitCode = 1;
        return;
      }
      const tail = spawn('tail', ['-n', String(argv.lines), ...(argv.follow ? ['-F'] : []), ...files], { stdio: 'inherit' });
      await new Promise((resolve) => tail.on('exit', resolve));
    },
  )
  .demandCommand(1, 'Name a command: up, down, status or logs.')
  .strict()
  .fail((message, error, y) => {
    if (error) {
      console.error(`stack: ${error.message}`);
      process.exit(error instanceof StreamlineError ? error.exitCode : 1);
    }
    console.error(`stack: ${message}\n`);
    y.showHelp();
    process.exit(2);
  })
  .help()
  .parseAsync();
