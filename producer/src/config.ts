// The only place that reads argv and the environment. Everything below the CLI receives the typed
// ProducerConfig built here, so a bad value fails once, early, with a message naming the flag.

import { parseBootstrapServers, parseTopic, setting, settingIfSet, type Env } from '@streamline/core';
import yargs from 'yargs';
import { ConfigError } from './errors.js';
import type { LogLevel } from './log.js';
import { RANDOMUSER_NATIONALITIES, type Nationality } from './randomuser-types.js';
import type { ScheduleConfig } from './schedule.js';
import type { KafkaSinkConfig } from './sink/kafka.js';
import { DEFAULT_BACKOFF } from './source/backoff.js';
import { RANDOMUSER_DEFAULTS, RANDOMUSER_MAX_RESULTS, type RandomUserSourceConfig } from './source/randomuser.js';
import type { SyntheticSourceConfig } from './source/synthetic.js';

export interface SchemaRegistryConfig {
  readonly url: string;
  readonly timeoutMs: number;
}

export interface ProducerConfig {
  readonly source: RandomUserSourceConfig | SyntheticSourceConfig;
  readonly kafka: KafkaSinkConfig;
  readonly schedule: ScheduleConfig;
  /** Present only when SCHEMA_REGISTRY_URL / --schema-registry-url is set. */
  readonly schemaRegistry?: SchemaRegistryConfig;
  readonly reportIntervalMs: number;
  readonly logLevel: LogLevel;
}

export type ParseOutcome = { kind: 'config'; config: ProducerConfig } | { kind: 'help'; text: string };

/**
 * The flags as yargs hands them over, before validation: numbers stay strings here so that a bad value
 * is refused by buildConfig with a message naming the flag (yargs would turn "abc" into NaN silently).
 */
export type ProducerFlags = Partial<{
  source: 'randomuser' | 'synthetic';
  'randomuser-url': string;
  results: string;
  nat: string;
  seed: string;
  'request-timeout': string;
  'max-retries': string;
  'retry-backoff': string;
  'bootstrap-servers': string;
  topic: string;
  'create-topic': boolean;
  partitions: string;
  'replication-factor': string;
  compression: 'gzip' | 'none';
  'batch-size': string;
  'linger-ms': string;
  producers: string;
  'client-id': string;
  'schema-registry-url': string;
  interval: string;
  rate: string;
  once: boolean;
  count: string;
  duration: string;
  'report-interval': string;
  'log-level': LogLevel;
  help: boolean;
}>;

type FlagName = keyof ProducerFlags;

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const satisfies readonly LogLevel[];

/** The environment the producer reads: the shared settings (@streamline/core) and SCHEMA_REGISTRY_URL. */
export type ProducerEnv = Env;

export const CONFIG_DEFAULTS = {
  // The tutorials fetch every 10 seconds; keep that as the default cadence.
  intervalSeconds: 10,
  reportIntervalSeconds: 5,
  batchSize: 500,
  lingerMs: 50,
  // One idempotent producer per partition of the default topic (KAFKA_TOPIC_PARTITIONS = 2): with a 2 ms
  // round trip to the broker (bench/producer-throughput.ts, BENCH_PRODUCER_RTT_MS=2, 5 pairs) one producer
  // reached 0.77× (0.68–0.86) of this setting's whole-producer rate with gzip, 0.84× (0.81–1.08) without,
  // for the same CPU per run (1.00×, 0.98×); on the loopback alone the two are within noise.
  producers: 2,
  compression: 'gzip',
  clientId: 'streamline-producer',
} as const;

function buildParser(argv: readonly string[], env: ProducerEnv) {
  return yargs([...argv])
    .scriptName('streamline-produce')
    .help(false)
    .version(false)
    .usage(
      '$0 [options]\n\nFetch users from randomuser.me (or generate them with --source synthetic) and send them to Kafka,\n' +
        'one JSON record per message, keyed by the user id.',
    )
    .option('source', {
      choices: ['randomuser', 'synthetic'] as const,
      default: 'randomuser' as const,
      describe: 'where users come from; never switched automatically',
    })
    .option('randomuser-url', {
      type: 'string',
      default: setting(env, 'RANDOMUSER_URL'),
      describe: 'API base URL [env RANDOMUSER_URL]; /api/1.4/ is appended (version pinned)',
    })
    .option('results', {
      type: 'string',
      default: String(RANDOMUSER_DEFAULTS.results),
      describe: `users per API call / generated batch (1..${RANDOMUSER_MAX_RESULTS})`,
    })
    .option('nat', { type: 'string', describe: `nationalities, comma-separated (${RANDOMUSER_NATIONALITIES.join(',')})` })
    .option('seed', { type: 'string', describe: 'seed: the same seed yields the same users (same keys => upserts downstream)' })
    .option('request-timeout', {
      type: 'string',
      default: String(RANDOMUSER_DEFAULTS.timeoutMs / 1000),
      describe: 'seconds before an API call is abandoned and retried',
    })
    .option('max-retries', {
      type: 'string',
      default: String(RANDOMUSER_DEFAULTS.maxRetries),
      describe: 'retries per API call (429, 5xx, timeouts, bad answers) before giving up',
    })
    .option('retry-backoff', {
      type: 'string',
      default: String(DEFAULT_BACKOFF.baseMs / 1000),
      describe: 'seconds before the first API retry; doubles per retry (with jitter) up to 30 s',
    })
    .option('bootstrap-servers', {
      type: 'string',
      default: setting(env, 'KAFKA_BOOTSTRAP_SERVERS'),
      describe: 'Kafka brokers host:port[,host:port] [env KAFKA_BOOTSTRAP_SERVERS]',
    })
    .option('topic', { type: 'string', default: setting(env, 'KAFKA_TOPIC'), describe: 'Kafka topic [env KAFKA_TOPIC]' })
    .option('create-topic', { type: 'boolean', default: true, describe: 'create the topic if missing (--no-create-topic to require it)' })
    .option('partitions', {
      type: 'string',
      default: setting(env, 'KAFKA_TOPIC_PARTITIONS'),
      describe: 'partitions when creating the topic [env KAFKA_TOPIC_PARTITIONS]',
    })
    .option('replication-factor', {
      type: 'string',
      default: setting(env, 'KAFKA_TOPIC_REPLICATION_FACTOR'),
      describe: 'replication factor when creating the topic [env KAFKA_TOPIC_REPLICATION_FACTOR]',
    })
    .option('compression', { choices: ['gzip', 'none'] as const, default: CONFIG_DEFAULTS.compression, describe: 'message compression' })
    .option('batch-size', { type: 'string', default: String(CONFIG_DEFAULTS.batchSize), describe: 'records per Kafka request (flush when reached)' })
    .option('linger-ms', { type: 'string', default: String(CONFIG_DEFAULTS.lingerMs), describe: 'max milliseconds a record waits in the batch before a flush' })
    .option('producers', {
      type: 'string',
      default: String(CONFIG_DEFAULTS.producers),
      describe: 'idempotent Kafka producers, each owning a disjoint set of partitions (at most one per partition)',
    })
    .option('client-id', { type: 'string', default: CONFIG_DEFAULTS.clientId, describe: 'Kafka client id' })
    .option('schema-registry-url', {
      type: 'string',
      default: settingIfSet(env, 'SCHEMA_REGISTRY_URL'),
      describe: 'register the record JSON Schema as <topic>-value [env SCHEMA_REGISTRY_URL]',
    })
    .option('interval', { type: 'string', describe: `seconds between fetches (default ${CONFIG_DEFAULTS.intervalSeconds}, 0 = back to back)` })
    .option('rate', { type: 'string', describe: 'target records per second (instead of --interval)' })
    .option('once', { type: 'boolean', describe: 'fetch and send one batch, then exit' })
    .option('count', { type: 'string', describe: 'stop after sending this many records' })
    .option('duration', { type: 'string', describe: 'stop after this many seconds' })
    .option('report-interval', {
      type: 'string',
      default: String(CONFIG_DEFAULTS.reportIntervalSeconds),
      describe: 'seconds between progress lines (0 = only the final summary)',
    })
    .option('log-level', { choices: LOG_LEVELS, default: 'info' as LogLevel })
    .option('help', { alias: 'h', type: 'boolean', describe: 'show this help' })
    .epilogue(
      'Examples:\n' +
        '  streamline-produce --once --results 50            one API call, 50 users\n' +
        '  streamline-produce --source synthetic --rate 2000 --duration 60\n' +
        '  streamline-produce --source synthetic --seed demo --count 1000 --interval 0',
    )
    .strict()
    .parserConfiguration({ 'duplicate-arguments-array': false })
    .exitProcess(false)
    .fail((msg, err) => {
      throw new ConfigError(err ? err.message : msg);
    })
    .wrap(110);
}

/**
 * Parses argv (without node and script) and env into a ProducerConfig, or the help text.
 * Throws ConfigError on any invalid input (unknown flag, bad number, conflicting flags).
 */
export async function parseProducerArgs(argv: readonly string[], env: ProducerEnv = {}): Promise<ParseOutcome> {
  const parser = buildParser(argv, env);
  const a: ProducerFlags = parser.parseSync();
  if (a.help === true) return { kind: 'help', text: await parser.getHelp() };
  return { kind: 'config', config: buildConfig(a) };
}

function str(a: ProducerFlags, key: FlagName): string | undefined {
  const v = a[key];
  return v === undefined || v === null ? undefined : String(v);
}

function num(a: ProducerFlags, key: FlagName, opts: { min: number; max?: number; integer?: boolean; minExclusive?: boolean }): number | undefined {
  const raw = str(a, key);
  if (raw === undefined) return undefined;
  const n = raw.trim() === '' ? Number.NaN : Number(raw);
  const tooSmall = opts.minExclusive ? n <= opts.min : n < opts.min;
  if (!Number.isFinite(n) || (opts.integer && !Number.isInteger(n)) || tooSmall || (opts.max !== undefined && n > opts.max)) {
    const kind = opts.integer ? 'an integer' : 'a number';
    const range = opts.max !== undefined ? ` between ${opts.min} and ${opts.max}` : opts.minExclusive ? ` greater than ${opts.min}` : ` >= ${opts.min}`;
    throw new ConfigError(`--${key} must be ${kind}${range}, got ${JSON.stringify(raw)}`);
  }
  return n;
}

function req<T>(v: T | undefined, key: string): T {
  if (v === undefined) throw new ConfigError(`--${key} is required`);
  return v;
}

function httpUrl(raw: string, key: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(`--${key} is not a URL: ${JSON.stringify(raw)}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ConfigError(`--${key} must be http(s), got ${JSON.stringify(raw)}`);
  return raw.replace(/\/+$/, '');
}

function parseNat(raw: string | undefined): Nationality[] | undefined {
  if (raw === undefined) return undefined;
  const list = raw
    .split(',')
    .map((n) => n.trim().toUpperCase())
    .filter((n) => n !== '');
  const bad = list.filter((n) => !(RANDOMUSER_NATIONALITIES as readonly string[]).includes(n));
  if (bad.length > 0) throw new ConfigError(`--nat: unknown nationality ${bad.join(', ')}; valid: ${RANDOMUSER_NATIONALITIES.join(',')}`);
  return list.length > 0 ? (list as Nationality[]) : undefined;
}

function buildSchedule(a: ProducerFlags): ScheduleConfig {
  const once = a.once === true;
  const count = num(a, 'count', { min: 1, integer: true });
  const durationS = num(a, 'duration', { min: 0, minExclusive: true });
  const intervalS = num(a, 'interval', { min: 0 });
  const rate = num(a, 'rate', { min: 0, minExclusive: true });
  if (once) {
    const clash = (['count', 'duration', 'interval', 'rate'] as const).filter((k) => a[k] !== undefined);
    if (clash.length > 0) {
      throw new ConfigError(`--once cannot be combined with ${clash.map((k) => `--${k}`).join(', ')} (--once sends exactly one batch)`);
    }
  }
  if (rate !== undefined && intervalS !== undefined) {
    throw new ConfigError('--rate and --interval conflict: pace either by records per second or by seconds between fetches');
  }
  const pacing: ScheduleConfig['pacing'] =
    rate !== undefined ? { kind: 'rate', recordsPerSecond: rate } : { kind: 'interval', intervalMs: (intervalS ?? CONFIG_DEFAULTS.intervalSeconds) * 1000 };
  return {
    once,
    pacing,
    ...(count !== undefined ? { count } : {}),
    ...(durationS !== undefined ? { durationMs: Math.round(durationS * 1000) } : {}),
  };
}

/** Validates parsed flags into the typed config. Exported for tests of the validation rules. */
export function buildConfig(a: ProducerFlags): ProducerConfig {
  const results = req(num(a, 'results', { min: 1, max: RANDOMUSER_MAX_RESULTS, integer: true }), 'results');
  const nat = parseNat(str(a, 'nat'));
  const seed = str(a, 'seed');
  if (seed !== undefined && seed.trim() === '') throw new ConfigError('--seed must not be empty');
  const common = { results, ...(nat ? { nat } : {}), ...(seed !== undefined ? { seed } : {}) };

  const source: ProducerConfig['source'] =
    a.source === 'synthetic'
      ? { kind: 'synthetic', ...common }
      : {
          kind: 'randomuser',
          baseUrl: randomUserBase(req(str(a, 'randomuser-url'), 'randomuser-url')),
          ...common,
          timeoutMs: Math.round(req(num(a, 'request-timeout', { min: 0, minExclusive: true }), 'request-timeout') * 1000),
          maxRetries: req(num(a, 'max-retries', { min: 0, max: 100, integer: true }), 'max-retries'),
          backoff: { ...DEFAULT_BACKOFF, baseMs: Math.round(req(num(a, 'retry-backoff', { min: 0 }), 'retry-backoff') * 1000) },
        };

  const topic = parseTopic('--topic', req(str(a, 'topic'), 'topic'));

  const kafka: KafkaSinkConfig = {
    brokers: parseBootstrapServers('--bootstrap-servers', req(str(a, 'bootstrap-servers'), 'bootstrap-servers')),
    topic,
    clientId: req(str(a, 'client-id'), 'client-id'),
    createTopic: a['create-topic'] !== false,
    partitions: req(num(a, 'partitions', { min: 1, max: 10_000, integer: true }), 'partitions'),
    replicationFactor: req(num(a, 'replication-factor', { min: 1, max: 100, integer: true }), 'replication-factor'),
    compression: a.compression === 'none' ? 'none' : 'gzip',
    batchSize: req(num(a, 'batch-size', { min: 1, max: 100_000, integer: true }), 'batch-size'),
    lingerMs: req(num(a, 'linger-ms', { min: 0, max: 60_000, integer: true }), 'linger-ms'),
    producers: num(a, 'producers', { min: 1, max: 1_000, integer: true }) ?? CONFIG_DEFAULTS.producers,
  };

  const srUrl = str(a, 'schema-registry-url');
  return {
    source,
    kafka,
    schedule: buildSchedule(a),
    ...(srUrl !== undefined && srUrl.trim() !== '' ? { schemaRegistry: { url: httpUrl(srUrl.trim(), 'schema-registry-url'), timeoutMs: 10_000 } } : {}),
    reportIntervalMs: Math.round(req(num(a, 'report-interval', { min: 0 }), 'report-interval') * 1000),
    logLevel: a['log-level'] ?? 'info',
  };
}

function randomUserBase(raw: string): string {
  const base = httpUrl(raw, 'randomuser-url');
  // The version path is ours to pin; accepting ".../api/" here would silently un-pin it.
  if (/\/api(\/|$)/.test(new URL(base).pathname)) {
    throw new ConfigError(`--randomuser-url should be the base URL without /api/... (got ${JSON.stringify(raw)}); /api/1.4/ is appended`);
  }
  return base;
}
