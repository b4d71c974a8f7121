#!/usr/bin/env node
// Regenerates src/gen/ (TypeScript protocol code) from Spark Connect's .proto files.
//
// Inputs:
//   - jars/target/spark4/protos/spark/connect/*.proto  extracted from the spark-connect 4.0.1 jar by
//     `make spark4-jars` (jars/spark4/pom.xml). 4.0's protocol is 3.5's plus fields and messages (no
//     field was renumbered or removed), so the code generated from it speaks to 3.5 servers too; the
//     methods that need a 4.0-only message check the server's version first (sql/server-version.ts).
//   - google/rpc/{status,error_details}.proto   from the google-proto-files package (ErrorInfo etc.).
//   - google/protobuf/*                         well-known types, built into buf; protoc-gen-es maps
//     them to @bufbuild/protobuf/wkt, so they are not generated.
//
// The jar also ships its own copies of google/* protos; we stage only the files we need into a temp
// directory so the two copies never collide in one buf module.
//
// Then src/gen/functions.ts, the PySpark function wrappers, by scripts/gen-functions.py (Python, over
// PySpark 3.5 in .venv and the pyspark-client 4.0.1 sdist in jars/target/spark4), unless
//   SPARK_CONNECT_FUNCTIONS=<file>  names a functions.ts gen-functions.py has already written: it is copied
//                                   in instead. The job image's build runs gen-functions.py in a Python stage
//                                   and passes its output here, so the Node image needs no Python.
// (Copied after buf, never placed in src/gen beforehand: buf's `clean: true` empties the output directory.)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = resolve(here, '..');
const repoRoot = resolve(pkgDir, '..');
const protosDir = process.env.SPARK_CONNECT_PROTOS ?? join(repoRoot, 'jars', 'target', 'spark4', 'protos');
const sparkProtoDir = join(protosDir, 'spark', 'connect');
// SPARK_CONNECT_GEN_OUT: the build generates into its staging copy instead of the shared src/gen.
const outDir = process.env.SPARK_CONNECT_GEN_OUT ?? join(pkgDir, 'src', 'gen');
const pregenerated = process.env.SPARK_CONNECT_FUNCTIONS;

if (!existsSync(sparkProtoDir)) {
  console.error(
    `spark-connect/generate: ${sparkProtoDir} does not exist.\n` +
      `The Spark Connect .proto files are extracted from the spark-connect 4.0.1 jar by the Maven build:\n` +
      `  run \`make spark4-jars\` at the repository root, then retry.`,
  );
  process.exit(1);
}

// Checked before any work: a wrong path must not leave a src/gen without functions.ts behind.
if (pregenerated !== undefined && !existsSync(pregenerated)) {
  console.error(`spark-connect/generate: SPARK_CONNECT_FUNCTIONS=${pregenerated} does not exist.`);
  process.exit(1);
}

const require = createRequire(import.meta.url);
// google-proto-files exports its root directory's files; locate the package root from package.json.
const gpfRoot = dirname(require.resolve('google-proto-files/package.json'));
const binDir = join(repoRoot, 'node_modules', '.bin');
const buf = join(binDir, 'buf');
const pluginEs = join(binDir, 'protoc-gen-es');
for (const p of [buf, pluginEs]) {
  if (!existsSync(p)) {
    console.error(`spark-connect/generate: ${p} is missing; run \`npm ci\` at the repository root.`);
    process.exit(1);
  }
}

const stage = mkdtempSync(join(tmpdir(), 'spark-connect-protos-'));
try {
  const protoRoot = join(stage, 'proto');
  mkdirSync(join(protoRoot, 'spark', 'connect'), { recursive: true });
  mkdirSync(join(protoRoot, 'google', 'rpc'), { recursive: true });
  const sparkFiles = readdirSync(sparkProtoDir).filter((f) => f.endsWith('.proto'));
  if (sparkFiles.length === 0) {
    console.error(`spark-connect/generate: no .proto files in ${sparkProtoDir}; run \`make spark4-jars\`.`);
    process.exit(1);
  }
  for (const f of sparkFiles) cpSync(join(sparkProtoDir, f), join(protoRoot, 'spark', 'connect', f));
  for (const f of ['status.proto', 'error_details.proto']) {
    cpSync(join(gpfRoot, 'google', 'rpc', f), join(protoRoot, 'google', 'rpc', f));
  }
  writeFileSync(join(protoRoot, 'buf.yaml'), 'version: v2\n');
  writeFileSync(
    join(stage, 'buf.gen.yaml'),
    [
      'version: v2',
      'inputs:',
      '  - directory: proto',
      'clean: true',
      'plugins:',
      `  - local: ${JSON.stringify(pluginEs)}`,
      `    out: ${JSON.stringify(outDir)}`,
      '    opt:',
      '      - target=ts',
      '      - import_extension=js',
      '',
    ].join('\n'),
  );
  const r = spawnSync(buf, ['generate', '--template', 'buf.gen.yaml'], { cwd: stage, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`spark-connect/generate: buf generate failed (exit ${r.status ?? r.signal}).`);
    process.exit(r.status ?? 1);
  }
  console.log(`spark-connect/generate: ${sparkFiles.length} Spark Connect protos -> ${outDir}`);
  if (pregenerated !== undefined) {
    cpSync(pregenerated, join(outDir, 'functions.ts'));
    console.log(`spark-connect/generate: functions.ts from ${pregenerated} (SPARK_CONNECT_FUNCTIONS) -> ${outDir}`);
  } else {
    generateFunctions();
  }
} finally {
  rmSync(stage, { recursive: true, force: true });
}

/**
 * src/gen/functions.ts, one typed wrapper per PySpark function (scripts/gen-functions.py), from PySpark
 * 3.5's Connect functions (the project's .venv) and 4.0's (the sdist `make spark4-jars` downloads).
 */
function generateFunctions() {
  const sitePackages = join(repoRoot, '.venv', 'lib');
  const pyDir = existsSync(sitePackages)
    ? readdirSync(sitePackages)
        .map((d) => join(sitePackages, d, 'site-packages', 'pyspark'))
        .find((d) => existsSync(join(d, 'sql', 'connect', 'functions.py')))
    : undefined;
  const spark4Dir = join(repoRoot, 'jars', 'target', 'spark4');
  const sdist = existsSync(spark4Dir) ? readdirSync(spark4Dir).find((f) => /^pyspark_client-.*\.tar\.gz$/.test(f)) : undefined;
  if (!pyDir || !sdist) {
    console.error(
      `spark-connect/generate: ${pyDir ? `no PySpark 4 client source in ${spark4Dir}: run \`make spark4-jars\`` : 'no PySpark 3.5 in .venv: run `make install`'}, then retry.`,
    );
    process.exit(1);
  }
  const python = existsSync(join(repoRoot, '.venv', 'bin', 'python')) ? join(repoRoot, '.venv', 'bin', 'python') : 'python3';
  const args = [join(here, 'gen-functions.py'), join(outDir, 'functions.ts'), join(pkgDir, 'src', 'sql', 'functions.ts'), pyDir, join(spark4Dir, sdist)];
  const r = spawnSync(python, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`spark-connect/generate: gen-functions.py failed (exit ${r.status ?? r.signal}).`);
    process.exit(r.status ?? 1);
  }
}
