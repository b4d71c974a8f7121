// Apache Airflow 3 (from PyPI, in the project's virtualenv): API server + UI, scheduler, DAG processor
// and triggerer, on PostgreSQL, scheduling the TypeScript producer (dags/streamline_producer.py).
//
// One environment for all four: the same metadata database, the same JWT secret (the scheduler's
// tasks authenticate to the API server's execution API with it), the project's dags/ folder.
import { settingIfSet } from '@streamline/core';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { findProcessesStartedIn, markerEnv } from '../process.js';
import { airflowDatabaseUrl } from './postgres.js';
import type { AirflowServiceName, LaunchCommand, ServiceContext, ServiceDefinition } from './types.js';

const run = promisify(execFile);

export const AIRFLOW_DAG_ID = 'streamline_producer';

export function airflowUrl(ctx: ServiceContext): string {
  return `http://${ctx.config.host}:${ctx.config.ports.airflow}`;
}

function airflowHome(ctx: ServiceContext): string {
  return ctx.paths.serviceDir('airflow');
}

/** A secret generated once per run directory, kept there (mode 600). */
function persistentSecret(ctx: ServiceContext, name: string): string {
  const file = path.join(airflowHome(ctx), name);
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

export function airflowEnv(ctx: ServiceContext): Record<string, string> {
  const { config, paths } = ctx;
  const home = airflowHome(ctx);
  const url = airflowUrl(ctx);
  return {
    AIRFLOW_HOME: home,
    AIRFLOW__CORE__DAGS_FOLDER: path.join(config.repoRoot, 'dags'),
    AIRFLOW__CORE__LOAD_EXAMPLES: 'False',
    AIRFLOW__CORE__EXECUTOR: 'LocalExecutor',
    // A new user switches the DAG on in the UI, as in the tutorials.
    AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION: 'True',
    AIRFLOW__CORE__PARALLELISM: '4',
    AIRFLOW__CORE__EXECUTION_API_SERVER_URL: `${url}/execution/`,
    AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS: `${config.airflow.username}:admin`,
    AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE: path.join(home, 'simple_auth_manager_passwords.json'),
    AIRFLOW__DATABASE__SQL_ALCHEMY_CONN: airflowDatabaseUrl(ctx),
    AIRFLOW__API__HOST: config.host,
    AIRFLOW__API__PORT: String(config.ports.airflow),
    AIRFLOW__API__BASE_URL: url,
    AIRFLOW__API__WORKERS: '1',
    AIRFLOW__API_AUTH__JWT_SECRET: persistentSecret(ctx, 'jwt-secret'),
    AIRFLOW__API_AUTH__JWT_ISSUER: 'streamline',
    AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL: '15',
    AIRFLOW__LOGGING__BASE_LOG_FOLDER: path.join(home, 'logs'),
    // The DAG runs the producer from this checkout, with the stack's Kafka.
    STREAMLINE_REPO: config.repoRoot,
    KAFKA_BOOTSTRAP_SERVERS: settingIfSet(process.env, 'KAFKA_BOOTSTRAP_SERVERS') ?? `${config.host}:${config.ports.kafka}`,
    PATH: `${paths.venvBin}${path.delimiter}${process.env.PATH ?? ''}`,
  };
}

/** `airflow ...`, marked as ours by its environment (Airflow rewrites its command line). */
function airflowCommand(ctx: ServiceContext, args: string[]): LaunchCommand {
  return {
    command: path.join(ctx.paths.venvBin, 'airflow'),
    args,
    env: { ...airflowEnv(ctx), ...markerEnv(ctx.config.runDir) },
    cwd: airflowHome(ctx),
  };
}

interface HealthReport {
  metadatabase?: { status?: string };
  scheduler?: { status?: string | null };
  triggerer?: { status?: string | null };
  dag_processor?: { status?: string | null };
}

async function airflowHealth(ctx: ServiceContext): Promise<HealthReport | undefined> {
  try {
    const res = await fetch(`${airflowUrl(ctx)}/api/v2/monitor/health`, { signal: AbortSignal.timeout(3_000) });
    return res.ok ? ((await res.json()) as HealthReport) : undefined;
  } catch {
    return undefined;
  }
}

function component(
  ctx: ServiceContext,
  name: AirflowServiceName,
  subcommand: string,
  what: string,
  check: (h: HealthReport) => boolean,
  healthDescription: string,
): ServiceDefinition {
  return {
    name,
    description: `Airflow ${what}`,
    ports: [],
    dependsOn: ['airflow-api-server'],
    async prepare() {
      mkdirSync(airflowHome(ctx), { recursive: true });
    },
    launch: async () => airflowCommand(ctx, [subcommand]),
    async healthy() {
      const h = await airflowHealth(ctx);
      return h !== undefined && check(h);
    },
    healthDescription,
  };
}

export function airflowServices(ctx: ServiceContext): ServiceDefinition[] {
  const { config } = ctx;
  const apiServer: ServiceDefinition = {
    name: 'airflow-api-server',
    description: `Airflow API server and UI on ${airflowUrl(ctx)} (user ${config.airflow.username})`,
    ports: [{ name: 'AIRFLOW_PORT', port: config.ports.airflow }],
    dependsOn: ['postgres'],
    async prepare() {
      const home = airflowHome(ctx);
      mkdirSync(home, { recursive: true });
      // The simple auth manager's login, from AIRFLOW_ADMIN_USERNAME / AIRFLOW_ADMIN_PASSWORD.
      writeFileSync(path.join(home, 'simple_auth_manager_passwords.json'), JSON.stringify({ [config.airflow.username]: config.airflow.password }), {
        mode: 0o600,
      });
      // Creates or upgrades the schema; a no-op when it is current.
      const migrate = airflowCommand(ctx, ['db', 'migrate']);
      await run(migrate.command, migrate.args, { env: { ...process.env, ...migrate.env }, cwd: home, timeout: 600_000, maxBuffer: 16 * 1024 * 1024 });
    },
    launch: async () => airflowCommand(ctx, ['api-server', '--port', String(config.ports.airflow), '--host', config.host]),
    async healthy() {
      const h = await airflowHealth(ctx);
      return h?.metadatabase?.status === 'healthy';
    },
    healthDescription: '/api/v2/monitor/health answers with a healthy metadata database',
    // uvicorn's setproctitle overwrites the command line and the environment: the cwd identifies it.
    workingDirectory: airflowHome(ctx),
    // Stopped last of the four: then whatever still runs in Airflow's home and calls itself `airflow …`
    // is a LocalExecutor worker or the log server the scheduler left.
    leftovers: () => findProcessesStartedIn(airflowHome(ctx), 'airflow'),
  };
  return [
    apiServer,
    component(ctx, 'airflow-scheduler', 'scheduler', 'scheduler (LocalExecutor)', (h) => h.scheduler?.status === 'healthy', 'the scheduler heartbeats'),
    component(
      ctx,
      'airflow-dag-processor',
      'dag-processor',
      'DAG processor (dags/)',
      (h) => h.dag_processor?.status === 'healthy',
      'the DAG processor heartbeats',
    ),
    component(ctx, 'airflow-triggerer', 'triggerer', 'triggerer', (h) => h.triggerer?.status === 'healthy', 'the triggerer heartbeats'),
  ];
}
