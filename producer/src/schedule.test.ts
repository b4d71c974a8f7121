// Tests of the run loop's logic (stop conditions, pacing, validation, flushing) with an in-memory
// sink. Delivery to a real Kafka is covered in tests/integration/producer.
import { describe, expect, it } from 'vitest';
import { buildConfig, type ProducerConfig, type ProducerFlags } from './config.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NoValidRecordsError, SchemaRegistryError } from './errors.js';
import { memoryLogger } from './log.js';
import { InlinePages } from './pages/index.js';
import { formatReport, nextFetchAt, runProducer, usersDueAhead } from './schedule.js';
import type { RecordSink, SinkStats } from './sink/types.js';
import { SyntheticSource } from './source/synthetic.js';
import type { SourceStats, UserSource } from './source/types.js';
import type { SerializedRecord } from './prepare.js';
import { recordProblem, type UserRecord } from './transform.js';

class MemorySink implements RecordSink {
  readonly description = 'memory';
  readonly records: SerializedRecord[] = [];
  private buffered: SerializedRecord[] = [];
  started = false;
  closed = false;
  async start(): Promise<void> {
    this.started = true;
  }
  async write(records: readonly SerializedRecord[]): Promise<void> {
    this.buffered.push(...records);
  }
  async flush(): Promise<void> {
    this.records.push(...this.buffered);
    this.buffered = [];
  }
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }
  stats(): SinkStats {
    return { sent: this.records.length, retries: 0, errors: 0 };
  }
}

/** Pages prepared on this thread, recording each request to prepare pages ahead. */
class RecordingPages extends InlinePages {
  readonly ahead: number[] = [];
  override prepareAhead(count: number): void {
    this.ahead.push(count);
  }
}

function config(flags: ProducerFlags): ProducerConfig {
  return buildConfig({
    source: 'synthetic',
    'retry-backoff': '0.5',
    results: '100',
    topic: 't',
    'bootstrap-servers': 'x:1',
    'client-id': 'c',
    partitions: '1',
    'replication-factor': '1',
    'batch-size': '10',
    'linger-ms': '5',
    'report-interval': '0',
    ...flags,
  });
}

function synthetic(cfg: ProducerConfig): SyntheticSource {
  if (cfg.source.kind !== 'synthetic') throw new Error('synthetic config expected');
  return new SyntheticSource(cfg.source);
}

describe('runProducer', () => {
  it('--count sends exactly N valid records, then flushes and closes the sink', async () => {
    const cfg = config({ count: '250', interval: '0', seed: 's' });
    const sink = new MemorySink();
    const totals = await runProducer(cfg, { sink, source: synthetic(cfg) });
    expect(totals).toMatchObject({ source: 'synthetic', sent: 250, fetched: 250, fetches: 3, invalid: 0, stoppedBy: 'count' });
    expect(sink.records).toHaveLength(250);
    expect(sink.closed).toBe(true);
    for (const r of sink.records) {
      const record = JSON.parse(r.json) as UserRecord;
      expect(recordProblem(record)).toBeUndefined();
      expect(record.id).toBe(r.id);
    }
  });

  it('--once makes exactly one fetch', async () => {
    const cfg = config({ once: true, results: '7' });
    const sink = new MemorySink();
    const totals = await runProducer(cfg, { sink, source: synthetic(cfg) });
    expect(totals).toMatchObject({ fetches: 1, sent: 7, stoppedBy: 'once' });
  });

  it('the same seed yields the same ids across runs', async () => {
    const run = async () => {
      const cfg = config({ count: '30', interval: '0', seed: 'same', results: '10' });
      const sink = new MemorySink();
      await runProducer(cfg, { sink, source: synthetic(cfg) });
      return sink.records.map((r) => r.id);
    };
    expect(await run()).toEqual(await run());
  });

  it('without an injected source, synthetic users come from the worker thread: the same users, page for page', async () => {
    const flags = { count: '250', interval: '0', seed: 'worker', results: '100' };
    const inline = new MemorySink();
    await runProducer(config(flags), { sink: inline, source: synthetic(config(flags)) });
    const log = memoryLogger();
    const threaded = new MemorySink();
    const totals = await runProducer(config(flags), { sink: threaded, log });
    expect(totals).toMatchObject({ source: 'synthetic', sent: 250, fetched: 250, fetches: 3, invalid: 0, stoppedBy: 'count' });
    expect(threaded.records.map((r) => r.id)).toEqual(inline.records.map((r) => r.id));
    const withoutTime = (r: SerializedRecord) => ({ ...(JSON.parse(r.json) as UserRecord), produced_at: '' });
    expect(threaded.records.map(withoutTime)).toEqual(inline.records.map(withoutTime));
    expect(log.lines.join('\n')).toMatch(/generating users locally \(seed=worker\)/);
  });

  it('asks for pages ahead only when it is not pacing (a paced page is prepared when due), never beyond --count', async () => {
    // 4 pages of 25 at 250/s: due at 0, 100, 200, 300 ms; each is taken when due, never earlier.
    const pacedConfig = config({ count: '100', rate: '250', results: '25', seed: 'paced' });
    const paced = new RecordingPages(synthetic(pacedConfig));
    const totals = await runProducer(pacedConfig, { sink: new MemorySink(), pages: paced });
    expect(totals).toMatchObject({ sent: 100, fetches: 4 });
    expect(paced.ahead).toEqual([]);
    // Back to back: after each page, what --count still needs.
    const eagerConfig = config({ count: '100', interval: '0', results: '25', seed: 'eager' });
    const eager = new RecordingPages(synthetic(eagerConfig));
    await runProducer(eagerConfig, { sink: new MemorySink(), pages: eager });
    expect(eager.ahead).toEqual([75, 50, 25]);
  });

  it('behind a paced schedule, asks only for the pages it is behind by (a page prepared early would carry an early produced_at)', async () => {
    // 1,000/s in pages of 50; the third write stalls 300 ms: the loop is then ~300 users behind,
    // so it may prepare up to 7 pages ahead, never the 800 users --count still needs.
    const cfg = config({ count: '1000', rate: '1000', results: '50', seed: 'stall' });
    const pages = new RecordingPages(synthetic(cfg));
    let writes = 0;
    const sink = new MemorySink();
    const stalling: RecordSink = {
      description: 'stalling',
      start: () => sink.start(),
      write: async (records) => {
        if (++writes === 3) await new Promise((resolve) => setTimeout(resolve, 300));
        await sink.write(records);
      },
      flush: () => sink.flush(),
      close: () => sink.close(),
      stats: () => sink.stats(),
    };
    await runProducer(cfg, { sink: stalling, pages });
    expect(pages.ahead.length).toBeGreaterThan(0);
    expect(Math.max(...pages.ahead)).toBeLessThanOrEqual(400);
    expect(sink.records).toHaveLength(1000);
  });

  it('counts and skips invalid users, and still reaches --count with valid ones', async () => {
    let calls = 0;
    const good = new SyntheticSource({ kind: 'synthetic', results: 5, seed: 'g' });
    const source: UserSource = {
      label: 'randomuser',
      stats: (): SourceStats => ({ retries: 0, errors: 0 }),
      fetch: async (n, signal) => {
        calls++;
        const users = [...(await good.fetch(n, signal))];
        return calls === 1 ? [{ login: { uuid: 'bad' } }, ...users.slice(1)] : users;
      },
    };
    const log = memoryLogger();
    const sink = new MemorySink();
    const totals = await runProducer(config({ count: '8', interval: '0' }), { sink, source, log });
    expect(totals).toMatchObject({ sent: 8, invalid: 1, fetches: 2 });
    expect(log.lines.join('\n')).toMatch(/invalid user not sent: login\.uuid not a UUID/);
  });

  it('a source that only yields invalid users fails instead of spinning', async () => {
    const source: UserSource = {
      label: 'randomuser',
      stats: () => ({ retries: 0, errors: 0 }),
      fetch: async () => [{ login: { uuid: 'bad' } }],
    };
    const err = await runProducer(config({ count: '10', interval: '0' }), { sink: new MemorySink(), source, log: memoryLogger() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoValidRecordsError);
    expect((err as Error).message).toMatch(/5 batches in a row without a single valid user \(5 invalid/);
  });

  it('--duration stops a paced run and returns totals', async () => {
    const cfg = config({ duration: '0.3', interval: '0.1', results: '2' });
    const sink = new MemorySink();
    const totals = await runProducer(cfg, { sink, source: synthetic(cfg) });
    expect(totals.stoppedBy).toBe('duration');
    expect(totals.fetches).toBeGreaterThanOrEqual(2);
    expect(totals.fetches).toBeLessThanOrEqual(5);
    expect(totals.elapsedMs).toBeLessThan(1500);
  });

  it('--rate paces records per second', async () => {
    const cfg = config({ count: '100', rate: '250', results: '25' });
    const sink = new MemorySink();
    const totals = await runProducer(cfg, { sink, source: synthetic(cfg) });
    // 4 fetches of 25: the last may start at 75/250 s = 300 ms.
    expect(totals.sent).toBe(100);
    expect(totals.elapsedMs).toBeGreaterThanOrEqual(280);
    expect(totals.elapsedMs).toBeLessThan(1500);
  });

  it('an abort signal stops gracefully: buffered records are flushed', async () => {
    const cfg = config({ interval: '10' });
    const sink = new MemorySink();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const totals = await runProducer(cfg, { sink, source: synthetic(cfg), signal: ac.signal });
    expect(totals).toMatchObject({ stoppedBy: 'signal', sent: 100, fetches: 1 });
    expect(sink.closed).toBe(true);
  });

  it('a source failure closes the sink (flushing what it has) and rethrows', async () => {
    let calls = 0;
    const source: UserSource = {
      label: 'randomuser',
      stats: () => ({ retries: 2, errors: 3 }),
      fetch: async () => {
        if (++calls > 1) throw new Error('API down');
        return new SyntheticSource({ kind: 'synthetic', results: 4, seed: 'f' }).fetch(4, new AbortController().signal);
      },
    };
    const sink = new MemorySink();
    const log = memoryLogger();
    await expect(runProducer(config({ interval: '0' }), { sink, source, log })).rejects.toThrow('API down');
    expect(sink.records).toHaveLength(4);
    expect(sink.closed).toBe(true);
    expect(log.lines.at(-1)).toMatch(/FAILED: sent=4 .*retries=2 errors=3/);
  });

  it('registers the record schema first when a Schema Registry is configured', async () => {
    const subjects: string[] = [];
    const server = createServer((req, res) => {
      subjects.push(req.url ?? '');
      req.resume();
      req.on('end', () => res.writeHead(200).end('{"id":7}'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const log = memoryLogger();
      const cfg = config({ once: true, results: '3', 'schema-registry-url': url });
      await runProducer(cfg, { sink: new MemorySink(), source: synthetic(cfg), log });
      expect(subjects).toEqual(['/subjects/t-value/versions']);
      expect(log.lines.join('\n')).toMatch(/t-value registered \(id 7\)/);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('an unreachable Schema Registry fails the run before sending, and the sink is closed', async () => {
    const cfg = config({ once: true, 'schema-registry-url': 'http://127.0.0.1:9' });
    const sink = new MemorySink();
    await expect(runProducer(cfg, { sink, source: synthetic(cfg) })).rejects.toBeInstanceOf(SchemaRegistryError);
    expect(sink.records).toHaveLength(0);
    expect(sink.closed).toBe(true);
  });

  it('prints periodic report lines with the source label', async () => {
    const cfg = config({ duration: '0.45', interval: '0.05', results: '3', 'report-interval': '0.1' });
    const log = memoryLogger();
    await runProducer(cfg, { sink: new MemorySink(), source: synthetic(cfg), log });
    const reports = log.lines.filter((l) => /^info \[synthetic\] sent=\d+ rate=\d+\/s retries=0 errors=0 invalid=0$/.test(l));
    expect(reports.length).toBeGreaterThanOrEqual(2);
    expect(log.lines.at(-1)).toMatch(/^info \[synthetic\] done \(duration\): sent=\d+/);
  });
});

describe('pacing and report helpers', () => {
  it('nextFetchAt: interval from the last fetch start, rate from the run start', () => {
    expect(nextFetchAt({ kind: 'interval', intervalMs: 10_000 }, 0, 5000, 999)).toBe(15_000);
    expect(nextFetchAt({ kind: 'rate', recordsPerSecond: 2000 }, 1000, 5000, 4000)).toBe(3000);
  });
  it('usersDueAhead: the pages already due, none while on schedule, never beyond what is left', () => {
    const rate = { kind: 'rate', recordsPerSecond: 1000 } as const;
    // On schedule: the next page is not due yet.
    expect(usersDueAhead(rate, { runStartMs: 0, nowMs: 1000, nextAtMs: 1100 }, 1100, 100, 5000)).toBe(0);
    // Just due: one page.
    expect(usersDueAhead(rate, { runStartMs: 0, nowMs: 1100, nextAtMs: 1100 }, 1100, 100, 5000)).toBe(100);
    // 250 users behind: the page due now and the two after it, whole pages.
    expect(usersDueAhead(rate, { runStartMs: 0, nowMs: 1350, nextAtMs: 1100 }, 1100, 100, 5000)).toBe(300);
    expect(usersDueAhead(rate, { runStartMs: 0, nowMs: 1350, nextAtMs: 1100 }, 1100, 100, 120)).toBe(120);
    // Back to back: everything left.
    expect(usersDueAhead({ kind: 'interval', intervalMs: 0 }, { runStartMs: 0, nowMs: 5, nextAtMs: 5 }, 100, 100, 900)).toBe(900);
    // One fetch per 10 s, 25 s late: the page due then and the two that fell due since.
    const interval = { kind: 'interval', intervalMs: 10_000 } as const;
    expect(usersDueAhead(interval, { runStartMs: 0, nowMs: 35_000, nextAtMs: 10_000 }, 100, 100, 5000)).toBe(300);
    expect(usersDueAhead(interval, { runStartMs: 0, nowMs: 9_000, nextAtMs: 10_000 }, 100, 100, 5000)).toBe(0);
  });
  it('formatReport', () => {
    expect(formatReport('synthetic', { sent: 12000, rate: 1980.4, retries: 0, errors: 0, invalid: 0 })).toBe(
      '[synthetic] sent=12000 rate=1980/s retries=0 errors=0 invalid=0',
    );
  });
});
