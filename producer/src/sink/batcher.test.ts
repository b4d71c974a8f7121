import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher.js';

function recorder(delayMs = 0) {
  const sent: number[][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const send = async (items: number[]): Promise<void> => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, delayMs));
    sent.push(items);
    inFlight--;
  };
  return { sent, send, maxInFlight: () => maxInFlight };
}

describe('Batcher', () => {
  it('sends full batches as soon as they fill, at most maxItems each', async () => {
    const r = recorder();
    const b = new Batcher<number>({ maxItems: 3, lingerMs: 10_000, send: r.send });
    await b.add([1, 2, 3, 4, 5, 6, 7]);
    expect(r.sent).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(b.pending).toBe(1);
    await b.flush();
    expect(r.sent.at(-1)).toEqual([7]);
    expect(b.pending).toBe(0);
  });

  it('flushes a partial batch after lingerMs', async () => {
    const r = recorder();
    const b = new Batcher<number>({ maxItems: 100, lingerMs: 30, send: r.send });
    await b.add([1, 2]);
    expect(r.sent).toEqual([]);
    await new Promise((res) => setTimeout(res, 80));
    expect(r.sent).toEqual([[1, 2]]);
  });

  it('keeps one send in flight at a time, in order', async () => {
    const r = recorder(5);
    const b = new Batcher<number>({ maxItems: 2, lingerMs: 1, send: r.send });
    await Promise.all([b.add([1, 2, 3]), b.add([4, 5, 6])]);
    await b.flush();
    expect(r.sent.flat()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.maxInFlight()).toBe(1);
  });

  it('reports a failed background (linger) send to the next caller', async () => {
    const b = new Batcher<number>({
      maxItems: 100,
      lingerMs: 5,
      send: () => Promise.reject(new Error('broker gone')),
    });
    await b.add([1]);
    await new Promise((res) => setTimeout(res, 30));
    await expect(b.add([2])).rejects.toThrow('broker gone');
  });

  it('reports a failed full-batch send to the writer and to flush', async () => {
    const b = new Batcher<number>({ maxItems: 1, lingerMs: 5, send: () => Promise.reject(new Error('nope')) });
    await expect(b.add([1])).rejects.toThrow('nope');
    await b.flush();
    const c = new Batcher<number>({ maxItems: 10, lingerMs: 10_000, send: () => Promise.reject(new Error('late')) });
    await c.add([1]);
    await expect(c.flush()).rejects.toThrow('late');
  });

  it('with maxPendingBatches, add() returns while that many full batches are unsent, and waits beyond it', async () => {
    const releases: (() => void)[] = [];
    const sent: number[][] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const send = async (items: number[]): Promise<void> => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise<void>((r) => releases.push(r));
      sent.push(items);
      inFlight--;
    };
    const b = new Batcher<number>({ maxItems: 2, lingerMs: 10_000, maxPendingBatches: 1, send });
    await b.add([1, 2]); // one batch in flight: allowed
    let returned = false;
    const second = b.add([3, 4]).then(() => (returned = true)); // two unsent: waits
    await new Promise((r) => setTimeout(r, 10));
    expect(returned).toBe(false);
    releases.shift()!();
    await second;
    expect(sent).toEqual([[1, 2]]);
    const flushed = b.flush();
    while (sent.length < 2) {
      await new Promise((r) => setTimeout(r, 1));
      releases.shift()?.();
    }
    await flushed;
    expect(sent).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(maxInFlight).toBe(1);
  });

  it('settled() waits for queued sends without sending what is buffered', async () => {
    const r = recorder(5);
    const b = new Batcher<number>({ maxItems: 2, lingerMs: 10_000, maxPendingBatches: 3, send: r.send });
    await b.add([1, 2, 3, 4, 5]);
    await b.settled();
    expect(r.sent).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(b.pending).toBe(1);
    b.dispose();
  });
});
