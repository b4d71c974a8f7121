// Fills a fresh topic with a backlog of real records, fast (several batches in flight). This is set-up,
// not a measurement: the producer's own throughput is measured in producer-throughput.ts.
import { CompressionTypes, Partitioners } from 'kafkajs';
import { createTopic, topicSize, type BenchContext } from './env.js';
import { syntheticRecords } from './records.js';

export async function preloadTopic(ctx: BenchContext, topic: string, partitions: number, count: number, seed: string): Promise<number> {
  await createTopic(ctx, topic, partitions);
  const records = syntheticRecords(count, seed);
  // murmur2, like our producer and the Java client: keys land where they would in production.
  const producer = ctx.kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    const chunk = 2_000;
    const inFlight = 4;
    for (let i = 0; i < records.length; i += chunk * inFlight) {
      const sends = [];
      for (let j = i; j < Math.min(records.length, i + chunk * inFlight); j += chunk) {
        const messages = records.slice(j, j + chunk).map((r) => ({ key: r.id, value: JSON.stringify(r) }));
        sends.push(producer.send({ topic, acks: -1, compression: CompressionTypes.None, messages }));
      }
      await Promise.all(sends);
    }
  } finally {
    await producer.disconnect();
  }
  const size = await topicSize(ctx, topic);
  if (size !== count) throw new Error(`preload of ${topic}: ${size} messages in the topic, expected ${count}`);
  return size;
}
