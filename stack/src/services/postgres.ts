// PostgreSQL, Airflow's metadata database: the upstream binaries Maven Central ships
// (io.zonky.test.postgres:embedded-postgres-binaries-*, unpacked by `make jars`), no root, no Docker.
// They are initdb, postgres and pg_ctl only: the database is created in single-user mode, and health
// is judged by the wire protocol (pg-probe.ts).
//
// PostgreSQL refuses to run as root. When the stack runs as root (CI, containers) initdb and the server
// run as `nobody` through setpriv, and the data directory is theirs; otherwise as the current user.
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { postgresAccepts } from '../pg-probe.js';
import { markerEnv, stackMarker } from '../process.js';
import type { LaunchCommand, ServiceContext, ServiceDefinition } from './types.js';

const run = promisify(execFile);

/** The database, role and password Airflow uses (local and loopback-only, like the rest of the stack). */
export const AIRFLOW_DB = { database: 'airflow', user: 'airflow', password: 'airflow' } as const;

const NOBODY = { uid: 65534, gid: 65534 };

function asServiceUser(command: string, args: string[]): { command: string; args: string[] } {
  if (process.getuid?.() !== 0) return { command, args };
  return { command: 'setpriv', args: [`--reuid=${NOBODY.uid}`, `--regid=${NOBODY.gid}`, '--clear-groups', '--', command, ...args] };
}

export function postgresDataDir(ctx: ServiceContext): string {
  return path.join(ctx.paths.serviceDir('postgres'), 'data');
}

export function airflowDatabaseUrl(ctx: ServiceContext): string {
  const { user, password, database } = AIRFLOW_DB;
  return `postgresql+psycopg2://${user}:${password}@${ctx.config.host}:${ctx.config.ports.postgres}/${database}`;
}

export function postgresService(ctx: ServiceContext): ServiceDefinition {
  const { config, paths } = ctx;
  const bin = (name: string): string => path.join(paths.postgresHome, 'bin', name);
  const dataDir = postgresDataDir(ctx);
  const socketDir = path.join(paths.serviceDir('postgres'), 'socket');
  return {
    name: 'postgres',
    description: `PostgreSQL on ${config.host}:${config.ports.postgres} (Airflow's metadata database)`,
    ports: [{ name: 'POSTGRES_PORT', port: config.ports.postgres }],
    dependsOn: [],
    async prepare() {
      if (!existsSync(bin('postgres'))) {
        throw new Error(`No PostgreSQL binaries at ${paths.postgresHome}. Run \`make jars\` to unpack them from Maven Central.`);
      }
      mkdirSync(socketDir, { recursive: true });
      if (process.getuid?.() === 0) {
        mkdirSync(dataDir, { recursive: true });
        for (const dir of [paths.serviceDir('postgres'), dataDir, socketDir]) chownSync(dir, NOBODY.uid, NOBODY.gid);
      }
      if (existsSync(path.join(dataDir, 'PG_VERSION'))) return;
      const pwFile = path.join(paths.serviceDir('postgres'), 'superuser-password');
      writeFileSync(pwFile, `${AIRFLOW_DB.password}\n`, { mode: 0o644 });
      // The superuser is `airflow` itself: a local, loopback-only database for one application.
      const initdb = asServiceUser(bin('initdb'), [
        '-D',
        dataDir,
        '-U',
        AIRFLOW_DB.user,
        `--pwfile=${pwFile}`,
        '-A',
        'scram-sha-256',
        '-E',
        'UTF8',
        '--locale=C',
        '--no-sync',
      ]);
      const env = { ...process.env, LD_LIBRARY_PATH: path.join(paths.postgresHome, 'lib') };
      await run(initdb.command, initdb.args, { env });
      // Airflow's database, created in single-user mode: the binaries ship no psql, and the server
      // need not be up for it.
      const single = asServiceUser(bin('postgres'), ['--single', '-D', dataDir, 'postgres']);
      await new Promise<void>((resolve, reject) => {
        const child = execFile(single.command, single.args, { env }, (err) => (err ? reject(err) : resolve()));
        child.stdin?.end(`CREATE DATABASE ${AIRFLOW_DB.database};\n`);
      });
    },
    async launch(): Promise<LaunchCommand> {
      const server = asServiceUser(bin('postgres'), [
        '-D',
        dataDir,
        '-c',
        `listen_addresses=${config.host}`,
        '-c',
        `port=${config.ports.postgres}`,
        '-c',
        `unix_socket_directories=${socketDir}`,
        '-c',
        'max_connections=60',
        '-c',
        'shared_buffers=64MB',
        '-c',
        'fsync=off',
        // The stack's marker, so `down` recognises the server (a custom setting PostgreSQL ignores).
        '-c',
        `streamline.marker=${stackMarker(config.runDir)}`,
      ]);
      return { ...server, env: { LD_LIBRARY_PATH: path.join(paths.postgresHome, 'lib'), ...markerEnv(config.runDir) }, cwd: paths.serviceDir('postgres') };
    },
    // SIGINT is PostgreSQL's fast shutdown: SIGTERM (smart) would wait for every client to leave.
    stopSignal: 'SIGINT',
    healthy: () => postgresAccepts(config.host, config.ports.postgres, AIRFLOW_DB.user, AIRFLOW_DB.database),
    healthDescription: `the server accepts logins to the ${AIRFLOW_DB.database} database`,
  };
}
