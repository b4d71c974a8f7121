#!/usr/bin/env node
// `npm run build`: the publishable package in dist/ (ESM JavaScript + .d.ts, protocol code included).
//
// dist/ is the package root, as in the tarball: its own package.json (exports -> JS and .d.ts),
// README.md and LICENSE. The workspace manifest (../package.json) keeps exporting ./src/index.ts,
// which is what the rest of the monorepo runs through tsx and type-checks; publishing from dist/
// is how the two coexist without a build step for in-repo use.
//
// The protocol code is generated afresh from jars/target/spark4/protos (scripts/generate.mjs) into a staging
// copy of src/ under node_modules/.cache, never into the shared src/gen, so a build cannot pull files
// from under a test that is importing them.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(pkgDir, '..');
const dist = join(pkgDir, 'dist');
const stage = join(repoRoot, 'node_modules', '.cache', 'spark-connect-build');

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: pkgDir, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`spark-connect/build: ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal}).`);
    process.exit(r.status ?? 1);
  }
}

rmSync(stage, { recursive: true, force: true });
rmSync(dist, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
cpSync(join(pkgDir, 'src'), join(stage, 'src'), {
  recursive: true,
  filter: (p) => !p.endsWith('.test.ts') && !p.startsWith(join(pkgDir, 'src', 'gen')),
});
run(process.execPath, [join(pkgDir, 'scripts', 'generate.mjs')], { SPARK_CONNECT_GEN_OUT: join(stage, 'src', 'gen') });

const base = join(repoRoot, 'tsconfig.base.json');
writeFileSync(
  join(stage, 'tsconfig.json'),
  JSON.stringify(
    {
      extends: base,
      compilerOptions: {
        noEmit: false,
        rootDir: join(stage, 'src'),
        outDir: dist,
        declaration: true,
        typeRoots: [join(repoRoot, 'node_modules', '@types')],
      },
      include: [join(stage, 'src')],
    },
    null,
    2,
  ),
);
run(join(repoRoot, 'node_modules', '.bin', 'tsc'), ['-p', join(stage, 'tsconfig.json')]);

// The published manifest: the workspace manifest's identity and dependencies, exports pointing at dist.
const ws = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const manifest = {
  name: ws.name,
  version: ws.version,
  description: ws.description,
  keywords: ws.keywords,
  license: ws.license,
  type: 'module',
  engines: ws.engines,
  exports: { '.': { types: './index.d.ts', import: './index.js', default: './index.js' }, './package.json': './package.json' },
  types: './index.d.ts',
  main: './index.js',
  files: ['**/*.js', '**/*.d.ts', 'README.md', 'LICENSE'],
  sideEffects: false,
  dependencies: ws.dependencies,
};
writeFileSync(join(dist, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
cpSync(join(pkgDir, 'README.md'), join(dist, 'README.md'));
cpSync(join(pkgDir, 'LICENSE'), join(dist, 'LICENSE'));
rmSync(stage, { recursive: true, force: true });
console.log(`spark-connect/build: ${ws.name}@${ws.version} -> ${dist} (pack it with \`npm run tarball\`)`);
