// Classification cost per message, before (the classification issue 9 replaced, kept below as the
// reference) and after (the job's own `classify`: the record function), in the same run on the same
// Connect server: both run as batch queries over the same N messages, in alternating pairs (A B, B A,
// …), each making the two passes of the job before its split sink (users: valid rows' typed columns;
// quarantine: reason), so that both sides are measured alike. The figure is the CPU the Spark executors and the Connect server spent (from /proc): on a
// machine shared with other work it moves far less than wall time, which is reported beside it.
// Run alone: `node --import tsx bench/classification.ts` (BENCH_CLASSIFY_ROWS, BENCH_CLASSIFY_ROUNDS).
import { setting } from '@streamline/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SparkSession, type DataFrame } from 'spark-connect';
import { classify, registerRecordFunction, userColumnsSql } from '@streamline/spark-job';
import { EXECUTOR_PROCESSES, stackProcesses, withCpu } from './support/cpu.js';
import { SparkTaskClock } from './support/spark-tasks.js';
import { alternatingPairs, describeRatio, pairedRatio, spreadOf, type PairedRatio, type Spread } from './support/pairs.js';

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
 * N messages like the producer's and 1% poison, generated once by Spark into Parquet. The strings that
 * look like numbers (which a classification in Spark SQL had to look at again) come in real data's
 * proportions: randomuser gives a numeric post code for 18 of its 21 nationalities (not GB, CA, NL), so
 * 6 in 7 here; its phone numbers are digits and dashes for about 9 of 21 ("01-23-45-67-89"), digits
 * only for 3 (DK, NO, IN: like a post code), spaced or bracketed for the rest.
 */
function generated(spark: SparkSession, rows: number): DataFrame {
  // Poison (n % 100 = 0): the id replaced by "x" (the first 44 characters are `{"id":"<uuid>"`).
  // Both classifications quarantine it; timeBoth checks that they do.
  const uuid = "concat_ws('-', substr(h, 1, 8), substr(h, 9, 4), substr(h, 13, 4), substr(h, 17, 4), substr(h, 21, 12))";
  return spark
    .range(rows)
    .selectExpr('id AS n', 'md5(CAST(id AS STRING)) AS h')
    .selectExpr(
      'n',
      `to_json(named_struct('id', ${uuid}, 'first_name', concat('First', n), 'last_name', concat('Last', n % 997), 'gender', IF(n % 2 = 0, 'female', 'male'),
        'address', concat(n % 300, ' High Street, London, Greater London, United Kingdom'), 'post_code', IF(n % 7 = 0, 'SW1A 1AA', CAST(10000 + n % 90000 AS STRING)),
        'email', concat('user', n, '@example.com'), 'username', concat('bluefox', n), 'dob', '1993-07-20T09:44:18.674Z', 'registered_date', '2013-03-06T02:13:24.000Z',
        'phone', CASE WHEN n % 7 < 3 THEN concat('0', n % 9 + 1, '-', lpad(CAST(n % 10000 AS STRING), 4, '0'), '-', '5678') WHEN n % 7 = 3 THEN CAST(10000000 + n % 90000000 AS STRING) WHEN n % 7 = 4 THEN '(011) 1234-5678' ELSE '017684 12345' END, 'picture', 'https://randomuser.me/api/portraits/med/women/1.jpg', 'latitude', (n % 180) - 89.5, 'longitude', (n % 360) - 179.5,
        'nationality', 'GB', 'produced_at', '2026-01-02T03:04:05.678Z')) AS j`,
    )
    .selectExpr(`CAST(CASE WHEN n % 100 = 0 THEN concat('{"id":"x"', substr(j, 45)) ELSE j END AS BINARY) AS value`);
}

/** How many of `generated(rows)` are poison. */
const poisonOf = (rows: number): number => Math.ceil(rows / 100);

export interface ClassificationSide {
  /** Executor CPU time Spark accounts to the stages of both passes, per message, µs (the figure). */
  taskCpuUsPerMessage: Spread;
  /** Wall time of the batch queries (both passes) per message, µs. */
  wallUsPerMessage: Spread;
  /** CPU the Spark executors and the Connect server (driver) burnt per message, µs: less load-dependent. */
  cpuUsPerMessage: Spread;
}

export interface ClassificationResult {
  rows: number;
  /** Alternating pairs (before, after / after, before / …). */
  rounds: number;
  before: ClassificationSide;
  after: ClassificationSide;
  /** after / before of task CPU per message, per pair: below 1 means the new classification is cheaper. */
  taskCpuRatio: PairedRatio;
  /** The same from the CPU of the executor and Connect server processes (includes GC, JIT). */
  cpuRatio: PairedRatio;
  /** The same from wall time. */
  wallRatio: PairedRatio;
}

interface Measured {
  taskCpuUs: number;
  wallUs: number;
  cpuUs: number;
  /** Of cpuUs, the Connect server's part (planning, optimizing, codegen of the driver: per query, not per row). */
  driverCpuUs: number;
}

async function timeBoth(
  input: DataFrame,
  which: (df: DataFrame) => DataFrame,
  users: string[],
  processes: Map<string, number[]>,
  tasks: SparkTaskClock,
  rows: number,
): Promise<Measured> {
  const classified = which(input);
  await tasks.mark(); // stages before this point are not ours
  const { ms, cpu } = await withCpu(processes, async () => {
    // hash(...) consumes every column, so none is pruned away; sum keeps the result one row.
    await classified
      .where('rejection_reason IS NULL')
      .selectExpr(...users)
      .selectExpr('sum(hash(*)) AS h')
      .collect();
    const [quarantine] = await classified
      .where('rejection_reason IS NOT NULL')
      .selectExpr('value', 'rejection_reason')
      .selectExpr('sum(hash(*)) AS h', 'count(*) AS n')
      .collect();
    // A figure without the poison it claims would flatter whichever side has the dearer reasons.
    if (Number(quarantine?.n) !== poisonOf(rows)) throw new Error(`classification bench: ${quarantine?.n} messages quarantined, expected ${poisonOf(rows)}`);
  });
  const sparkCpu = (cpu[EXECUTOR_PROCESSES] ?? 0) + (cpu['spark-connect'] ?? 0);
  const task = await tasks.since();
  return {
    taskCpuUs: (task.cpuMs * 1000) / rows,
    wallUs: (ms * 1000) / rows,
    cpuUs: (sparkCpu * 1e6) / rows,
    driverCpuUs: ((cpu['spark-connect'] ?? 0) * 1e6) / rows,
  };
}

const side = (runs: Measured[]): ClassificationSide => ({
  taskCpuUsPerMessage: spreadOf(runs.map((r) => r.taskCpuUs)),
  wallUsPerMessage: spreadOf(runs.map((r) => r.wallUs)),
  cpuUsPerMessage: spreadOf(runs.map((r) => r.cpuUs)),
});

export async function classificationCost(
  spark: SparkSession,
  options: { rows: number; rounds: number; log: (line: string) => void },
): Promise<ClassificationResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'streamline-classify-'));
  try {
    const processes = await stackProcesses();
    if (!processes.has(EXECUTOR_PROCESSES)) throw new Error('classification bench: no Spark executor of the local stack found (is `make stack-up` done?)');
    const tasks = await SparkTaskClock.open();
    await registerRecordFunction(spark);
    const file = path.join(dir, 'messages.parquet');
    await generated(spark, options.rows).write.format('parquet').mode('overwrite').save(file);
    const input = spark.read.format('parquet').load(file);
    const before = (): Promise<Measured> => timeBoth(input, oldClassify, OLD_USER_COLUMNS, processes, tasks, options.rows);
    const after = (): Promise<Measured> => timeBoth(input, classify, NEW_USER_COLUMNS, processes, tasks, options.rows);
    // Warm-up: class loading and JIT for both plans.
    await before();
    await after();
    let pair = 0;
    const logged = (name: string, run: () => Promise<Measured>) => async (): Promise<Measured> => {
      const m = await run();
      options.log(
        `classification: pair ${Math.floor(pair++ / 2) + 1}: ${name} ${m.taskCpuUs.toFixed(2)} µs task CPU, ${m.cpuUs.toFixed(2)} µs process CPU (${m.driverCpuUs.toFixed(2)} of it the Connect server), ${m.wallUs.toFixed(2)} µs wall per message`,
      );
      return m;
    };
    const runs = await alternatingPairs(options.rounds, logged('before', before), logged('after', after));
    return {
      rows: options.rows,
      rounds: options.rounds,
      before: side(runs.a),
      after: side(runs.b),
      taskCpuRatio: pairedRatio(
        runs.a.map((r) => r.taskCpuUs),
        runs.b.map((r) => r.taskCpuUs),
        runs.load,
      ),
      cpuRatio: pairedRatio(
        runs.a.map((r) => r.cpuUs),
        runs.b.map((r) => r.cpuUs),
        runs.load,
      ),
      wallRatio: pairedRatio(
        runs.a.map((r) => r.wallUs),
        runs.b.map((r) => r.wallUs),
        runs.load,
      ),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const us = (s: Spread): string => `median ${s.median.toFixed(2)} µs (spread ${s.min.toFixed(2)}–${s.max.toFixed(2)})`;

/** The figures as printed lines (the CLI and the bench log). */
export function describeClassification(r: ClassificationResult): string[] {
  return [
    `classification cost per message (${r.rows} messages, ${r.rounds} alternating pairs):`,
    `  before: task CPU ${us(r.before.taskCpuUsPerMessage)}, process CPU ${us(r.before.cpuUsPerMessage)}, wall ${us(r.before.wallUsPerMessage)}`,
    `  after:  task CPU ${us(r.after.taskCpuUsPerMessage)}, process CPU ${us(r.after.cpuUsPerMessage)}, wall ${us(r.after.wallUsPerMessage)}`,
    `  after/before, task CPU:    ${describeRatio(r.taskCpuRatio)}`,
    `  after/before, process CPU: ${describeRatio(r.cpuRatio)}`,
    `  after/before, wall:        ${describeRatio(r.wallRatio)}`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const spark = SparkSession.builder().remote(setting(process.env, 'SPARK_REMOTE')).create();
  const rows = Number(process.env.BENCH_CLASSIFY_ROWS || 200_000);
  const rounds = Number(process.env.BENCH_CLASSIFY_ROUNDS || 5);
  classificationCost(spark, { rows, rounds, log: console.log })
    .then((r) => {
      for (const line of describeClassification(r)) console.log(line);
    })
    .catch((error: unknown) => {
      console.error(`classification bench failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    })
    .finally(() => spark.close());
}
