// Classification cost per message, before (the classification this issue replaced, kept below as the
// reference) and after (the job's own `classify`, record/src/spark.ts), in the same run on the same
// Connect server: both run as batch queries over the same N messages, alternating A B A B, each
// doing exactly what the job's two queries do (users: valid rows' typed columns; quarantine: reason).
// Run alone: `node --import tsx bench/classification.ts` (BENCH_CLASSIFY_ROWS, BENCH_CLASSIFY_ROUNDS).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SparkSession, type DataFrame } from 'spark-connect';
import { classify, userColumnsSql } from '@streamline/spark-job';
import { median } from './support/stats.js';
import { nowMs } from './support/timing.js';

/** The classification before issue 9 (one from_json with a corrupt-record column, eight transcodes). */
const OLD_SCHEMA =
  'STRUCT<id: STRING, first_name: STRING, last_name: STRING, gender: STRING, address: STRING, post_code: STRING, email: STRING, username: STRING, dob: TIMESTAMP, registered_date: TIMESTAMP, phone: STRING, picture: STRING, latitude: DOUBLE, longitude: DOUBLE, nationality: STRING, produced_at: TIMESTAMP, _corrupt_record: STRING>';
const OLD_REASON = `CASE
  WHEN value IS NULL OR octet_length(value) = 0 THEN 'empty value'
  WHEN encode(decode(value, 'UTF-8'), 'UTF-8') <> value THEN 'value is not valid UTF-8'
  WHEN json_object_keys(json) IS NULL THEN 'not a JSON object'
  WHEN record.id IS NULL THEN 'missing id'
  WHEN NOT record.id RLIKE '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' THEN 'id is not a UUID'
  WHEN record._corrupt_record IS NOT NULL THEN 'field types do not match the record'
  ELSE NULL
END`;
const OLD_USER_COLUMNS = [
  'lower(record.id) AS id',
  ...userColumnsSql()
    .filter((c) => !/ AS (id|ingested_at|kafka_partition|kafka_offset)$/.test(c))
    .map((c) => c.replace(/^.* AS (\w+)$/, 'record.$1 AS $1')),
];

function oldClassify(messages: DataFrame): DataFrame {
  return messages
    .selectExpr('*', 'CAST(value AS STRING) AS json')
    .selectExpr(
      '*',
      `inline(array(struct(from_json(json, '${OLD_SCHEMA}', map('mode', 'PERMISSIVE', 'columnNameOfCorruptRecord', '_corrupt_record')) AS record)))`,
    )
    .selectExpr('*', `${OLD_REASON} AS rejection_reason`);
}

const NEW_USER_COLUMNS = userColumnsSql().filter((c) => !/ AS (ingested_at|kafka_partition|kafka_offset)$/.test(c));

/**
 * N messages like the producer's (numeric-looking post codes included, so the new string probe runs
 * as often as on real data) and 1% poison, generated once by Spark into Parquet.
 */
function generated(spark: SparkSession, rows: number): DataFrame {
  const uuid = "concat_ws('-', substr(h, 1, 8), substr(h, 9, 4), substr(h, 13, 4), substr(h, 17, 4), substr(h, 21, 12))";
  return spark
    .range(rows)
    .selectExpr('id AS n', 'md5(CAST(id AS STRING)) AS h')
    .selectExpr(
      'n',
      `to_json(named_struct('id', ${uuid}, 'first_name', concat('First', n), 'last_name', concat('Last', n % 997), 'gender', IF(n % 2 = 0, 'female', 'male'),
        'address', concat(n % 300, ' High Street, London, Greater London, United Kingdom'), 'post_code', IF(n % 5 = 0, 'SW1A 1AA', CAST(10000 + n % 90000 AS STRING)),
        'email', concat('user', n, '@example.com'), 'username', concat('bluefox', n), 'dob', '1993-07-20T09:44:18.674Z', 'registered_date', '2013-03-06T02:13:24.000Z',
        'phone', '017684 12345', 'picture', 'https://randomuser.me/api/portraits/med/women/1.jpg', 'latitude', (n % 180) - 89.5, 'longitude', (n % 360) - 179.5,
        'nationality', 'GB', 'produced_at', '2026-01-02T03:04:05.678Z')) AS j`,
    )
    .selectExpr(`CAST(CASE WHEN n % 100 = 0 THEN concat('{"id":"x",', substr(j, 2)) ELSE j END AS BINARY) AS value`);
}

export interface ClassificationResult {
  rows: number;
  rounds: number;
  /** Microseconds of Spark time (wall time of the batch query, both of the job's queries) per message. */
  beforeUsPerMessage: { median: number; runs: number[] };
  afterUsPerMessage: { median: number; runs: number[] };
  /** after / before: below 1 means the new classification is cheaper. */
  ratio: number;
}

async function timeBoth(input: DataFrame, which: (df: DataFrame) => DataFrame, users: string[]): Promise<number> {
  const classified = which(input);
  const t0 = nowMs();
  // hash(...) consumes every column, so none is pruned away; sum keeps the result one row.
  await classified
    .where('rejection_reason IS NULL')
    .selectExpr(...users)
    .selectExpr('sum(hash(*)) AS h')
    .collect();
  await classified.where('rejection_reason IS NOT NULL').selectExpr('value', 'rejection_reason').selectExpr('sum(hash(*)) AS h').collect();
  return nowMs() - t0;
}

export async function classificationCost(
  spark: SparkSession,
  options: { rows: number; rounds: number; log: (line: string) => void },
): Promise<ClassificationResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'streamline-classify-'));
  try {
    const file = path.join(dir, 'messages.parquet');
    await generated(spark, options.rows).write.format('parquet').mode('overwrite').save(file);
    const input = spark.read.format('parquet').load(file);
    // Warm-up: class loading and JIT for both plans.
    await timeBoth(input, oldClassify, OLD_USER_COLUMNS);
    await timeBoth(input, classify, NEW_USER_COLUMNS);
    const before: number[] = [];
    const after: number[] = [];
    for (let round = 0; round < options.rounds; round++) {
      before.push(((await timeBoth(input, oldClassify, OLD_USER_COLUMNS)) * 1000) / options.rows);
      after.push(((await timeBoth(input, classify, NEW_USER_COLUMNS)) * 1000) / options.rows);
      options.log(`classification: round ${round + 1}: before ${before.at(-1)!.toFixed(2)} µs/message, after ${after.at(-1)!.toFixed(2)} µs/message`);
    }
    return {
      rows: options.rows,
      rounds: options.rounds,
      beforeUsPerMessage: { median: median(before), runs: before },
      afterUsPerMessage: { median: median(after), runs: after },
      ratio: median(after) / median(before),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const spark = SparkSession.builder()
    .remote(process.env.SPARK_REMOTE || 'sc://localhost:15002')
    .create();
  const rows = Number(process.env.BENCH_CLASSIFY_ROWS || 200_000);
  const rounds = Number(process.env.BENCH_CLASSIFY_ROUNDS || 3);
  classificationCost(spark, { rows, rounds, log: console.log })
    .then((r) => {
      const spread = (v: number[]): string => `${Math.min(...v).toFixed(2)}–${Math.max(...v).toFixed(2)}`;
      console.log(`classification cost per message (${r.rows} messages, ${r.rounds} rounds A B A B):`);
      console.log(`  before: median ${r.beforeUsPerMessage.median.toFixed(2)} µs (spread ${spread(r.beforeUsPerMessage.runs)})`);
      console.log(`  after:  median ${r.afterUsPerMessage.median.toFixed(2)} µs (spread ${spread(r.afterUsPerMessage.runs)})`);
      console.log(`  ratio after/before: ${r.ratio.toFixed(2)}×`);
    })
    .catch((error: unknown) => {
      console.error(`classification bench failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    })
    .finally(() => spark.close());
}
