// A stop in the middle of the split sink's write, shared by its tests (the generic path and the one-pass one).
import type { SparkSession } from 'spark-connect';
import { expect } from 'vitest';
import { SPLIT_SINK_FORMAT } from '@streamline/spark-job';
import { waitUntil } from '../../support/wait.js';

/**
 * Starts a split-sink query with these options over back-to-back batches (no trigger interval) of a
 * fast source, n, label and reason (every 7th row), so that the query is nearly always inside its
 * write when the stop comes, which interrupts it; stops it after two batches with rows and expects it
 * ended without an exception.
 */
export async function expectCleanStopMidBatch(spark: SparkSession, options: Record<string, string>): Promise<void> {
  const query = await spark.readStream
    .format('rate')
    .option('rowsPerSecond', 20_000)
    .load()
    .selectExpr('value AS n', "concat('row ', value) AS label", "IF(value % 7 = 0, 'bad', NULL) AS reason")
    .writeStream.format(SPLIT_SINK_FORMAT)
    .options(options)
    .start();
  try {
    await waitUntil('two batches with rows', async () => (await query.recentProgress()).filter((p) => p.numInputRows > 0).length >= 2, {
      timeoutMs: 60_000,
      intervalMs: 250,
    });
  } finally {
    await query.stop();
  }
  expect(await query.isActive()).toBe(false);
  expect(await query.exception()).toBeNull();
}
