// 1. Producer throughput against Kafka's own ProducerPerformance on the same broker, like for like:
//   - "sink": our Kafka sink alone on the very payloads ProducerPerformance sends (its --payload-file),
//     and separately "whole": our whole producer (synthetic source + validation + sink);
//   - the job's default topic partition count in every run, the same delivery settings (idempotent,
//     acks=all, same compression); ours sends keyed records (murmur2 over every partition), so the
//     reference spreads its unkeyed records over every partition too (RoundRobinPartitioner) instead
//     of filling one partition's batch at a time (sticky);
//   - every ratio from alternating rounds (reference, sink, whole / whole, sink, reference / …), its
//     median and spread with the machine's load; CPU seconds of the producing process and the broker
//     per run;
//   - a naive kafkajs loop (one awaited send per record) as the floor.
// Alone, on Kafka only (`make stack-up SERVICES=kafka`), with the producer's V8 flags (producer/src/runtime.ts):
// `node --max-semi-space-size=64 --import tsx bench/producer-throughput.ts`
// (BENCH_PRODUCER_RECORDS, BENCH_PRODUCER_ROUNDS, default 3; BENCH_PARTITIONS, default the job's).
// Contenders measured in the same alternating rounds, each as sink and as whole producer, each with
// its ratio to ProducerPerformance and to our default in the same round:
//   - BENCH_PRODUCER_BASELINE=<dir>: the producer of another checkout (e.g. `git archive <base>` with
//     node_modules linked), so that a change is measured before and after in one session;
//   - BENCH_PRODUCER_VARIANTS='label={"producers":1};other={...}': our producer with these Kafka sink
//     settings (KafkaSinkConfig fields) instead of the defaults: the rows that justify a default.
// For such sweeps BENCH_PRODUCER_REFERENCE=0 leaves ProducerPerformance (and the naive loop) out, and
// BENCH_PRODUCER_COMPRESSIONS=none (or gzip) measures one compression only, and BENCH_PRODUCER_RTT_MS=2
// delays every broker response to our producers by that long (kafkajs' socketFactory), so that the
// concurrency settings are measured as a network between hosts would make them matter (ProducerPerformance
// cannot be delayed this way: it needs BENCH_PRODUCER_REFERENCE=0).
import { spawn } from 'node:child_process';
import net from 'node:net';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as producerModule from '../producer/src/index.js';
import { serializeRecord, silentLogger, type KafkaSinkConfig, type SerializedRecord } from '../producer/src/index.js';
import * as sinkModule from '../producer/src/sink/kafka.js';
import type { ISocketFactory } from 'kafkajs';
import { pipelineDefaults, toPipelineConfig } from '@streamline/spark-job';
import { PRODUCER_NODE_FLAGS } from '../producer/src/runtime.js';
import { loadStackConfig, runningServices, stackPaths } from '../stack/src/index.js';
import { cpuSeconds, selfCpuSeconds } from './support/cpu.js';
import { BOOTSTRAP, closeContext, createTopic, openContext, topicSize, uniqueName, type BenchContext } from './support/env.js';
import { describeRatio, pairedRatio, spreadOf, type MachineLoad, type PairedRatio } from './support/pairs.js';
import { meanRecordBytes, syntheticRecords } from './support/records.js';
import { median } from './support/stats.js';
import { every, nowMs } from './support/timing.js';

export interface ProducerRun {
  name: string;
  compression: 'gzip' | 'none';
  records: number;
  seconds: number;
  recordsPerSecond: number;
  /** Messages found in the topic afterwards (proof that the count is real). */
  inTopic: number;
  /** CPU seconds during the run: the producing process (this one, or ProducerPerformance's JVM) and the broker. */
  cpu: { producer: number; broker: number };
  round?: number;
}

export interface ProducerThroughputResult {
  recordBytes: number;
  /** The producer's V8 flags this process runs with, and those it lacks (then the figures are not the producer's as launched). */
  nodeFlags: { present: string[]; missing: string[] };
  partitions: number;
  runs: ProducerRun[];
  /** ours (whole producer) / ProducerPerformance, per compression: median over the rounds. */
  ratios: Record<string, number>;
  /** Per compression: our sink on the same payloads / ProducerPerformance, the whole producer / ProducerPerformance. */
  paired: Record<string, { sink: PairedRatio; whole: PairedRatio }>;
  /** Per compression, per contender (baseline, variants): each against ProducerPerformance and against our default. */
  contenders: Record<string, Record<string, ContenderRatios>>;
  /** ours (whole, gzip, median) / naive loop. */
  overNaive: number;
}

export interface ContenderRatios {
  /** contender / ProducerPerformance (absent with BENCH_PRODUCER_REFERENCE=0). */
  sink?: PairedRatio;
  whole?: PairedRatio;
  /** contender / our default, same round: rates, and CPU seconds per run (the steadier figure). */
  sinkVsDefault: PairedRatio;
  wholeVsDefault: PairedRatio;
  sinkCpuVsDefault: PairedRatio;
  wholeCpuVsDefault: PairedRatio;
}

/** The producer code a run uses: ours, or another checkout's (BENCH_PRODUCER_BASELINE), with sink settings on top. */
interface ProducerCode {
  label: string;
  runProducer: typeof producerModule.runProducer;
  parseProducerArgs: typeof producerModule.parseProducerArgs;
  KafkaSink: typeof sinkModule.KafkaSink;
  sinkOverrides: Partial<KafkaSinkConfig>;
}

const OURS: ProducerCode = { label: 'default', ...producerModule, KafkaSink: sinkModule.KafkaSink, sinkOverrides: {} };

/** The contenders the environment asks for (see the header). */
async function contendersFromEnv(env: NodeJS.ProcessEnv): Promise<ProducerCode[]> {
  const out: ProducerCode[] = [];
  const baseline = env.BENCH_PRODUCER_BASELINE;
  if (baseline) {
    // The other checkout's own modules (its kafkajs is linked to ours; its record and core are its own).
    const mod = (await import(pathToFileURL(path.resolve(baseline, 'producer/src/index.ts')).href)) as typeof producerModule;
    const sink = (await import(pathToFileURL(path.resolve(baseline, 'producer/src/sink/kafka.ts')).href)) as typeof sinkModule;
    out.push({ label: 'baseline', runProducer: mod.runProducer, parseProducerArgs: mod.parseProducerArgs, KafkaSink: sink.KafkaSink, sinkOverrides: {} });
  }
  for (const spec of (env.BENCH_PRODUCER_VARIANTS ?? '').split(';').filter((v) => v.trim() !== '')) {
    const eq = spec.indexOf('=');
    if (eq < 1) throw new Error(`BENCH_PRODUCER_VARIANTS: expected label={json}, got ${JSON.stringify(spec)}`);
    out.push({ ...OURS, label: spec.slice(0, eq).trim(), sinkOverrides: JSON.parse(spec.slice(eq + 1)) as Partial<KafkaSinkConfig> });
  }
  return out;
}

export const WHOLE = 'streamline producer (source + validation + sink)';
export const SINK = 'streamline sink on the payload file';
export const REFERENCE = 'Kafka ProducerPerformance';

interface RunSetup {
  partitions: number;
  brokerPid: number | undefined;
}

type Cpu = ProducerRun['cpu'];

/** Each broker response reaches the producer rttMs late (in order): a round trip between hosts, emulated. */
function slowNetwork(rttMs: number): ISocketFactory {
  return ({ host, port, onConnect }) => {
    const socket = net.connect({ host, port }, onConnect);
    const emit = socket.emit.bind(socket);
    socket.emit = (event: string | symbol, ...args: unknown[]): boolean => {
      if (event !== 'data') return emit(event, ...args);
      setTimeout(() => emit(event, ...args), rttMs);
      return true;
    };
    return socket;
  };
}

const RTT_MS = Number(process.env.BENCH_PRODUCER_RTT_MS || 0);
/** Network options for our producers' sinks (none unless BENCH_PRODUCER_RTT_MS is set). */
const network = RTT_MS > 0 ? { socketFactory: slowNetwork(RTT_MS) } : {};

/** A run's name: the side (sink or whole), and the contender unless it is our default. */
const nameOf = (side: string, code: ProducerCode): string => (code === OURS ? side : `${side} [${code.label}]`);

/** Runs fn; the CPU this process and the broker spent meanwhile. */
async function withProducerCpu<T>(brokerPid: number | undefined, fn: () => Promise<T>): Promise<{ value: T; cpu: Cpu }> {
  const self0 = selfCpuSeconds();
  const broker0 = brokerPid === undefined ? undefined : cpuSeconds(brokerPid);
  const value = await fn();
  const broker1 = brokerPid === undefined ? undefined : cpuSeconds(brokerPid);
  return { value, cpu: { producer: selfCpuSeconds() - self0, broker: broker0 !== undefined && broker1 !== undefined ? broker1 - broker0 : 0 } };
}

async function ours(ctx: BenchContext, setup: RunSetup, count: number, compression: 'gzip' | 'none', code: ProducerCode = OURS): Promise<ProducerRun> {
  const topic = uniqueName(ctx, `prod_ours_${compression}`);
  await createTopic(ctx, topic, setup.partitions);
  const parsed = await code.parseProducerArgs(
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
      String(setup.partitions),
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
  const config = { ...parsed.config, kafka: { ...parsed.config.kafka, ...code.sinkOverrides } };
  // The sink the producer would build itself, plus the emulated network if any.
  const sink = new code.KafkaSink(config.kafka, { log: silentLogger, headers: { source: 'synthetic' }, ...network });
  const { value: totals, cpu } = await withProducerCpu(setup.brokerPid, () => code.runProducer(config, { log: silentLogger, sink }));
  const seconds = totals.elapsedMs / 1000;
  return {
    name: nameOf(WHOLE, code),
    compression,
    records: totals.sent,
    seconds,
    recordsPerSecond: totals.sent / seconds,
    inTopic: await topicSize(ctx, topic),
    cpu,
  };
}

/** Our Kafka sink alone (the producer's own settings), fed the payload file's records, cycled up to count. */
async function oursSink(
  ctx: BenchContext,
  setup: RunSetup,
  records: readonly SerializedRecord[],
  count: number,
  compression: 'gzip' | 'none',
  code: ProducerCode = OURS,
): Promise<ProducerRun> {
  const topic = uniqueName(ctx, `prod_sink_${compression}`);
  await createTopic(ctx, topic, setup.partitions);
  const parsed = await code.parseProducerArgs(['--source', 'synthetic', '--topic', topic, '--compression', compression], {
    KAFKA_BOOTSTRAP_SERVERS: BOOTSTRAP,
  });
  if (parsed.kind !== 'config') throw new Error('unexpected --help');
  const sink = new code.KafkaSink({ ...parsed.config.kafka, createTopic: false, ...code.sinkOverrides }, { log: silentLogger, ...network });
  await sink.start();
  // Written in pages like the producer's (one write per fetched page).
  const page = parsed.config.source.kind === 'synthetic' ? parsed.config.source.results : 500;
  try {
    const { value: seconds, cpu } = await withProducerCpu(setup.brokerPid, async () => {
      const t0 = nowMs();
      for (let sent = 0; sent < count; sent += page) {
        const n = Math.min(page, count - sent);
        const batch: SerializedRecord[] = new Array(n);
        for (let i = 0; i < n; i++) batch[i] = records[(sent + i) % records.length]!;
        await sink.write(batch);
      }
      await sink.flush();
      return (nowMs() - t0) / 1000;
    });
    return { name: nameOf(SINK, code), compression, records: count, seconds, recordsPerSecond: count / seconds, inTopic: await topicSize(ctx, topic), cpu };
  } finally {
    await sink.close();
  }
}

/** Kafka's ProducerPerformance (kafka-tools, in the broker's classpath), same broker, same payloads. */
async function producerPerformance(ctx: BenchContext, setup: RunSetup, count: number, payloadFile: string, compression: 'gzip' | 'none'): Promise<ProducerRun> {
  const topic = uniqueName(ctx, `prod_kpp_${compression}`);
  await createTopic(ctx, topic, setup.partitions);
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
    // Unkeyed records over every partition, like our murmur2-keyed ones (not one sticky partition).
    'partitioner.class=org.apache.kafka.clients.producer.RoundRobinPartitioner',
  ];
  const broker0 = setup.brokerPid === undefined ? undefined : cpuSeconds(setup.brokerPid);
  // The JVM's CPU, polled while it runs (the last reading before it exits: up to 200 ms short).
  let childPid: number | undefined;
  let childCpu = 0;
  const watcher = every(200, () => {
    const s = childPid === undefined ? undefined : cpuSeconds(childPid);
    if (s !== undefined) childCpu = s;
  });
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    childPid = child.pid;
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
  }).finally(() => watcher.stop());
  const broker1 = setup.brokerPid === undefined ? undefined : cpuSeconds(setup.brokerPid);
  // The last summary line: "N records sent, X records/sec (Y MB/sec), ... ms avg latency, ..."
  const lines = [...output.matchAll(/(\d+) records sent, ([\d.]+) records\/sec/g)];
  const last = lines.at(-1);
  if (!last) throw new Error(`no summary in ProducerPerformance output: ${output.slice(-400)}`);
  const records = Number(last[1]);
  const rate = Number(last[2]);
  return {
    name: REFERENCE,
    compression,
    records,
    seconds: records / rate,
    recordsPerSecond: rate,
    inTopic: await topicSize(ctx, topic),
    cpu: { producer: childCpu, broker: broker0 !== undefined && broker1 !== undefined ? broker1 - broker0 : 0 },
  };
}

/** The floor: what a tutorial-style loop gets, one awaited idempotent acks=all send per record. */
async function naive(ctx: BenchContext, setup: RunSetup, maxRecords: number, maxMs: number): Promise<ProducerRun> {
  const topic = uniqueName(ctx, 'prod_naive');
  await createTopic(ctx, topic, setup.partitions);
  const records = syntheticRecords(maxRecords, `naive-${ctx.run}`);
  const producer = ctx.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  let sent = 0;
  const t0 = nowMs();
  const { cpu } = await withProducerCpu(setup.brokerPid, async () => {
    try {
      for (const record of records) {
        await producer.send({ topic, acks: -1, messages: [{ key: record.id, value: JSON.stringify(record) }] });
        sent++;
        if (nowMs() - t0 > maxMs) break;
      }
    } finally {
      await producer.disconnect();
    }
  });
  const seconds = (nowMs() - t0) / 1000;
  return {
    name: 'naive kafkajs loop (1 awaited send/record)',
    compression: 'none',
    records: sent,
    seconds,
    recordsPerSecond: sent / seconds,
    inTopic: await topicSize(ctx, topic),
    cpu,
  };
}

/**
 * Our producers run in this process, so it must run as the producer's launchers run node (their V8
 * flags, producer/src/runtime.ts): `make bench` does; a run started by hand says so when it does not.
 */
function producerNodeFlags(): ProducerThroughputResult['nodeFlags'] {
  const given = new Set([...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)]);
  return { present: PRODUCER_NODE_FLAGS.filter((f) => given.has(f)), missing: PRODUCER_NODE_FLAGS.filter((f) => !given.has(f)) };
}

export async function producerThroughput(
  ctx: BenchContext,
  options: { records: number; rounds?: number; partitions?: number },
): Promise<ProducerThroughputResult> {
  const rounds = options.rounds ?? Number(process.env.BENCH_PRODUCER_ROUNDS || 3);
  const brokerPid = runningServices(loadStackConfig()).find((s) => s.name === 'kafka')?.pid;
  // The job's default partition count, as in every other phase, so that the phases compare.
  const partitions = options.partitions ?? toPipelineConfig(pipelineDefaults(process.env)).kafka.topicPartitions;
  const setup: RunSetup = { partitions, brokerPid };
  const nodeFlags = producerNodeFlags();
  if (nodeFlags.missing.length > 0)
    ctx.log(
      `producer: WARNING this process runs without the producer's V8 flags ${nodeFlags.missing.join(' ')}: our figures are lower than the producer's as launched (run node ${PRODUCER_NODE_FLAGS.join(' ')} --import tsx …)`,
    );
  // The producer's messages, serialized as it serializes them: our sink sends these very strings, and
  // ProducerPerformance the file of them (neither side serializes in the timed section).
  const sample = syntheticRecords(10_000, `payload-${ctx.run}`).map(serializeRecord);
  const payloadFile = path.join(ctx.scratch, 'payloads.jsonl');
  writeFileSync(payloadFile, sample.map((r) => r.json).join('\n'));
  const runs: ProducerRun[] = [];
  const paired: ProducerThroughputResult['paired'] = {};
  const contenders: ProducerThroughputResult['contenders'] = {};
  const ratios: Record<string, number> = {};
  const others = await contendersFromEnv(process.env);
  const withReference = process.env.BENCH_PRODUCER_REFERENCE !== '0';
  if (withReference && RTT_MS > 0) throw new Error('BENCH_PRODUCER_RTT_MS cannot delay ProducerPerformance: set BENCH_PRODUCER_REFERENCE=0');
  const compressions = (['gzip', 'none'] as const).filter((c) => (process.env.BENCH_PRODUCER_COMPRESSIONS ?? 'gzip,none').split(',').includes(c));
  for (const compression of compressions) {
    const steps: [string, () => Promise<ProducerRun>][] = [
      ...(withReference
        ? [[REFERENCE, () => producerPerformance(ctx, setup, options.records, payloadFile, compression)] as [string, () => Promise<ProducerRun>]]
        : []),
      ...[OURS, ...others].flatMap((code): [string, () => Promise<ProducerRun>][] => [
        [nameOf(SINK, code), () => oursSink(ctx, setup, sample, options.records, compression, code)],
        [nameOf(WHOLE, code), () => ours(ctx, setup, options.records, compression, code)],
      ]),
    ];
    const rates = new Map<string, number[]>(steps.map(([name]) => [name, []]));
    const cpu = new Map<string, number[]>(steps.map(([name]) => [name, []]));
    const loadBefore = loadavg()[0]!;
    for (let round = 0; round < rounds; round++) {
      // Forward, then backward: a drift of the machine's load weighs on every side alike.
      for (const [name, run] of round % 2 === 0 ? steps : [...steps].reverse()) {
        const r = { ...(await run()), round: round + 1 };
        runs.push(r);
        rates.get(name)!.push(r.recordsPerSecond);
        cpu.get(name)!.push(r.cpu.producer);
        ctx.log(
          `producer: round ${round + 1} ${name} (${compression}) ${Math.round(r.recordsPerSecond)} records/s, CPU ${r.cpu.producer.toFixed(1)} s producer, ${r.cpu.broker.toFixed(1)} s broker, load ${loadavg()[0]!.toFixed(1)}`,
        );
      }
    }
    const load: MachineLoad = { cores: cpus().length, loadBefore, loadAfter: loadavg()[0]! };
    const ratio = (a: string, b: string): PairedRatio => pairedRatio(rates.get(a)!, rates.get(b)!, load);
    const cpuRatio = (a: string, b: string): PairedRatio => pairedRatio(cpu.get(a)!, cpu.get(b)!, load);
    if (withReference) {
      const pair = { sink: ratio(REFERENCE, SINK), whole: ratio(REFERENCE, WHOLE) };
      paired[compression] = pair;
      ratios[compression] = pair.whole.ratio.median;
      ctx.log(`producer (${compression}): sink on the same payloads / ProducerPerformance ${describeRatio(pair.sink)}`);
      ctx.log(`producer (${compression}): whole producer / ProducerPerformance ${describeRatio(pair.whole)}`);
    }
    contenders[compression] = {};
    for (const code of others) {
      const sink = nameOf(SINK, code);
      const whole = nameOf(WHOLE, code);
      const c: ContenderRatios = {
        ...(withReference ? { sink: ratio(REFERENCE, sink), whole: ratio(REFERENCE, whole) } : {}),
        sinkVsDefault: ratio(SINK, sink),
        wholeVsDefault: ratio(WHOLE, whole),
        sinkCpuVsDefault: cpuRatio(SINK, sink),
        wholeCpuVsDefault: cpuRatio(WHOLE, whole),
      };
      contenders[compression][code.label] = c;
      for (const side of ['sink', 'whole'] as const) {
        const vsReference = c[side];
        ctx.log(
          `producer (${compression}) [${code.label}]: ${side}${vsReference ? ` / ProducerPerformance ${describeRatio(vsReference)};` : ''} / our default ${describeRatio(c[side === 'sink' ? 'sinkVsDefault' : 'wholeVsDefault'])}; CPU / our default's ${describeRatio(c[side === 'sink' ? 'sinkCpuVsDefault' : 'wholeCpuVsDefault'])}`,
        );
      }
    }
    // CPU seconds per run: steadier than rates on a shared machine (the wall clock moves with everyone's load).
    for (const [name, secs] of cpu) {
      const sp = spreadOf(secs);
      ctx.log(
        `producer (${compression}): CPU per run of ${options.records} records, ${name}: median ${sp.median.toFixed(2)} s (${sp.min.toFixed(2)}–${sp.max.toFixed(2)})`,
      );
    }
  }
  const floor = withReference ? await naive(ctx, setup, 20_000, 8_000) : undefined;
  if (floor) {
    runs.push(floor);
    ctx.log(`producer: ${floor.name} ${Math.round(floor.recordsPerSecond)} records/s`);
  }
  const wholeGzip = runs.filter((r) => r.name === WHOLE && r.compression === 'gzip').map((r) => r.recordsPerSecond);
  return {
    recordBytes: meanRecordBytes(sample),
    nodeFlags,
    partitions,
    runs,
    ratios,
    paired,
    contenders,
    overNaive: floor && wholeGzip.length > 0 ? median(wholeGzip) / floor.recordsPerSecond : Number.NaN,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const log = (line: string): void => console.log(line);
  const ctx = await openContext(log, { cassandra: false });
  try {
    const result = await producerThroughput(ctx, {
      records: Number(process.env.BENCH_PRODUCER_RECORDS || 100_000),
      ...(process.env.BENCH_PARTITIONS ? { partitions: Number(process.env.BENCH_PARTITIONS) } : {}),
    });
    log(`record ${Math.round(result.recordBytes)} bytes, ${result.partitions} partitions`);
  } finally {
    await closeContext(ctx);
  }
}
