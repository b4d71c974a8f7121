// Spark 3.5's Kafka source fails a query at once when its topic does not exist yet (a normal race when
// the job starts before the producer), so submit creates the topic first, like the producer does.
import { Kafka, logLevel } from 'kafkajs';

export class KafkaUnavailableError extends Error {
  override name = 'KafkaUnavailableError';
}

export interface TopicSpec {
  bootstrapServers: string;
  topic: string;
  partitions: number;
}

/** Creates the topic if it is missing; returns whether it was created. */
export async function ensureTopic(spec: TopicSpec): Promise<boolean> {
  const admin = new Kafka({
    clientId: 'streamline-job',
    brokers: spec.bootstrapServers.split(',').map((b) => b.trim()),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    retry: { retries: 2 },
  }).admin();
  try {
    await admin.connect();
  } catch (error) {
    throw new KafkaUnavailableError(
      `Cannot reach Kafka at ${spec.bootstrapServers} (--kafka-admin-bootstrap-servers / KAFKA_BOOTSTRAP_SERVERS): ${(error as Error).message}. Locally: \`make stack-up\`.`,
    );
  }
  try {
    const topics = await admin.listTopics();
    if (topics.includes(spec.topic)) return false;
    await admin.createTopics({ topics: [{ topic: spec.topic, numPartitions: spec.partitions }], waitForLeaders: true });
    return true;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
