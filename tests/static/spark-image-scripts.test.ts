// The scripts of docker/spark/bin, run here with bash on fake jar directories (empty files named like
// jars: the checks look at names only). No JVM, no image build.
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoPath, run } from './tools.js';

const PREFLIGHT = repoPath('docker', 'spark', 'bin', 'preflight-jars.sh');

// A slice of a Spark 3.5.7 / Scala 2.12 distribution's jars dir, with tricky names.
const BASE = [
  'spark-core_2.12-3.5.7.jar',
  'spark-sql_2.12-3.5.7.jar',
  'spark-catalyst_2.12-3.5.7.jar',
  'spark-launcher_2.12-3.5.7.jar',
  'scala-library-2.12.18.jar',
  'scala-reflect-2.12.18.jar',
  'json4s-ast_2.12-3.7.0-M11.jar',
  'log4j-1.2-api-2.20.0.jar',
  'netty-transport-native-epoll-4.1.96.Final-linux-x86_64.jar',
  'netty-transport-native-epoll-4.1.96.Final-linux-aarch_64.jar',
  'orc-core-1.9.7-shaded-protobuf.jar',
  'hadoop-client-api-3.3.4.jar',
];
// What jars/target/connectors holds for that version.
const CONNECTORS = [
  'spark-connect_2.12-3.5.7.jar',
  'spark-sql-kafka-0-10_2.12-3.5.7.jar',
  'spark-token-provider-kafka-0-10_2.12-3.5.7.jar',
  'kafka-clients-3.4.1.jar',
  'commons-pool2-2.11.1.jar',
  'spark-cassandra-connector_2.12-3.5.1.jar',
  'spark-cassandra-connector-driver_2.12-3.5.1.jar',
  'java-driver-core-shaded-4.18.1.jar',
  'java-driver-shaded-guava-25.1-jre-graal-sub-1.jar',
  'scala-reflect-2.12.18.jar',
  'streamline-spark-extensions-0.1.0.jar',
];

function jarsDir(names: readonly string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'streamline-jars-'));
  for (const n of names) writeFileSync(path.join(dir, n), '');
  return dir;
}

/** The image build: base jars + connectors copied over them, checked with the connectors dir. */
function preflight(base: readonly string[], added: readonly string[] = []) {
  const jars = jarsDir([...base, ...added]);
  const addedDir = jarsDir(added);
  return run('bash', [PREFLIGHT, jars, addedDir]);
}

describe('preflight-jars.sh', () => {
  it('accepts a consistent Spark 3.5.7 / Scala 2.12 set (the third-party Cassandra connector is 3.5.1)', () => {
    const r = preflight(BASE, CONNECTORS);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('OK: 22 jars, Scala 2.12, Spark 3.5.7');
  });

  it('refuses _2.12 and _2.13 jars together, naming them', () => {
    const r = preflight(BASE, [...CONNECTORS.filter((j) => !j.startsWith('spark-connect_')), 'spark-connect_2.13-3.5.7.jar']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/REFUSED: jars of 2 Scala binary versions/);
    expect(r.stderr).toMatch(/_2\.13: spark-connect_2\.13-3\.5\.7\.jar/);
    expect(r.stderr).toMatch(/_2\.12:.*spark-core_2\.12-3\.5\.7\.jar/);
    expect(r.stderr).toContain('the image is not built');
  });

  it('refuses a scala-library of another binary version', () => {
    const base = BASE.map((j) => (j.startsWith('scala-library') ? 'scala-library-2.13.8.jar' : j));
    const r = preflight(base, CONNECTORS);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/scala-library-2\.13\.8\.jar is not Scala 2\.12/);
  });

  it('refuses Spark modules of two versions (a 3.5.6 base image under 3.5.7 connectors), naming them', () => {
    const base = BASE.map((j) => j.replace(/_2\.12-3\.5\.7\.jar$/, '_2.12-3.5.6.jar'));
    const r = preflight(base, CONNECTORS);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Apache Spark modules of 2 versions/);
    expect(r.stderr).toMatch(/3\.5\.6:.*spark-core_2\.12-3\.5\.6\.jar/);
    expect(r.stderr).toMatch(/3\.5\.7:.*spark-connect_2\.12-3\.5\.7\.jar/);
    expect(r.stderr).toContain('SPARK_BASE_IMAGE');
  });

  it('refuses an added jar next to another version of itself, warns about base-only duplicates', () => {
    let r = preflight([...BASE, 'kafka-clients-3.9.0.jar'], CONNECTORS);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/kafka-clients in more than one version .*kafka-clients-3\.(9\.0|4\.1)\.jar.*kafka-clients-3\.(9\.0|4\.1)\.jar/);
    r = preflight([...BASE, 'guava-14.0.1.jar', 'guava-16.0.1.jar'], CONNECTORS);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/warning: guava in more than one version in the base image/);
  });

  it('refuses an empty or missing directory', () => {
    expect(run('bash', [PREFLIGHT, jarsDir([])]).status).toBe(1);
    expect(run('bash', [PREFLIGHT, '/nonexistent/jars']).status).toBe(2);
  });

  it('accepts the real SPARK_HOME (the distribution + the connector set, jars/target/spark-home/jars)', () => {
    const real = repoPath('jars', 'target', 'spark-home', 'jars');
    // `make test` runs `make jars` first: a missing SPARK_HOME is a failure, not a reason to skip.
    expect(existsSync(real) && readdirSync(real).length > 200, `${real} (run \`make jars\`)`).toBe(true);
    const r = run('bash', [PREFLIGHT, real, repoPath('jars', 'target', 'connectors')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('install-connectors.sh', () => {
  it('copies the connectors into $SPARK_HOME/jars and runs the preflight (as the image build does)', () => {
    const sparkHome = mkdtempSync(path.join(tmpdir(), 'streamline-spark-home-'));
    mkdirSync(path.join(sparkHome, 'jars'));
    for (const j of BASE) writeFileSync(path.join(sparkHome, 'jars', j), '');
    const connectors = jarsDir(CONNECTORS);
    const r = run('bash', [repoPath('docker', 'spark', 'bin', 'install-connectors.sh')], {
      env: { ...process.env, SPARK_HOME: sparkHome, STREAMLINE_CONNECTORS: connectors },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readdirSync(path.join(sparkHome, 'jars')).sort()).toEqual([...new Set([...BASE, ...CONNECTORS])].sort());
  });

  it('fails clearly when the base image has no SPARK_HOME', () => {
    const r = run('bash', [repoPath('docker', 'spark', 'bin', 'install-connectors.sh')], { env: { PATH: process.env.PATH ?? '' } });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/base image must set SPARK_HOME/);
  });
});

describe('healthcheck.sh of the Spark image', () => {
  it('rejects an unknown role and reports a closed port as unhealthy', () => {
    const hc = repoPath('docker', 'spark', 'bin', 'healthcheck.sh');
    expect(run('bash', [hc, 'nope']).status).toBe(2);
    // Port 1 on loopback: nothing listens there.
    expect(run('bash', [hc, 'connect'], { env: { ...process.env, SPARK_CONNECT_PORT: '1' } }).status).not.toBe(0);
    expect(run('bash', [hc, 'master'], { env: { ...process.env, SPARK_MASTER_WEBUI_PORT: '1' } }).status).not.toBe(0);
  });
});

describe('healthcheck.sh against a live HTTP server', () => {
  // execFile (async): the server below answers from this process's event loop.
  const check = (role: string, env: Record<string, string>): Promise<number> =>
    // 0 = healthy
    new Promise((resolve) => {
      execFile('bash', [repoPath('docker', 'spark', 'bin', 'healthcheck.sh'), role], { env: { ...process.env, ...env }, timeout: 10_000 }, (err) =>
        resolve(err ? 1 : 0),
      );
    });
  const serve = (status: number, body: string): Promise<Server> =>
    new Promise((resolve) => {
      const server = createServer((_req, res) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(body);
      });
      server.listen(0, '127.0.0.1', () => resolve(server));
    });
  const port = (s: Server): string => String((s.address() as AddressInfo).port);

  it('master: healthy only when /json/ answers 200 with status ALIVE', async () => {
    const alive = await serve(200, '{ "url" : "spark://spark-master:7077", "status" : "ALIVE" }');
    const standby = await serve(200, '{ "status" : "STANDBY" }');
    const broken = await serve(500, 'oops');
    try {
      expect(await check('master', { SPARK_MASTER_WEBUI_PORT: port(alive) })).toBe(0);
      expect(await check('master', { SPARK_MASTER_WEBUI_PORT: port(standby) })).not.toBe(0);
      expect(await check('master', { SPARK_MASTER_WEBUI_PORT: port(broken) })).not.toBe(0);
      expect(await check('worker', { SPARK_WORKER_WEBUI_PORT: port(broken) })).not.toBe(0);
      expect(await check('worker', { SPARK_WORKER_WEBUI_PORT: port(alive) })).toBe(0);
      expect(await check('connect', { SPARK_CONNECT_PORT: port(alive) })).toBe(0);
    } finally {
      for (const s of [alive, standby, broken]) s.close();
    }
  });
});
