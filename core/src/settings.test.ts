import { describe, expect, it } from 'vitest';
import { SHARED_SETTINGS, runPath, setting, settingIfSet } from './settings.js';

describe('shared settings', () => {
  it('take the environment when set and not blank, else the one default', () => {
    expect(setting({ KAFKA_TOPIC: ' t1 ' }, 'KAFKA_TOPIC')).toBe('t1');
    expect(setting({ KAFKA_TOPIC: '  ' }, 'KAFKA_TOPIC')).toBe(SHARED_SETTINGS.KAFKA_TOPIC.default);
    expect(setting({}, 'KAFKA_BOOTSTRAP_SERVERS')).toBe(SHARED_SETTINGS.KAFKA_BOOTSTRAP_SERVERS.default);
    expect(settingIfSet({ X: '' }, 'X')).toBeUndefined();
  });

  it('put state under STREAMLINE_RUN_DIR', () => {
    expect(runPath({ STREAMLINE_RUN_DIR: '/tmp/run-a' }, 'spark-job', 'session.json')).toBe('/tmp/run-a/spark-job/session.json');
    expect(runPath({}, 'checkpoints')).toBe(`${SHARED_SETTINGS.STREAMLINE_RUN_DIR.default}/checkpoints`);
  });
});
