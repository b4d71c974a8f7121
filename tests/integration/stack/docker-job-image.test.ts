// The compose `job` image's code generation, run for real. docker/producer/Dockerfile's `job` target
// cannot be built here (no Docker engine, here or in CI), and the other static tests read its text only:
// a job stage that lacked an input of spark-connect/scripts/generate.mjs went unnoticed. So this test
// replays the target's stages on the host (tests/static/dockerfile.ts says exactly how): what the
// Dockerfile COPYs from the context (.dockerignore applied) or from its other stages, the RUN commands
// verbatim with the stages' ARG/ENV, and checks that the generated client code is complete and
// type-checks as the job CLI uses it.
//
// Only PyPI stands in (tests/static/fixtures/pip-download-standin.mjs): `pip download` is served the
// files the Makefile's own pip fetched. Maven runs for real, from ~/.m2 as the build's cache mount would.
// Needs what `make install` and `make spark4-jars` leave; without them it fails, saying which.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dockerignore, exec, parseDockerfile, Replay, type StageResult } from '../../static/dockerfile.js';
import { REPO_ROOT, readRepoFile, repoPath } from '../../static/tools.js';

describe('docker/producer/Dockerfile, target job, replayed on the host', () => {
  it("replays the image's build context: what .dockerignore keeps out (host build outputs) is not copied", () => {
    // Else the host's own src/gen or node_modules could make a broken build look complete.
    const ignored = dockerignore(REPO_ROOT);
    for (const p of [
      'spark-connect/src/gen/functions.ts',
      'node_modules/.bin/buf',
      'spark-connect/node_modules/x',
      'jars/target/spark4/protos',
      'jars/spark4/target/x',
      '.venv/lib',
    ]) {
      expect(ignored(p), p).toBe(true);
    }
    for (const p of ['spark-connect/src/sql/functions.ts', 'spark-connect/scripts/gen-functions.py', 'jars/spark4/pom.xml', 'package-lock.json'])
      expect(ignored(p), p).toBe(false);
  });

  it('generates the whole Spark Connect client code (protocol from the 4.0.1 protos, functions.ts), which type-checks', async () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'streamline-job-image-'));
    const log: string[] = [];
    try {
      const shims = path.join(scratch, 'shims');
      mkdirSync(shims);
      symlinkSync(repoPath('tests', 'static', 'fixtures', 'pip-download-standin.mjs'), path.join(shims, 'pip'));
      const replay = new Replay(parseDockerfile(readRepoFile('docker', 'producer', 'Dockerfile')), {
        context: REPO_ROOT,
        scratch: path.join(scratch, 'fs'),
        pathShims: [shims],
        log: (line) => log.push(line),
      });
      let job: StageResult;
      try {
        job = await replay.build('job');
      } catch (e) {
        // The failing step's own output is in the message; the log before it says how the build got there.
        throw new Error(`${(e as Error).message}\n--- the replayed build, up to the failure ---\n${log.join('\n').slice(-6000)}`);
      }
      const app = path.join(job.root, job.workdir);
      const gen = path.join(app, 'spark-connect', 'src', 'gen');

      // One module per .proto of the spark-connect 4.0.1 jar (the ones `make spark4-jars` extracted), and
      // the google.rpc error details the client decodes.
      const protos = readdirSync(repoPath('jars', 'target', 'spark4', 'protos', 'spark', 'connect')).filter((f) => f.endsWith('.proto'));
      expect(protos.length).toBeGreaterThanOrEqual(10);
      for (const p of protos) expect(existsSync(path.join(gen, 'spark', 'connect', p.replace(/\.proto$/, '_pb.ts'))), `src/gen for ${p}`).toBe(true);
      for (const p of ['status_pb.ts', 'error_details_pb.ts']) expect(existsSync(path.join(gen, 'google', 'rpc', p)), p).toBe(true);
      // functions.ts from both PySpark sources: 3.5's functions and 4.0's (marked "Spark 4.0+").
      const functions = readFileSync(path.join(gen, 'functions.ts'), 'utf8');
      expect(functions.match(/^export function /gm)?.length ?? 0).toBeGreaterThan(300);
      expect(functions).toMatch(/^export function date_format\(/m);
      expect(functions).toMatch(/Spark 4\.0\+\. \*\/\nexport function /);

      // The generated code is what the rest of the client expects (a 3.5-only protocol would not be): the
      // package entry and the job CLI the image runs type-check, with the image's own node_modules.
      const tsconfig = path.join(app, 'tsconfig.replay-check.json');
      writeFileSync(
        tsconfig,
        JSON.stringify({ extends: './tsconfig.base.json', files: ['spark-connect/src/index.ts', 'spark-job/src/cli.ts'], include: ['spark-connect/src/gen'] }),
      );
      const tsc = await exec(path.join(app, 'node_modules', '.bin', 'tsc'), ['-p', tsconfig], { cwd: app });
      expect(tsc.output, 'tsc in the replayed image').toBe('');
      expect(tsc.status).toBe(0);

      // The image runs as the non-root user of compose's job-state volume.
      expect(job.user).toBe('1000');
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 120_000);
});
