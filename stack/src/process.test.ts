import { afterEach, describe, expect, it } from 'vitest';
import { serviceEnv } from './process.js';

describe('the environment services start with', () => {
  const saved = { SPARK_REMOTE: process.env.SPARK_REMOTE, SPARK_CONNECT_MODE_ENABLED: process.env.SPARK_CONNECT_MODE_ENABLED };
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it("never carries the Spark Connect clients' variables (spark-submit refuses to start a server with SPARK_REMOTE set)", () => {
    process.env.SPARK_REMOTE = 'sc://elsewhere:15002';
    process.env.SPARK_CONNECT_MODE_ENABLED = '1';
    const env = serviceEnv({ SPARK_HOME: '/opt/spark' });
    expect(env.SPARK_REMOTE).toBeUndefined();
    expect(env.SPARK_CONNECT_MODE_ENABLED).toBeUndefined();
    expect(env.SPARK_HOME).toBe('/opt/spark');
    expect(env.PATH).toBe(process.env.PATH);
    // The caller's own environment is left as it was.
    expect(process.env.SPARK_REMOTE).toBe('sc://elsewhere:15002');
  });
});
