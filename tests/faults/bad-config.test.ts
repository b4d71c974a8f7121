// Bad configuration, the way users get it wrong: each CLI must exit non-zero with ONE clear line on
// stderr naming the problem (and the setting to change), and must not leave anything half-created.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackPaths } from '@streamline/stack';
import { listTopics } from '../support/kafka.js';
import { CLI, lines, runCli, type CliResult } from './support/cli.js';
import { cassandraFor, cleanUp, faultRun, keyspaces } from './support/pipeline.js';
import { restoreStack, stackConfig } from './support/stack.js';

const run = faultRun('badcfg');
const scratch = mkdtempSync(path.join(tmpdir(), 'streamline-faults-badcfg-jars-'));
let db: cassandra.Client;

/** The one line a user reads: stderr must hold exactly one non-empty line. */
function oneStderrLine(result: CliResult): string {
  console.log(`[badcfg] exit ${result.code} after ${result.ms} ms, stderr: ${result.stderr.trim()}`);
  expect(result.code).not.toBe(0);
  expect(result.code).not.toBeNull();
  const errLines = lines(result.stderr);
  expect(errLines).toHaveLength(1);
  return errLines[0]!;
}

/** A private SPARK run dir, so the job CLI never touches the developer's saved session. */
const jobEnv = { STREAMLINE_RUN_DIR: path.join(run.scratch, 'run') };

beforeAll(async () => {
  db = cassandraFor(run);
  await db.connect();
});

afterAll(async () => {
  await cleanUp(run, db);
  await db.shutdown();
  rmSync(scratch, { recursive: true, force: true });
  await restoreStack();
});

describe('bad configuration fails fast, in one clear line', () => {
  it('producer: unreachable bootstrap servers', async () => {
    const result = await runCli(CLI.producer, ['--source', 'synthetic', '--count', '10', '--topic', run.topic, '--bootstrap-servers', '127.0.0.1:1'], {
      timeoutMs: 60_000,
    });
    const line = oneStderrLine(result);
    expect(result.code).toBe(4);
    expect(line).toMatch(/cannot reach Kafka bootstrap servers 127\.0\.0\.1:1/);
    expect(line).toMatch(/KAFKA_BOOTSTRAP_SERVERS|--bootstrap-servers/);
    expect(result.ms).toBeLessThan(30_000);
  });

  it('job submit: unreachable SPARK_REMOTE', async () => {
    const result = await runCli(
      CLI.job,
      ['submit', '--detach', '--topic', run.topic, '--keyspace', run.keyspace, '--checkpoint-location', path.join(run.scratch, 'checkpoints')],
      { env: { ...jobEnv, SPARK_REMOTE: 'sc://127.0.0.1:1' }, timeoutMs: 120_000 },
    );
    const line = oneStderrLine(result);
    expect(line).toMatch(/^streamline-job: .*Spark Connect server at .*127\.0\.0\.1:1/);
    expect(line).toMatch(/SPARK_REMOTE/);
    expect(result.ms).toBeLessThan(60_000);
    // Submit reaches Spark and Cassandra before it creates anything: no keyspace, no topic.
    expect(await keyspaces(db)).not.toContain(run.keyspace);
    expect(await listTopics()).not.toContain(run.topic);
  });

  it('job submit: a keyspace name with CQL injection is refused before anything is created', async () => {
    const before = await keyspaces(db);
    const evil = 'x; DROP KEYSPACE system_auth; --';
    const result = await runCli(
      CLI.job,
      ['submit', '--detach', '--topic', run.topic, '--keyspace', evil, '--checkpoint-location', path.join(run.scratch, 'checkpoints')],
      { env: jobEnv, timeoutMs: 120_000 },
    );
    const line = oneStderrLine(result);
    expect(line).toContain('--keyspace');
    expect(line).toContain('not a valid CQL identifier');
    expect(await keyspaces(db)).toEqual(before);
  });

  describe('stack preflight on a broken Spark classpath', () => {
    const sparkJars = stackPaths(stackConfig).sparkJars;

    /** A copy of the stack's Spark jars directory (as symlinks: preflight judges file names). */
    function jarsCopy(name: string, edit: (dir: string) => void): string {
      const dir = path.join(scratch, name);
      mkdirSync(dir);
      for (const jar of readdirSync(sparkJars)) symlinkSync(path.join(sparkJars, jar), path.join(dir, jar));
      edit(dir);
      return dir;
    }

    it('accepts the intact copy (control)', async () => {
      const dir = jarsCopy('intact', () => undefined);
      const result = await runCli(CLI.stack, ['preflight', '--spark-jars', dir], { timeoutMs: 60_000 });
      expect(result.code, result.stderr).toBe(0);
    });

    it('names a missing connector jar', async () => {
      const connector = readdirSync(sparkJars).find((f) => /^spark-cassandra-connector_2\.12-.*\.jar$/.test(f));
      expect(connector).toBeDefined();
      const dir = jarsCopy('missing', (d) => rmSync(path.join(d, connector!)));
      const line = oneStderrLine(await runCli(CLI.stack, ['preflight', '--spark-jars', dir], { timeoutMs: 60_000 }));
      expect(line).toMatch(/^stack: Required jars are missing from .*: spark-cassandra-connector\b/);
      expect(line).toContain('make jars');
    });

    it('names a Scala 2.13 jar among 2.12 ones', async () => {
      const kafkaSql = readdirSync(sparkJars).find((f) => /^spark-sql-kafka-0-10_2\.12-.*\.jar$/.test(f))!;
      const intruder = kafkaSql.replace('_2.12-', '_2.13-');
      const dir = jarsCopy('mixed', (d) => symlinkSync(path.join(sparkJars, kafkaSql), path.join(d, intruder)));
      const line = oneStderrLine(await runCli(CLI.stack, ['preflight', '--spark-jars', dir], { timeoutMs: 60_000 }));
      expect(line).toMatch(/^stack: Scala binary versions are mixed/);
      expect(line).toContain(intruder);
      expect(line).toContain('scala/$less$colon$less');
    });
  });
});
