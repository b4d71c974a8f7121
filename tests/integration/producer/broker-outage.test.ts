// A broker restart, as the producer sees it: every connection drops and new ones are refused for a
// few seconds. Simulated at the socket level (kafkajs socketFactory) so the shared broker keeps
// running for everyone else; Kafka itself is real. The run must ride it out, report the retries,
// and deliver every record.
import net from 'node:net';
import type { ISocketFactory } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { KafkaSendError } from '../../../producer/src/errors.js';
import { memoryLogger } from '../../../producer/src/log.js';
import { runProducer } from '../../../producer/src/schedule.js';
import { KafkaSink } from '../../../producer/src/sink/kafka.js';
import { BOOTSTRAP, consumeAll, deleteTopics, freshTopic, testConfig } from './kafka-helpers.js';

function flakyNetwork(): { factory: ISocketFactory; outage: (ms: number) => void; outages: () => number } {
  const open = new Set<net.Socket>();
  let downUntil = 0;
  let count = 0;
  const factory: ISocketFactory = ({ host, port, onConnect }) => {
    if (Date.now() < downUntil) {
      // A refused connection, like a broker that is not listening (yet).
      const s = new net.Socket();
      setImmediate(() => s.destroy(Object.assign(new Error(`connect ECONNREFUSED ${host}:${port} (simulated outage)`), { code: 'ECONNREFUSED' })));
      return s;
    }
    const s = net.connect({ host, port }, onConnect);
    open.add(s);
    s.on('close', () => open.delete(s));
    return s;
  };
  return {
    factory,
    outage: (ms) => {
      count++;
      downUntil = Date.now() + ms;
      // A restarting broker resets its connections: the client sees ECONNRESET.
      for (const s of open) s.destroy(Object.assign(new Error('read ECONNRESET (simulated outage)'), { code: 'ECONNRESET' }));
    },
    outages: () => count,
  };
}

const topics: string[] = [];
afterAll(() => deleteTopics(topics));

describe('broker outage', () => {
  it('is survived and reported: retries counted, every record delivered', async () => {
    const t = freshTopic('outage');
    topics.push(t);
    const N = 2000;
    const cfg = testConfig({
      topic: t,
      count: String(N),
      rate: '500',
      interval: undefined,
      results: '50',
      'batch-size': '50',
      seed: 'outage',
      'report-interval': '1',
    });
    const log = memoryLogger();
    const network = flakyNetwork();
    const sink = new KafkaSink(cfg.kafka, { log, socketFactory: network.factory, headers: { source: 'synthetic' } });
    setTimeout(() => network.outage(3000), 1500);

    const totals = await runProducer(cfg, { log, sink });
    expect(network.outages()).toBe(1);
    expect(totals.sent).toBe(N);
    expect(totals.retries).toBeGreaterThan(0);
    const text = log.lines.join('\n');
    expect(text).toMatch(/\[kafka\] Connection: Connection error: read ECONNRESET/);
    expect(text).toMatch(/sends recovered after \d+ retr/);

    const msgs = await consumeAll(t, N);
    // Every user arrives; the idempotent producer should also avoid duplicates from its own retries.
    expect(new Set(msgs.map((m) => m.key)).size).toBe(N);
    expect(msgs.length).toBe(N);
  });
});

describe('broker gone for good', () => {
  it('fails the run after bounded retries with a KafkaSendError naming the servers', async () => {
    const t = freshTopic('gone');
    topics.push(t);
    const cfg = testConfig({ topic: t, rate: '200', interval: undefined, results: '20', 'batch-size': '20', seed: 'gone' });
    const network = flakyNetwork();
    // Short retries so the test is quick; production uses ~90 s (see SEND_RETRY in sink/kafka.ts).
    const sink = new KafkaSink(cfg.kafka, {
      log: memoryLogger(),
      socketFactory: network.factory,
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 300 },
    });
    setTimeout(() => network.outage(10 * 60_000), 500);
    const t0 = Date.now();
    const err = await runProducer(cfg, { log: memoryLogger(), sink }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KafkaSendError);
    expect((err as Error).message).toMatch(new RegExp(`to ${t} on ${BOOTSTRAP.replace(/\./g, '\\.')} failed after retries`));
    expect(Date.now() - t0).toBeLessThan(30_000);
  });
});
