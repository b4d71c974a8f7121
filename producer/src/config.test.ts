import { describe, expect, it } from 'vitest';
import { parseProducerArgs, type ProducerConfig, type ProducerEnv } from './config.js';
import { ConfigError } from './errors.js';

async function cfg(argv: string[], env: ProducerEnv = {}): Promise<ProducerConfig> {
  const out = await parseProducerArgs(argv, env);
  if (out.kind !== 'config') throw new Error('expected a config');
  return out.config;
}

async function configError(argv: string[], env: ProducerEnv = {}): Promise<string> {
  const err = await parseProducerArgs(argv, env).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  expect((err as ConfigError).exitCode).toBe(2);
  return (err as ConfigError).message;
}

describe('parseProducerArgs', () => {
  it('has defaults matching DESIGN.md (tutorial topic, local broker, pinned API, 10 s interval)', async () => {
    const c = await cfg([]);
    expect(c.source).toMatchObject({ kind: 'randomuser', baseUrl: 'https://randomuser.me', results: 100, timeoutMs: 10_000, maxRetries: 5 });
    expect(c.kafka).toMatchObject({
      brokers: ['127.0.0.1:9092'],
      topic: 'users_created',
      createTopic: true,
      partitions: 2,
      replicationFactor: 1,
      compression: 'gzip',
    });
    expect(c.schedule).toEqual({ once: false, pacing: { kind: 'interval', intervalMs: 10_000 } });
    expect(c.schemaRegistry).toBeUndefined();
    expect(c.reportIntervalMs).toBe(5000);
  });

  it('takes defaults from the environment, and flags override them', async () => {
    const env: ProducerEnv = {
      KAFKA_BOOTSTRAP_SERVERS: 'kafka:29092, kafka2:29092',
      KAFKA_TOPIC: 'people',
      RANDOMUSER_URL: 'http://127.0.0.1:8099/',
      SCHEMA_REGISTRY_URL: 'http://schema-registry:8081',
    };
    const c = await cfg([], env);
    expect(c.kafka.brokers).toEqual(['kafka:29092', 'kafka2:29092']);
    expect(c.kafka.topic).toBe('people');
    expect(c.source.kind === 'randomuser' && c.source.baseUrl).toBe('http://127.0.0.1:8099');
    expect(c.schemaRegistry?.url).toBe('http://schema-registry:8081');
    const o = await cfg(['--topic', 'other', '--bootstrap-servers', '[::1]:9092'], env);
    expect(o.kafka.topic).toBe('other');
    expect(o.kafka.brokers).toEqual(['[::1]:9092']);
  });

  it('ignores empty environment values', async () => {
    const c = await cfg([], { KAFKA_TOPIC: '', SCHEMA_REGISTRY_URL: ' ' });
    expect(c.kafka.topic).toBe('users_created');
    expect(c.schemaRegistry).toBeUndefined();
  });

  it('builds a synthetic source only when asked, with seed and nationalities', async () => {
    const c = await cfg(['--source', 'synthetic', '--seed', 'abc', '--nat', 'gb, ca', '--results', '5000']);
    expect(c.source).toEqual({ kind: 'synthetic', results: 5000, seed: 'abc', nat: ['GB', 'CA'] });
  });

  it('sets the API retry policy from flags', async () => {
    const c = await cfg(['--retry-backoff', '2', '--max-retries', '0', '--request-timeout', '0.5']);
    expect(c.source).toMatchObject({ maxRetries: 0, timeoutMs: 500, backoff: { baseMs: 2000 } });
  });

  it('parses the schedule flags', async () => {
    expect((await cfg(['--once'])).schedule).toEqual({ once: true, pacing: { kind: 'interval', intervalMs: 10_000 } });
    expect((await cfg(['--count', '12000', '--rate', '2000'])).schedule).toEqual({
      once: false,
      count: 12000,
      pacing: { kind: 'rate', recordsPerSecond: 2000 },
    });
    expect((await cfg(['--duration', '1.5', '--interval', '0'])).schedule).toEqual({
      once: false,
      durationMs: 1500,
      pacing: { kind: 'interval', intervalMs: 0 },
    });
  });

  it('returns the help text for --help and -h', async () => {
    for (const flag of ['--help', '-h']) {
      const out = await parseProducerArgs([flag]);
      expect(out.kind).toBe('help');
      if (out.kind === 'help') {
        expect(out.text).toContain('--bootstrap-servers');
        expect(out.text).toContain('KAFKA_BOOTSTRAP_SERVERS');
        expect(out.text).toContain('--source');
      }
    }
  });

  it.each([
    [['--once', '--duration', '5'], /--once cannot be combined with --duration/],
    [['--once', '--count', '5', '--rate', '3'], /--once cannot be combined with --count, --rate/],
    [['--rate', '10', '--interval', '1'], /--rate and --interval conflict/],
  ])('rejects conflicting flags %j', async (argv, msg) => {
    expect(await configError(argv)).toMatch(msg);
  });

  it.each([
    [['--results', '0'], /--results must be an integer between 1 and 5000, got "0"/],
    [['--results', '5001'], /--results must be an integer between 1 and 5000/],
    [['--results', 'ten'], /--results must be an integer.*"ten"/],
    [['--count', '2.5'], /--count must be an integer >= 1/],
    [['--rate', '0'], /--rate must be a number greater than 0/],
    [['--duration', '-1'], /--duration must be a number greater than 0/],
    [['--interval', 'soon'], /--interval must be a number >= 0/],
    [['--partitions', '0'], /--partitions/],
    [['--request-timeout', '0'], /--request-timeout/],
  ])('rejects bad numbers %j', async (argv, msg) => {
    expect(await configError(argv)).toMatch(msg);
  });

  it('rejects unknown flags and stray arguments', async () => {
    expect(await configError(['--bogus'])).toMatch(/Unknown argument: bogus/);
    expect(await configError(['produce'])).toMatch(/Unknown argument: produce/);
  });

  it('rejects bad choices, nationalities, brokers, topics and URLs with the flag name', async () => {
    expect(await configError(['--source', 'fake'])).toMatch(/source/);
    expect(await configError(['--compression', 'zstd'])).toMatch(/compression/);
    expect(await configError(['--nat', 'GB,XX'])).toMatch(/--nat: unknown nationality XX/);
    expect(await configError(['--bootstrap-servers', 'PLAINTEXT://kafka:9092'])).toMatch(/not host:port/);
    expect(await configError(['--bootstrap-servers', 'kafka'])).toMatch(/not host:port/);
    expect(await configError(['--topic', 'bad topic'])).toMatch(/not a valid Kafka topic/);
    expect(await configError(['--randomuser-url', 'ftp://x'])).toMatch(/must be http/);
    expect(await configError(['--randomuser-url', 'https://randomuser.me/api/'])).toMatch(/without \/api/);
    expect(await configError([], { SCHEMA_REGISTRY_URL: 'not a url' })).toMatch(/schema-registry-url is not a URL/);
  });
});
