// The local stack's SPARK_HOME is the image's classpath: the Spark distribution's jars (shipped in the
// pyspark package of the same version, as in the official image) plus the connector set derived
// against them. And the class check fails, naming class and jar, when a connector dependency is gone.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, loadStackConfig } from '../../../stack/src/config.js';
import { stackPaths } from '../../../stack/src/paths.js';
import { pinnedVersions } from '../../../stack/src/versions.js';

const paths = stackPaths(loadStackConfig());
const script = (name: string): string => path.join(REPO_ROOT, 'jars', 'bin', name);
const python = path.join(REPO_ROOT, '.venv', 'bin', 'python');
const distJars = spawnSync(python, ['-c', 'import os, pyspark; print(os.path.join(os.path.dirname(pyspark.__file__), "jars"))'], {
  encoding: 'utf8',
}).stdout.trim();
const jarsIn = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.jar'))
    .sort();
const scratch = mkdtempSync(path.join(tmpdir(), 'streamline-classpath-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the Spark classpath of the local stack and the image', () => {
  it('is the pyspark distribution of the pinned version, every jar of it', () => {
    expect(spawnSync(python, ['-c', 'import pyspark; print(pyspark.__version__)'], { encoding: 'utf8' }).stdout.trim()).toBe(pinnedVersions().spark);
    const home = jarsIn(paths.sparkJars);
    const dist = jarsIn(distJars);
    expect(dist.length).toBeGreaterThan(200);
    expect(dist.filter((j) => !home.includes(j))).toEqual([]);
    // What a Maven resolution of Spark's modules lacked, and the connector's read path needs.
    expect(home).toContain('guava-14.0.1.jar');
  });

  it('adds exactly the derived connector set (and the local-only connect guard)', () => {
    const dist = new Set(jarsIn(distJars));
    const added = jarsIn(paths.sparkJars).filter((j) => !dist.has(j));
    expect(added).toEqual([...jarsIn(paths.connectors), ...added.filter((j) => j.startsWith('streamline-connect-guard-'))].sort());
    const manifest = readFileSync(path.join(paths.connectors, 'CONNECTORS.txt'), 'utf8');
    // The jar a hand-written list once missed is in the set by derivation.
    expect(manifest).toMatch(/^com\.typesafe:config:/m);
    // Nothing the distribution ships is added a second time.
    expect(manifest).not.toMatch(/:scala-library:|:hadoop-client-api:|:slf4j-api:|:snappy-java:/);
  });

  it('derive-connectors.sh keeps the distribution copy of an artifact both have', () => {
    const out = path.join(scratch, 'derived');
    const r = spawnSync(
      'bash',
      [script('derive-connectors.sh'), distJars, path.join(paths.jarsTarget, 'connector-closure'), path.join(paths.jarsTarget, 'connector-closure.list'), out],
      { encoding: 'utf8' },
    );
    expect(r.status, r.stderr).toBe(0);
    // The set is the derivation plus streamline's extensions jar (the job's sink and record function),
    // which `make jars` (like the image) adds after it.
    const sink = jarsIn(paths.connectors).filter((j) => j.startsWith('streamline-spark-extensions-'));
    expect(sink).toHaveLength(1);
    expect(jarsIn(out)).toEqual(jarsIn(paths.connectors).filter((j) => !sink.includes(j)));
  });

  it('check-connector-classes.sh passes on the real set', () => {
    const r = spawnSync('bash', [script('check-connector-classes.sh'), paths.connectors, paths.sparkJars], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
  });

  it('check-connector-classes.sh names the missing class and the jar needing it when a dependency is removed', () => {
    const broken = path.join(scratch, 'without-config');
    cpSync(paths.connectors, broken, { recursive: true });
    const config = jarsIn(broken).find((j) => /^config-\d/.test(j));
    expect(config, 'com.typesafe:config in the connector set').toBeDefined();
    rmSync(path.join(broken, config!));
    expect(existsSync(path.join(broken, config!))).toBe(false);
    const r = spawnSync('bash', [script('check-connector-classes.sh'), broken, distJars, broken], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/MISSING class com\.typesafe\.config\.\w+ .*needed by com\.datastax\.\S+ in java-driver-core-shaded-[\d.]+\.jar/);
  });
});
