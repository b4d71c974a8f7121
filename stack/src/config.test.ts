import { describe, expect, it } from 'vitest';
import { ConfigError, loadStackConfig } from './config.js';

describe('loadStackConfig', () => {
  it('uses the documented defaults', () => {
    const config = loadStackConfig({});
    expect(config.host).toBe('127.0.0.1');
    expect(config.ports).toEqual({
      kafka: 9092,
      kafkaController: 9093,
      cassandra: 9042,
      cassandraStorage: 7000,
      sparkMaster: 7077,
      sparkMasterUi: 8080,
      sparkWorkerUi: 8081,
      sparkConnect: 15002,
      sparkDriverUi: 4040,
      airflow: 8088,
      postgres: 5433,
    });
    expect(config.cassandra).toEqual({ username: 'cassandra', password: 'cassandra' });
    expect(config.runDir.endsWith('/.run')).toBe(true);
  });

  it('takes overrides from the environment', () => {
    const config = loadStackConfig({ KAFKA_PORT: '19092', SPARK_WORKER_MEMORY: '4G', STREAMLINE_RUN_DIR: '/tmp/x', CASSANDRA_USERNAME: 'etl' });
    expect(config.ports.kafka).toBe(19092);
    expect(config.memory.sparkWorker).toBe('4g');
    expect(config.runDir).toBe('/tmp/x');
    expect(config.cassandra.username).toBe('etl');
  });

  it.each([
    [{ KAFKA_PORT: 'abc' }, /KAFKA_PORT must be an integer from 1 to 65535, got "abc"/],
    [{ CASSANDRA_PORT: '70000' }, /CASSANDRA_PORT must be an integer from 1 to 65535, got "70000"/],
    [{ SPARK_CONNECT_PORT: '9092' }, /both 9092/],
    [{ KAFKA_HEAP: '512' }, /KAFKA_HEAP=512 is not a JVM memory size/],
    [{ SPARK_WORKER_CORES: '0' }, /SPARK_WORKER_CORES must be an integer >= 1, got "0"/],
    [{ CASSANDRA_USERNAME: 'x"; DROP' }, /CASSANDRA_USERNAME=.* must be a plain identifier/],
  ])('rejects %o with a message naming the variable', (env, message) => {
    expect(() => loadStackConfig(env)).toThrow(ConfigError);
    expect(() => loadStackConfig(env)).toThrow(message);
  });
});
