// Observation: binding to a plan, finding it in a plan, and reading the metrics a response carries.
import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { ExecutePlanResponse_ObservedMetricsSchema } from '../gen/spark/connect/base_pb.js';
import { col, count, lit, max } from './functions.js';
import { literal } from './literal.js';
import { Observation, observationsIn } from './observation.js';
import { SparkSession } from './session.js';

const spark = SparkSession.builder().remote('sc://127.0.0.1:1').create();

describe('Observation', () => {
  it('observe() puts a CollectMetrics node with the name and metrics in the plan', () => {
    const obs = new Observation('m1');
    const df = spark.range(3).observe(obs, count(lit(1)).alias('rows'), max(col('id')));
    expect(df.relation.relType.case).toBe('collectMetrics');
    const cm = df.relation.relType.value as { name: string; metrics: unknown[] };
    expect(cm.name).toBe('m1');
    expect(cm.metrics).toHaveLength(2);
    // Found in the plan of any DataFrame built on it, by name.
    expect([...observationsIn(df.filter('id > 0').groupBy().count().plan()).entries()]).toEqual([['m1', obs]]);
    expect(
      observationsIn(
        spark
          .range(3)
          .observe('by_name_only', count(lit(1)))
          .plan(),
      ).size,
    ).toBe(0);
  });

  it('names itself with a UUID when unnamed, refuses a second DataFrame and an empty name', () => {
    const obs = new Observation();
    expect(obs.name).toBeUndefined();
    spark.range(1).observe(obs, count(lit(1)));
    expect(obs.name).toMatch(/^[0-9a-f-]{36}$/);
    expect(() => spark.range(1).observe(obs, count(lit(1)))).toThrow(/one DataFrame/);
    expect(() => new Observation('')).toThrow(RangeError);
  });

  it('reads the server keys (4.0), else the aliases sent, else observed_metric_<i> (3.5)', () => {
    const metrics = (values: number[], keys: string[] = []) =>
      create(ExecutePlanResponse_ObservedMetricsSchema, { name: 'x', values: values.map((v) => literal(v)), keys });
    const withKeys = new Observation('x');
    spark.range(1).observe(withKeys, count(lit(1)).alias('rows'), max(col('id')));
    expect(withKeys.get).toEqual({});
    withKeys.deliver(metrics([3, 2], ['rows', 'max(id)']));
    expect(withKeys.get).toEqual({ rows: 3, 'max(id)': 2 });

    const noKeys = new Observation('y');
    spark.range(1).observe(noKeys, count(lit(1)).alias('rows'), max(col('id')));
    noKeys.deliver(metrics([3, 2]));
    expect(noKeys.get).toEqual({ rows: 3, observed_metric_1: 2 });
    // A later action replaces the values.
    noKeys.deliver(metrics([5, 4]));
    expect(noKeys.get).toEqual({ rows: 5, observed_metric_1: 4 });
  });

  it('get before observe() throws', () => {
    expect(() => new Observation('z').get).toThrow(/observe/);
  });
});
