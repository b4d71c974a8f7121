import { describe, expect, it } from 'vitest';
import { ConfigError } from '@streamline/core';
import { pipelineDefaults, sessionDefaults, toPipelineConfig } from './config.js';

const raw = pipelineDefaults({});

describe('job configuration', () => {
  it('defaults to the tutorial names and the local stack', () => {
    const config = toPipelineConfig(raw);
    expect(config.kafka).toMatchObject({
      bootstrapServers: '127.0.0.1:9092',
      adminBootstrapServers: '127.0.0.1:9092',
      topic: 'users_created',
      startingOffsets: 'earliest',
      failOnDataLoss: true,
    });
    expect(config.cassandra.names).toEqual({ keyspace: 'spark_streams', table: 'created_users', quarantineTable: 'created_users_quarantine' });
    expect(config.cassandra.replication).toEqual({ class: 'SimpleStrategy', replicationFactor: 1 });
    expect(config.cassandra.writer).toBe('streamline');
    expect(config.checkpointLocation.endsWith('/.run/checkpoints')).toBe(true);
    expect(sessionDefaults({}).remote).toBe('sc://localhost:15002');
  });

  it('reads the documented environment variables', () => {
    const config = toPipelineConfig(
      pipelineDefaults({
        KAFKA_BOOTSTRAP_SERVERS: 'kafka:29092',
        KAFKA_TOPIC: 't1',
        CASSANDRA_CONTACT_POINTS: 'cassandra:9042,c2',
        CASSANDRA_KEYSPACE: 'KS1',
        CHECKPOINT_LOCATION: '/checkpoints',
        SPARK_CASSANDRA_CONNECTION_HOST: 'cassandra',
        CASSANDRA_REPLICATION: 'dc1:3,dc2:2',
        CASSANDRA_WRITER: 'connector',
      }),
    );
    expect(config.kafka.bootstrapServers).toBe('kafka:29092');
    expect(config.cassandra.contactPoints).toEqual(['cassandra:9042', 'c2:9042']);
    expect(config.cassandra.sparkConnectionHost).toBe('cassandra');
    expect(config.cassandra.names.keyspace).toBe('ks1');
    expect(config.cassandra.replication).toEqual({ class: 'NetworkTopologyStrategy', dataCenters: { dc1: 3, dc2: 2 } });
    expect(config.cassandra.writer).toBe('connector');
    expect(config.checkpointLocation).toBe('/checkpoints');
    expect(sessionDefaults({ SPARK_REMOTE: 'sc://spark:15002' }).remote).toBe('sc://spark:15002');
  });

  it.each([
    [{ startingOffsets: 'beginning' }, /--starting-offsets must be "earliest" or "latest"/],
    [{ maxOffsetsPerTrigger: 0 }, /--max-offsets-per-trigger must be an integer >= 1/],
    [{ trigger: 'often' }, /--trigger must be an interval/],
    [{ trigger: '5' }, /--trigger must be an interval such as "2 seconds"/],
    [{ topic: 'bad topic!' }, /--topic "bad topic!" is not a valid Kafka topic name/],
    [{ cassandraContactPoints: ' , ' }, /--cassandra-contact-points is empty/],
    [{ kafkaBootstrapServers: 'PLAINTEXT://kafka:9092' }, /--kafka-bootstrap-servers entry "PLAINTEXT:\/\/kafka:9092" is not host:port/],
    [{ kafkaBootstrapServers: 'kafka' }, /is not host:port/],
    [{ sinkOption: ['output.batch=1'] }, /spark\.cassandra\.<name>=<value>/],
    [{ topicPartitions: 0 }, /--topic-partitions must be an integer from 1 to 10000/],
    [{ replication: 'three' }, /replication "three"/],
    [{ cassandraWriter: 'spark' }, /--cassandra-writer must be "streamline" or "connector", got "spark"/],
  ])('rejects %o', (override, message) => {
    expect(() => toPipelineConfig({ ...raw, ...override })).toThrow(message);
  });

  it('refuses a keyspace that tries CQL injection, before anything runs', () => {
    expect(() => toPipelineConfig({ ...raw, keyspace: 'x; DROP KEYSPACE system_auth' })).toThrow(ConfigError);
    expect(() => toPipelineConfig({ ...raw, table: 'users"--' })).toThrow(/--table "users\\"--" is not a valid CQL identifier/);
  });

  it('takes contact points as host[:port], the port defaulting to 9042', () => {
    const config = toPipelineConfig({ ...raw, cassandraContactPoints: 'cassandra,10.0.0.1:19042' });
    expect(config.cassandra.contactPoints).toEqual(['cassandra:9042', '10.0.0.1:19042']);
    expect(() => toPipelineConfig({ ...raw, cassandraContactPoints: 'h:99999' })).toThrow(ConfigError);
  });
});
