// The published package, as a user gets it: build and pack the tarball, install it into a fresh
// project outside the repository (its dependencies from the npm registry / cache), type-check a
// TypeScript file with --strict against the shipped .d.ts, and run a plain .mjs script with Node
// (no loader) against each real Spark Connect server (3.5 and 4.0): SQL collect, streaming
// start/progress/stop.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SERVERS } from './servers.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..', '..');
const pkgDir = join(repo, 'spark-connect');
const fixtures = join(here, 'package-smoke');
const work = mkdtempSync(join(tmpdir(), 'spark-connect-package-'));
const project = join(work, 'project');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

afterAll(() => rmSync(work, { recursive: true, force: true }));

function sh(cmd: string, args: string[], cwd: string, timeoutMs: number, env: NodeJS.ProcessEnv = {}): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
  }
}

describe('spark-connect tarball in a fresh project', () => {
  let tarball = '';

  it('npm run build + npm pack give a tarball of JS and .d.ts only (protocol code included)', () => {
    sh(process.execPath, [join(pkgDir, 'scripts', 'build.mjs')], pkgDir, 120_000);
    const packed = JSON.parse(sh(npm, ['pack', './dist', '--json', '--pack-destination', work], pkgDir, 60_000)) as {
      filename: string;
      files: { path: string }[];
    }[];
    const files = packed[0]!.files.map((f) => f.path);
    tarball = join(work, packed[0]!.filename);
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'LICENSE',
        'index.js',
        'index.d.ts',
        'gen/spark/connect/base_pb.js',
        'gen/spark/connect/base_pb.d.ts',
      ]),
    );
    expect(files.filter((f) => (f.endsWith('.ts') && !f.endsWith('.d.ts')) || f.includes('.test.'))).toEqual([]);
  });

  it('installs outside the repository and type-checks with --strict', () => {
    expect(tarball).not.toBe('');
    expect(project.startsWith(repo)).toBe(false);
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'fresh', version: '1.0.0', private: true, type: 'module' }));
    for (const f of readdirSync(fixtures)) copyFileSync(join(fixtures, f), join(project, f));
    sh(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', tarball, '@types/node@20'], project, 120_000);

    // The repository's TypeScript compiler, but every import resolved from the fresh project.
    sh(join(repo, 'node_modules', '.bin', 'tsc'), ['-p', join(project, 'tsconfig.json')], project, 90_000);
  });

  it.each(SERVERS)('runs from plain .mjs on Node against $label', async (server) => {
    expect(readdirSync(join(project, 'node_modules')).includes('spark-connect')).toBe(true);
    const remote = await server.remote();
    const out = sh(process.execPath, [join(project, 'smoke.mjs')], project, 90_000, { SPARK_REMOTE: remote, NODE_OPTIONS: '' });
    const result = JSON.parse(out.trim().split('\n').pop()!) as {
      version: string;
      sql: { two: number; s: string }[];
      activeBeforeStop: boolean;
      progress: { batchId: number; numInputRows: number; name: string } | null;
      activeAfterStop: boolean;
    };
    expect(result.version.startsWith(`${server.version}.`)).toBe(true);
    expect(result.sql).toEqual([{ two: 2, s: 'SPARK' }]);
    expect(result.activeBeforeStop).toBe(true);
    expect(result.progress?.numInputRows).toBeGreaterThan(0);
    expect(result.progress?.name).toMatch(/^pkg_smoke_\d+$/);
    expect(result.activeAfterStop).toBe(false);
  });
});
