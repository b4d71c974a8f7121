// The project's own producer as the hosts tests run it: synthetic users at a set rate to the cluster's
// brokers, and a bound on how long any such run may take.
import { parseProducerArgs, runProducer, type Logger, type ProducerTotals } from '../../producer/src/index.js';

/** Streams `count` synthetic users at `rate`/s to an existing topic (the seed makes the ids of each run distinct). */
export async function produceSynthetic(
  options: { bootstrap: readonly string[]; topic: string; count: number; rate: number; seed: string; reportSeconds: number },
  log: Logger,
): Promise<ProducerTotals> {
  const parsed = await parseProducerArgs(
    [
      '--source',
      'synthetic',
      '--bootstrap-servers',
      options.bootstrap.join(','),
      '--topic',
      options.topic,
      '--no-create-topic',
      '--count',
      String(options.count),
      '--rate',
      String(options.rate),
      '--results',
      '50',
      '--batch-size',
      '100',
      '--seed',
      options.seed,
      '--report-interval',
      String(options.reportSeconds),
    ],
    {},
  );
  if (parsed.kind !== 'config') throw new Error('unexpected --help');
  return runProducer(parsed.config, { log });
}

/** Bounded: the promise's value, or a clear failure after `ms`. */
export async function within<T>(what: string, promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not done within ${ms / 1000}s`)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
