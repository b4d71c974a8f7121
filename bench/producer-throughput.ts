// 1. Producer throughput: our producer (synthetic source, the real record, idempotent, acks=all) vs
// Kafka's own ProducerPerformance on the same broker with the same records (as its payload file) and
// the same delivery settings; and a naive kafkajs loop (one awaited send per record) as the floor.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseProducerArgs, runProducer, silentLogger } from '../producer/src/index.js';
import { loadStackConfig, stackPaths } from '../stack/src/index.js';
import { BOOTSTRAP, createTopic, topicSize, uniqueName, type BenchContext } from './support/env.js';
import { meanRecordBytes, syntheticRecords } from './support/records.js';
import { nowMs } from './support/timing.js';

export interface ProducerRun {
  name: string;
  compression: 'gzip' | 'none';
  records: number;
  seconds: number;
  recordsPerSecond: number;
  /** Messages found in the topic afterwards (proof that the count is real). */
  inTopic: number;
}

export interface ProducerThroughputResult {
  recordBytes: number;
  partitions: number;
  runs: ProducerRun[];
  /** ours / ProducerPerformance, per compression. */
  ratios: Record<string, number>;
  /** ours / naive loop. */
  overNaive: number;
}

const PARTITIONS = 3;

async function ours(ctx: BenchContext, count: number, compression: 'gzip' | 'none'): Promise<ProducerRun> {
  const topic = uniqueName(ctx, `prod_ours_${compression}`);
  await createTopic(ctx, topic, PARTITIONS);
  const parsed = await parseProducerArgs(
    [
      '--source',
      'synthetic',
      '--count',
      String(count),
      '--interval',
      '0',
      '--seed',
      `bench-${ctx.run}`,
      '--topic',
      topic,
      '--partitions',
      String(PARTITIONS),
      '--compression',
      compression,
      '--report-interval',
      '0',
      '--log-level',
      'warn',
    ],
    { KAFKA_BOOTSTRAP_SERVERS: BOOTSTRAP },
  );
  if (parsed.kind !== 'config') throw new Error('unexpected --help');
  const totals = await runProducer(parsed.config, { log: silentLogger });
  const seconds = totals.elapsedMs / 1000;
  return {
    name: 'streamline producer',
    compression,
    records: totals.sent,
    seconds,
    recordsPerSecond: totals.sent / seconds,
    inTopic: await topicSize(ctx, topic),
  };
}

/** Kafka's ProducerPerformance (kafka-tools, in the broker's classpath), same broker, same payloads. */
async function producerPerformance(ctx: BenchContext, count: number, payloadFile: string, compression: 'gzip' | 'none'): Promise<ProducerRun> {
  const topic = uniqueName(ctx, `prod_kpp_${compression}`);
  await createTopic(ctx, topic, PARTITIONS);
  const libs = stackPaths(loadStackConfig()).kafkaLibs;
  const args = [
    '-Xmx512m',
    '-cp',
    `${libs}/*`,
    'org.apache.kafka.tools.ProducerPerformance',
    '--topic',
    topic,
    '--num-records',
    String(count),
    '--throughput',
    '-1',
    '--payload-file',
    payloadFile,
    '--producer-props',
    `bootstrap.servers=${BOOTSTRAP}`,
    'acks=all',
    'enable.idempotence=true',
    `compression.type=${compression}`,
  ];
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr.on('data', (d: Buffer) => (text += d.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), 180_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(text);
      else reject(new Error(`ProducerPerformance exited with ${code}: ${text.split('\n').slice(-5).join(' | ')}`));
    });
  });
  // The last summary line: "N records sent, X records/sec (Y MB/sec), ... ms avg latency, ..."
  const lines = [...output.matchAll(/(\d+) records sent, ([\d.]+) records\/sec/g)];
  const last = lines.at(-1);
  if (!last) throw new Error(`no summary in ProducerPerformance output: ${output.slice(-400)}`);
  const records = Number(last[1]);
  const rate = Number(last[2]);
  return { name: 'Kafka ProducerPerformance', compression, records, seconds: records / rate, recordsPerSecond: rate, inTopic: await topicSize(ctx, topic) };
}

/** The floor: what a tutorial-style loop gets, one awaited idempotent acks=all send per record. */
async function naive(ctx: BenchContext, maxRecords: number, maxMs: number): Promise<ProducerRun> {
  const topic = uniqueName(ctx, 'prod_naive');
  await createTopic(ctx, topic, PARTITIONS);
  const records = syntheticRecords(maxRecords, `naive-${ctx.run}`);
  const producer = ctx.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  let sent = 0;
  const t0 = nowMs();
  try {
    for (const record of records) {
      await producer.send({ topic, acks: -1, messages: [{ key: record.id, value: JSON.stringify(record) }] });
      sent++;
      if (nowMs() - t0 > maxMs) break;
    }
  } finally {
    await producer.disconnect();
  }
  const seconds = (nowMs() - t0) / 1000;
  return {
    name: 'naive kafkajs loop (1 awaited send/record)',
    compression: 'none',
    records: sent,
    seconds,
    recordsPerSecond: sent / seconds,
    inTopic: await topicSize(ctx, topic),
  };
}

export async function producerThroughput(ctx: BenchContext, options: { records: number }): Promise<ProducerThroughputResult> {
  const sample = syntheticRecords(10_000, `payload-${ctx.run}`);
  const payloadFile = path.join(ctx.scratch, 'payloads.jsonl');
  writeFileSync(payloadFile, sample.map((r) => JSON.stringify(r)).join('\n'));
  const runs: ProducerRun[] = [];
  for (const compression of ['gzip', 'none'] as const) {
    // Reference first, then ours: neither gets a systematically warmer broker.
    runs.push(await producerPerformance(ctx, options.records, payloadFile, compression));
    ctx.log(`producer: ${runs.at(-1)!.name} (${compression}) ${Math.round(runs.at(-1)!.recordsPerSecond)} records/s`);
    runs.push(await ours(ctx, options.records, compression));
    ctx.log(`producer: ${runs.at(-1)!.name} (${compression}) ${Math.round(runs.at(-1)!.recordsPerSecond)} records/s`);
  }
  runs.push(await naive(ctx, 20_000, 8_000));
  ctx.log(`producer: ${runs.at(-1)!.name} ${Math.round(runs.at(-1)!.recordsPerSecond)} records/s`);
  const rate = (name: string, compression: string): number => runs.find((r) => r.name === name && r.compression === compression)!.recordsPerSecond;
  const ratios = Object.fromEntries((['gzip', 'none'] as const).map((c) => [c, rate('streamline producer', c) / rate('Kafka ProducerPerformance', c)]));
  return {
    recordBytes: meanRecordBytes(sample),
    partitions: PARTITIONS,
    runs,
    ratios,
    overNaive: rate('streamline producer', 'gzip') / runs.at(-1)!.recordsPerSecond,
  };
}
