import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertSparkJarsDir, checkSparkClasspath, describeJar, PreflightError } from './preflight.js';

const expected = { sparkVersion: '3.5.7', scalaBinary: '2.12' };
const good = [
  'spark-core_2.12-3.5.7.jar',
  'spark-sql_2.12-3.5.7.jar',
  'spark-connect_2.12-3.5.7.jar',
  'spark-sql-kafka-0-10_2.12-3.5.7.jar',
  'spark-cassandra-connector_2.12-3.5.1.jar',
  'spark-cassandra-connector-driver_2.12-3.5.1.jar',
  'streamline-spark-extensions-0.1.0.jar',
  'scala-library-2.12.18.jar',
  'kafka-clients-3.4.1.jar',
  'guava-14.0.1.jar',
];

describe('describeJar', () => {
  it('reads artifact, Scala suffix and version from Maven file names', () => {
    expect(describeJar('spark-sql-kafka-0-10_2.12-3.5.7.jar')).toEqual({
      file: 'spark-sql-kafka-0-10_2.12-3.5.7.jar',
      artifact: 'spark-sql-kafka-0-10',
      scalaBinary: '2.12',
      version: '3.5.7',
    });
    expect(describeJar('scala-library-2.13.15.jar')).toMatchObject({ artifact: 'scala-library', scalaBinary: '2.13' });
    expect(describeJar('kafka-clients-3.4.1.jar')).toEqual({ file: 'kafka-clients-3.4.1.jar', artifact: 'kafka-clients' });
  });
});

describe('checkSparkClasspath', () => {
  it("accepts a consistent classpath (third-party versions may differ from Spark's)", () => {
    expect(checkSparkClasspath(good, expected)).toEqual({ ok: true, problems: [] });
  });

  it('refuses a _2.13 jar and names it', () => {
    const result = checkSparkClasspath([...good, 'spark-cassandra-connector_2.13-3.5.1.jar', 'scala-library-2.13.15.jar'], expected);
    expect(result.ok).toBe(false);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toContain('spark-cassandra-connector_2.13-3.5.1.jar, scala-library-2.13.15.jar');
    expect(result.problems[0]).toContain('scala/$less$colon$less');
  });

  it('refuses two Spark versions and names the odd one', () => {
    const result = checkSparkClasspath([...good.filter((f) => !f.startsWith('spark-sql-kafka')), 'spark-sql-kafka-0-10_2.12-3.5.1.jar'], expected);
    expect(result.ok).toBe(false);
    expect(result.problems.join('\n')).toMatch(/Spark versions are mixed.*spark-sql-kafka-0-10_2\.12-3\.5\.1\.jar/);
  });

  it('refuses a classpath without the connectors', () => {
    const result = checkSparkClasspath(
      good.filter((f) => !f.startsWith('spark-cassandra') && !f.startsWith('spark-sql-kafka')),
      expected,
    );
    expect(result.problems.join('\n')).toMatch(/missing .*spark-sql-kafka-0-10, spark-cassandra-connector.*make jars/);
  });
});

describe('assertSparkJarsDir', () => {
  it('checks a directory on disk and explains how to fix a missing one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jars-'));
    for (const f of [...good, 'spark-core_2.13-3.5.7.jar']) writeFileSync(path.join(dir, f), '');
    expect(() => assertSparkJarsDir(dir, expected)).toThrow(/spark-core_2\.13-3\.5\.7\.jar/);
    expect(() => assertSparkJarsDir(path.join(dir, 'nope'), expected)).toThrow(PreflightError);
    expect(() => assertSparkJarsDir(path.join(dir, 'nope'), expected)).toThrow(/make jars/);
  });
});
