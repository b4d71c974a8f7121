// Runs with plain Node (no TypeScript, no loader) from a fresh project where the packed
// spark-connect tarball is installed: SQL collect, then a streaming query's start/progress/stop.
// Prints one JSON line the test asserts on.
import { SparkSession, col } from 'spark-connect';

const remote = process.env.SPARK_REMOTE ?? 'sc://localhost:15002';
const spark = SparkSession.builder().remote(remote).create();
const out = {};
try {
  out.version = await spark.version();
  const rows = await spark.sql("SELECT 1 + 1 AS two, upper('spark') AS s").collect();
  out.sql = rows.map((r) => ({ two: r.two, s: r.s }));

  const name = `pkg_smoke_${process.pid}`;
  const query = await spark.readStream
    .format('rate')
    .option('rowsPerSecond', 20)
    .load()
    .withColumn('even', col('value').mod(2).eq(0))
    .writeStream.format('memory')
    .queryName(name)
    .outputMode('append')
    .trigger({ processingTime: '500 milliseconds' })
    .start();
  try {
    const deadline = Date.now() + 45_000;
    let progress = null;
    // Wait on the condition (a batch with input rows), bounded.
    while (Date.now() < deadline) {
      progress = (await query.recentProgress()).find((p) => p.numInputRows > 0) ?? null;
      if (progress) break;
      await query.awaitTermination(500);
    }
    out.activeBeforeStop = await query.isActive();
    out.progress = progress && { batchId: progress.batchId, numInputRows: progress.numInputRows, name: progress.name };
  } finally {
    await query.stop();
  }
  out.activeAfterStop = await query.isActive();
} finally {
  spark.stop();
}
console.log(JSON.stringify(out));
