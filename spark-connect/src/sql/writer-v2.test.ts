import { describe, expect, it } from 'vitest';
import { WriteOperationV2_Mode } from '../gen/spark/connect/commands_pb.js';
import { col, lit } from './functions.js';
import { SparkSession } from './session.js';

describe('df.writeTo (DataFrameWriterV2)', () => {
  const spark = SparkSession.builder().remote('sc://localhost:1').create();
  const df = spark.range(3);

  it('builds the v2 write without I/O: table, provider, partitioning, options, properties', () => {
    const op = df
      .writeTo('db.t')
      .using('parquet')
      .partitionedBy('p', col('q'))
      .option('compression', 'zstd')
      .options({ a: 1, b: true })
      .tableProperty('owner', 'me')
      .command(WriteOperationV2_Mode.CREATE);
    expect(op.tableName).toBe('db.t');
    expect(op.provider).toBe('parquet');
    expect(op.partitioningColumns).toHaveLength(2);
    expect(op.options).toEqual({ compression: 'zstd', a: '1', b: 'true' });
    expect(op.tableProperties).toEqual({ owner: 'me' });
    expect(op.mode).toBe(WriteOperationV2_Mode.CREATE);
    expect(op.overwriteCondition).toBeUndefined();
  });

  it('overwrite(condition) carries the condition', () => {
    const op = df.writeTo('t').command(WriteOperationV2_Mode.OVERWRITE, col('id').gt(lit(1)));
    expect(op.overwriteCondition?.exprType.case).toBe('unresolvedFunction');
  });
});

describe('df.write.bucketBy / sortBy', () => {
  const df = SparkSession.builder().remote('sc://localhost:1').create().range(3);

  it('fills the WriteOperation bucketing and sort columns', () => {
    const op = df.write.bucketBy(8, 'a', 'b').sortBy('c').command({ saveAsTable: 't' });
    expect(op.bucketBy).toMatchObject({ numBuckets: 8, bucketColumnNames: ['a', 'b'] });
    expect(op.sortColumnNames).toEqual(['c']);
  });

  it('refuses a bucket count that is not a positive integer', () => {
    expect(() => df.write.bucketBy(0, 'a')).toThrow(/numBuckets must be a positive integer/);
  });
});
