import { describe, expect, it } from 'vitest';
import { ConfigError, KafkaTopicError, KafkaUnreachableError, StreamlineError, errorKind, rootCause } from './errors.js';

describe('the error base', () => {
  it('gives every error its class name, exit code and retriability', () => {
    class DiskFullError extends errorKind({ exitCode: 7, retriable: true }) {}
    const errors: [StreamlineError, string, number, boolean][] = [
      [new ConfigError('bad flag'), 'ConfigError', 2, false],
      [new KafkaUnreachableError(['k:1'], 'ECONNREFUSED'), 'KafkaUnreachableError', 4, true],
      [new KafkaTopicError('no'), 'KafkaTopicError', 5, false],
      [new DiskFullError('full'), 'DiskFullError', 7, true],
    ];
    for (const [error, name, exitCode, retriable] of errors) {
      expect(error).toBeInstanceOf(StreamlineError);
      expect(error).toBeInstanceOf(Error);
      expect({ name: error.name, exitCode: error.exitCode, retriable: error.retriable }).toEqual({ name, exitCode, retriable });
    }
  });

  it('names the setting to change when Kafka is unreachable', () => {
    expect(new KafkaUnreachableError(['a:1', 'b:2'], 'ECONNREFUSED').message).toMatch(
      /^cannot reach Kafka bootstrap servers a:1,b:2: ECONNREFUSED\. .*Set KAFKA_BOOTSTRAP_SERVERS /,
    );
    expect(new KafkaUnreachableError(['a:1'], 'x', { setting: '--brokers' }).message).toMatch(/Set --brokers /);
  });

  it('finds the innermost Error of a cause chain', () => {
    const socket = new Error('connect ECONNREFUSED 127.0.0.1:9');
    expect(rootCause(new Error('retries exceeded', { cause: new Error('broker', { cause: socket }) }))).toBe(socket);
    expect(rootCause('text')).toBe('text');
  });
});
