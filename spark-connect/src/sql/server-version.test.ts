// Which plans need a Spark 4.0 server: found in the plan itself, before anything is sent.
import { describe, expect, it } from 'vitest';
import { col, lit } from './functions.js';
import { requiredServerVersion, versionAtLeast } from './server-version.js';
import { SparkSession } from './session.js';
import { IntegerType } from './types.js';

const spark = SparkSession.builder().remote('sc://127.0.0.1:1').create();
const df = spark.range(10).withColumn('k', col('id').mod(3));

describe('requiredServerVersion', () => {
  it('is undefined for plans every server runs (3.5 protocol only)', () => {
    const plan = df
      .groupBy('k')
      .count()
      .join(df.rollup('k').count(), 'k')
      .filter(col('k').cast('int').gt(lit(1)))
      .plan();
    expect(requiredServerVersion(plan)).toBeUndefined();
    expect(requiredServerVersion(df.observe('m', col('id')).plan())).toBeUndefined();
  });

  it('names the 4.0 method wherever it sits in the plan (nested relations, expressions, commands)', () => {
    const sets = df.groupingSets([['k'], []], 'k').count();
    expect(requiredServerVersion(sets.plan())).toEqual({ feature: 'groupingSets()', version: '4.0' });
    // Deep inside a join's right side and under later transformations.
    expect(requiredServerVersion(df.join(sets, 'k').limit(3).plan())?.feature).toBe('groupingSets()');
    expect(requiredServerVersion(df.transpose().plan())?.feature).toBe('transpose()');
    expect(requiredServerVersion(df.select(col('id').tryCast(IntegerType())).plan())?.feature).toBe('Column.tryCast()');
    expect(requiredServerVersion(df.select(df.metadataColumn('_metadata')).plan())?.feature).toBe('metadataColumn()');
    expect(requiredServerVersion(df.checkpointCommand(false))?.feature).toBe('checkpoint()');
    expect(requiredServerVersion(df.checkpointCommand(true))?.feature).toBe('localCheckpoint()');
    // An AnalyzePlan request (schema(), explain()...) as session.analyze() receives it.
    expect(requiredServerVersion({ case: 'schema', value: { plan: df.transpose().plan() } })?.feature).toBe('transpose()');
  });

  it('a plain cast is no tryCast', () => {
    expect(requiredServerVersion(df.select(col('id').cast('string')).plan())).toBeUndefined();
  });
});

describe('versionAtLeast', () => {
  it('compares major, then minor; patch and suffixes do not matter', () => {
    expect(versionAtLeast('3.5.7', '4.0')).toBe(false);
    expect(versionAtLeast('4.0.1', '4.0')).toBe(true);
    expect(versionAtLeast('4.1.0-SNAPSHOT', '4.0')).toBe(true);
    expect(versionAtLeast('5.0.0', '4.1')).toBe(true);
    expect(versionAtLeast('3.9.0', '4.0')).toBe(false);
    expect(versionAtLeast('4.0.0', '4.1')).toBe(false);
  });
});
