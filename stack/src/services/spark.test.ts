import { describe, expect, it } from 'vitest';
import { loadStackConfig } from '../config.js';
import { stackPaths } from '../paths.js';
import { CONNECT_GUARD_CLASS, sparkDefaults, sparkEnv } from './spark.js';

const config = loadStackConfig({ STREAMLINE_RUN_DIR: '/tmp/run-x', CASSANDRA_PASSWORD: 's3cret' });
const ctx = { config, paths: stackPaths(config) };

describe('Spark configuration of the local stack', () => {
  const defaults = Object.fromEntries(
    sparkDefaults(ctx)
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]),
  );

  it('points the Connect server at the stack and keeps every listener on loopback', () => {
    expect(defaults).toMatchObject({
      'spark.master': 'spark://127.0.0.1:7077',
      'spark.driver.host': '127.0.0.1',
      'spark.driver.bindAddress': '127.0.0.1',
      'spark.ui.port': '4040',
      'spark.connect.grpc.binding.port': '15002',
      // The one listener Spark 3.5 cannot bind to loopback is guarded instead.
      'spark.connect.grpc.interceptor.classes': CONNECT_GUARD_CLASS,
      'spark.cassandra.auth.password': 's3cret',
    });
  });

  it('marks executors so that `down` can find them, and tells the launcher the Scala version', () => {
    expect(defaults['spark.executor.extraJavaOptions']).toBe('-Dstreamline.stack=/tmp/run-x');
    expect(sparkEnv(ctx)).toMatchObject({ SPARK_SCALA_VERSION: '2.12', SPARK_LOCAL_IP: '127.0.0.1', SPARK_DAEMON_JAVA_OPTS: '-Dstreamline.stack=/tmp/run-x' });
  });
});
