// Type-checked with `tsc --strict --noEmit` in a fresh project where the packed spark-connect
// tarball is installed: the published .d.ts must describe the API a TypeScript user writes.
import { SparkSession, col, lit, type DataFrame, type Row, type StreamingQuery, type StreamingQueryProgress } from 'spark-connect';

export async function smoke(remote: string): Promise<{ rows: Row[]; progress: StreamingQueryProgress | null }> {
  const spark: SparkSession = SparkSession.builder().remote(remote).getOrCreate();
  const df: DataFrame = spark
    .range(10)
    .withColumn('x', col('id').multiply(lit(2)))
    .filter(col('x').gt(4));
  const rows: Row[] = await df.collect();
  const n: number = await df.count();
  const query: StreamingQuery = await spark.readStream.format('rate').load().writeStream.format('memory').queryName('typed').start();
  const progress: StreamingQueryProgress | null = await query.lastProgress();
  const rate: number | undefined = progress?.processedRowsPerSecond;
  await query.stop();
  spark.stop();
  void n;
  void rate;
  return { rows, progress };
}
