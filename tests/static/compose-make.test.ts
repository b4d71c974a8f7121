// make/compose.mk, dry-run (`make -n`): the commands the compose targets would run.
import { describe, expect, it } from 'vitest';
import { repoPath, run } from './tools.js';

const MK = repoPath('make', 'compose.mk');
const COMPOSE_FILE = repoPath('docker-compose.yml');
const dry = (target: string, ...vars: string[]): string => {
  const r = run('make', ['--no-print-directory', '-n', '-f', MK, target, ...vars], { cwd: '/' });
  if (r.status !== 0) throw new Error(`make -n ${target} failed: ${r.stderr}`);
  return r.stdout.trim();
};

describe('make/compose.mk', () => {
  it('compose-up builds, starts and waits for health, with the worker count', () => {
    expect(dry('compose-up')).toBe(`docker compose -f ${COMPOSE_FILE} up -d --build --wait --wait-timeout 900 --scale spark-worker=1`);
    expect(dry('compose-up', 'SPARK_WORKERS=3', 'COMPOSE=docker-compose')).toMatch(/^docker-compose -f \S+ up .*--scale spark-worker=3$/);
  });

  it('down/ps/logs include the tools profile where it matters', () => {
    expect(dry('compose-down')).toBe(`docker compose -f ${COMPOSE_FILE} --profile tools down --remove-orphans`);
    expect(dry('compose-ps')).toContain('--profile tools ps --all');
    expect(dry('compose-logs', 'SERVICE=kafka')).toBe(`docker compose -f ${COMPOSE_FILE} logs --follow --tail=200 kafka`);
  });

  it('submit/status/stop/explain run the job CLI in the job container', () => {
    for (const cmd of ['submit', 'status', 'stop', 'explain']) {
      expect(dry(`compose-${cmd}`)).toBe(`docker compose -f ${COMPOSE_FILE} run --rm job npx tsx spark-job/src/cli.ts ${cmd}`);
    }
    expect(dry('compose-submit', 'JOB_ARGS=--trigger 5s')).toMatch(/cli\.ts submit --trigger 5s$/);
  });

  it('produce runs the producer CLI with PRODUCE_ARGS (or ARGS)', () => {
    expect(dry('compose-produce', 'PRODUCE_ARGS=--source synthetic --rate 10')).toBe(
      `docker compose -f ${COMPOSE_FILE} run --rm producer npx tsx producer/src/cli.ts --source synthetic --rate 10`,
    );
    expect(dry('compose-produce', 'ARGS=--once')).toMatch(/producer\/src\/cli\.ts --once$/);
  });

  it('cqlsh runs inside the cassandra container with its credentials and keyspace', () => {
    expect(dry('compose-cqlsh')).toBe(
      `docker compose -f ${COMPOSE_FILE} exec cassandra bash -c 'exec cqlsh -u "$CASSANDRA_USERNAME" -p "$CASSANDRA_PASSWORD" -k "$CASSANDRA_KEYSPACE" 127.0.0.1 9042'`,
    );
  });

  it('every target has a `## ` help text (the root Makefile lists them)', () => {
    const text = run('cat', [MK]).stdout;
    const targets = [...text.matchAll(/^(compose-[a-z]+):/gm)].map((m) => m[1]);
    expect(targets.length).toBeGreaterThanOrEqual(12);
    for (const t of targets) expect(text).toMatch(new RegExp(`^${t}: ## \\[compose\\] `, 'm'));
  });
});
