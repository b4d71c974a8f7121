// Every launcher of the producer gives node the producer's V8 flags (producer/src/runtime.ts): V8
// reads them only at start-up, so a launcher that forgets them runs a slower producer than the one
// the benchmark measured.
import { describe, expect, it } from 'vitest';
import { PRODUCER_NODE_FLAGS } from '../../producer/src/runtime.js';
import { readRepoFile as read, repoPath, run } from './tools.js';

const FLAGS = PRODUCER_NODE_FLAGS.join(' ');

/** The command `make -n <target>` would run for the given entry file. */
function makeCommand(target: string, entry: string): string {
  const r = run('make', ['--no-print-directory', '-n', target], { cwd: repoPath() });
  if (r.status !== 0) throw new Error(`make -n ${target} failed: ${r.stderr}`);
  const line = r.stdout.split('\n').find((l) => l.includes(entry));
  if (line === undefined) throw new Error(`make -n ${target} runs no ${entry}:\n${r.stdout}`);
  return line.trim();
}

describe("the producer's launchers", () => {
  it('the Makefile runs the producer, the demo and the benchmark (which produces in its own process) with the flags', () => {
    expect(makeCommand('produce', 'producer/src/cli.ts')).toMatch(new RegExp(`^node ${FLAGS} --import tsx producer/src/cli\\.ts`));
    expect(makeCommand('demo', 'demo/demo.ts')).toMatch(new RegExp(`^node ${FLAGS} --import tsx demo/demo\\.ts`));
    expect(makeCommand('bench', 'bench/run.ts')).toMatch(new RegExp(`node ${FLAGS} --import tsx bench/run\\.ts$`));
  });

  it("the Docker image's producer stage sets them in NODE_OPTIONS (kept when compose overrides the command)", () => {
    const stage = read('docker', 'producer', 'Dockerfile')
      .split(/^FROM /m)
      .find((s) => /^\S+ AS producer\b/.test(s));
    expect(stage).toBeDefined();
    expect(stage).toMatch(new RegExp(`^ENV NODE_OPTIONS="${FLAGS}"$`, 'm'));
  });

  it("the Airflow DAG's command and the package's bin pass them to node", () => {
    const dag = read('dags', 'streamline_producer.py');
    const command = /"node", ((?:"[^"]+", )*)"--import", "tsx", "producer\/src\/cli\.ts"/.exec(dag);
    expect(command?.[1]).toBe(PRODUCER_NODE_FLAGS.map((f) => `"${f}", `).join(''));
    expect(read('producer', 'src', 'cli.ts').split('\n')[0]).toBe(`#!/usr/bin/env -S npx tsx ${FLAGS}`);
  });
});
