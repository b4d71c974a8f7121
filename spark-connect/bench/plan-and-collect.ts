// Prints (no assertions): time to build a plan, time to submit it and get the first response back,
// and rows/s of collect() on spark.range(1e6). Run against the local stack:
//   npx tsx spark-connect/bench/plan-and-collect.ts            (SPARK_REMOTE overrides the address)
import { performance } from 'node:perf_hooks';
import { SparkSession, col, lit } from '../src/index.js';

const N = Number(process.env['BENCH_ROWS'] ?? 1_000_000);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);

const spark = SparkSession.builder().getOrCreate();
console.log(`remote ${spark.remote}, Spark ${await spark.version()}, node ${process.versions.node}`);

// 1. Building a plan is pure: measure it in isolation.
let t = performance.now();
const BUILDS = 10_000;
for (let i = 0; i < BUILDS; i++) {
  spark
    .range(N)
    .withColumn('x', col('id').multiply(2).plus(lit(1)))
    .filter(col('x').gt(10))
    .select('id', 'x')
    .plan();
}
console.log(`build plan: ${(((performance.now() - t) / BUILDS) * 1000).toFixed(1)} µs per 4-step plan`);

// 2. Submit + first response (small plan, so this is round-trip + server planning latency).
for (let i = 0; i < RUNS; i++) {
  t = performance.now();
  for await (const _ of spark.execute(spark.range(1).plan())) break;
  console.log(`submit -> first response: ${(performance.now() - t).toFixed(1)} ms`);
}

// 3. collect() throughput: Arrow over gRPC, decoded into JS rows.
for (let i = 0; i < RUNS; i++) {
  t = performance.now();
  const rows = await spark.range(N).collect();
  const s = (performance.now() - t) / 1000;
  console.log(`collect range(${N}): ${rows.length} rows in ${s.toFixed(2)} s = ${Math.round(rows.length / s).toLocaleString('en-US')} rows/s`);
}
spark.stop();
