// Topic provisioning, owned here: the producer and the job both make sure the topic exists before
// they use it (Spark 3.5's Kafka source fails a query at once on a missing topic; the producer may run
// first), with the same partition setting, and either may win the race to create it.
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { KafkaTopicError, KafkaUnreachableError, errorMessage, rootCause } from './errors.js';

export interface TopicSpec {
  readonly topic: string;
  readonly partitions: number;
  readonly replicationFactor: number;
}

export interface TopicState {
  /** Whether this call created the topic (false: it existed, or another client created it first). */
  readonly created: boolean;
  /** Partitions the topic has: may differ from the spec's when someone else created it. */
  readonly partitions: number;
}

export interface EnsureTopicOptions {
  /** Create the topic when missing (default); false requires it to exist. */
  readonly create?: boolean;
  /** What to tell the user when the topic is missing and `create` is false (names the flag that turned it off). */
  readonly missingHint?: string;
  /** How long to wait for the new topic's partition leaders. */
  readonly timeoutMs?: number;
}

/**
 * Makes sure `spec.topic` exists and every partition has a leader. Race-safe: when two clients create
 * the topic at once, Kafka answers TOPIC_ALREADY_EXISTS to one of them; that one waits for the leaders
 * the other's creation elects instead of failing or producing into a leaderless partition.
 */
export async function ensureTopic(admin: Admin, spec: TopicSpec, options: EnsureTopicOptions = {}): Promise<TopicState> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  let created = false;
  if (!(await admin.listTopics()).includes(spec.topic)) {
    if (options.create === false) {
      throw new KafkaTopicError(`topic ${spec.topic} does not exist and creating it is turned off: ${options.missingHint ?? 'create it first'}`);
    }
    try {
      created = await admin.createTopics({
        topics: [{ topic: spec.topic, numPartitions: spec.partitions, replicationFactor: spec.replicationFactor }],
        waitForLeaders: true,
        timeout: timeoutMs,
      });
    } catch (error) {
      // Someone else's creation may have made ours fail in a way kafkajs does not map to "exists".
      if (!(await admin.listTopics()).includes(spec.topic)) {
        throw new KafkaTopicError(
          `could not create topic ${spec.topic} (partitions=${spec.partitions}, replication=${spec.replicationFactor}): ${errorMessage(rootCause(error))}` +
            (spec.replicationFactor > 1 ? '; a single-broker cluster needs replication factor 1' : ''),
          { cause: error },
        );
      }
    }
  }
  return { created, partitions: await waitForLeaders(admin, spec.topic, timeoutMs) };
}

/** Polls the topic's metadata until every partition has a leader; resolves to the partition count. */
async function waitForLeaders(admin: Admin, topic: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    const partitions = metadata?.partitions ?? [];
    if (partitions.length > 0 && partitions.every((p) => p.leader >= 0)) return partitions.length;
    if (Date.now() >= deadline) throw new KafkaTopicError(`topic ${topic} has partitions without a leader after ${timeoutMs / 1000} s; is every broker up?`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** attempt, 1_000)));
  }
}

export interface AdminTarget {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** The setting that names the brokers, for the unreachable message (a flag or an env variable). */
  readonly setting: string;
}

/** Runs `use` with a connected admin client; an unreachable cluster fails with KafkaUnreachableError. */
export async function withAdmin<T>(target: AdminTarget, use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Kafka({
    clientId: target.clientId,
    brokers: [...target.brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    retry: { retries: 2 },
  }).admin();
  try {
    await admin.connect();
  } catch (error) {
    throw new KafkaUnreachableError(target.brokers, errorMessage(rootCause(error)), { cause: error, setting: target.setting });
  }
  try {
    return await use(admin);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
