import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { parseBootstrapServers, parseCqlIdentifier, parseHostPort, parseHostPortList, parseInteger, parseTopic } from './validate.js';

describe('shared validation', () => {
  it.each(['users_created', '_users', 'a.b-c', 'x'.repeat(249)])('accepts the Kafka topic %j', (topic) => {
    expect(parseTopic('--topic', ` ${topic} `)).toBe(topic);
  });

  it.each(['', 'bad topic', 'a/b', '.', '..', 'x'.repeat(250), 'ünïcode'])('refuses the Kafka topic %j, naming the setting', (topic) => {
    expect(() => parseTopic('KAFKA_TOPIC', topic)).toThrow(ConfigError);
    expect(() => parseTopic('KAFKA_TOPIC', topic)).toThrow(/^KAFKA_TOPIC ".*" is not a valid Kafka topic name/);
  });

  it('parses bootstrap servers strictly: host:port, no scheme, IPv6 in brackets', () => {
    expect(parseBootstrapServers('--bootstrap-servers', ' kafka:29092 , 10.0.0.2:9092,[::1]:9094 ')).toEqual(['kafka:29092', '10.0.0.2:9092', '[::1]:9094']);
    for (const bad of ['', ' , ', 'kafka', 'PLAINTEXT://kafka:9092', 'kafka:0', 'kafka:65536', 'kafka:port']) {
      expect(() => parseBootstrapServers('--bootstrap-servers', bad)).toThrow(ConfigError);
    }
  });

  it('defaults a missing port only where one is given', () => {
    expect(parseHostPort('CASSANDRA_CONTACT_POINTS', 'cassandra', 9042)).toEqual({ host: 'cassandra', port: 9042 });
    expect(parseHostPort('CASSANDRA_CONTACT_POINTS', '[fe80::1]:19042', 9042)).toEqual({ host: 'fe80::1', port: 19042 });
    expect(parseHostPortList('x', 'a,b:1', 9042)).toEqual([
      { host: 'a', port: 9042 },
      { host: 'b', port: 1 },
    ]);
    expect(() => parseHostPort('x', 'cassandra')).toThrow(/is not host:port/);
  });

  it('CQL identifiers: lower-cased, no injection', () => {
    expect(parseCqlIdentifier('--keyspace', 'Spark_Streams')).toBe('spark_streams');
    for (const bad of ['', '1a', 'a-b', 'x; DROP KEYSPACE y', '"q"', 'a'.repeat(49)]) expect(() => parseCqlIdentifier('--keyspace', bad)).toThrow(ConfigError);
  });

  it('integers within bounds, from strings or numbers', () => {
    expect(parseInteger('--partitions', '12', 1, 100)).toBe(12);
    expect(parseInteger('--partitions', 3, 1)).toBe(3);
    for (const bad of ['', '1.5', '0', '101', 'two', 'NaN'])
      expect(() => parseInteger('--partitions', bad, 1, 100)).toThrow(/--partitions must be an integer from 1 to 100/);
  });
});
