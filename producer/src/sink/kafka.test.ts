// Pure parts of the Kafka sink. Delivery itself is tested against the real broker in
// tests/integration/producer.
import { logLevel, type LogEntry } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../log.js';
import { classifyKafkaLog, KafkaSink } from './kafka.js';

const entry = (namespace: string, level: logLevel, message: string, extra: Record<string, unknown> = {}): LogEntry => ({
  namespace,
  level,
  label: logLevel[level],
  log: { timestamp: '', logger: 'kafkajs', message, ...extra },
});

describe('classifyKafkaLog', () => {
  it('counts producer errors that carry a retryCount as retries (a broker restart shows up here)', () => {
    expect(classifyKafkaLog(entry('Producer', logLevel.ERROR, 'Failed to send messages: Connection closed', { retryCount: 0, retryTime: 300 }), false)).toEqual(
      {
        kind: 'retry',
        line: '[kafka] Producer: Failed to send messages: Connection closed (retry 1)',
      },
    );
  });

  it('silences connection noise during startup (one clear error is raised instead)', () => {
    expect(classifyKafkaLog(entry('Connection', logLevel.ERROR, 'Connection error: connect ECONNREFUSED'), true).kind).toBe('debug');
    expect(classifyKafkaLog(entry('Connection', logLevel.ERROR, 'Connection error: connect ECONNREFUSED'), false).kind).toBe('warn');
  });

  it('drops the warning about bounded idempotent retries (a deliberate choice)', () => {
    expect(classifyKafkaLog(entry('Producer', logLevel.WARN, 'Limiting retries for the idempotent producer may invalidate EoS guarantees'), false).kind).toBe(
      'ignore',
    );
  });

  it('keeps info/debug chatter at debug', () => {
    expect(classifyKafkaLog(entry('Cluster', logLevel.INFO, 'metadata refreshed'), false).kind).toBe('debug');
  });
});

describe('KafkaSink', () => {
  it('refuses writes before start() with a clear error', async () => {
    const sink = new KafkaSink(
      {
        brokers: ['127.0.0.1:9092'],
        topic: 't',
        clientId: 'c',
        createTopic: true,
        partitions: 1,
        replicationFactor: 1,
        compression: 'gzip',
        batchSize: 10,
        lingerMs: 5,
        producers: 2,
      },
      { log: memoryLogger() },
    );
    expect(sink.description).toBe('kafka 127.0.0.1:9092 topic t');
    await expect(sink.write([])).rejects.toThrow(/before start/);
    await sink.close();
  });
});
