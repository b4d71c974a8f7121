import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, SHARED_SETTINGS, runPath, setting, settingIfSet } from './settings.js';

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

describe("the README's configuration table", () => {
  it('lists every shared setting with its default', () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const rows = readme.split('\n').filter((line) => line.startsWith('| `'));
    for (const [name, { default: value }] of Object.entries(SHARED_SETTINGS)) {
      const row = rows.find((line) => line.split('|')[1]!.includes(`\`${name}\``));
      expect(row, `${name} has a row`).toBeDefined();
      // Paths under the repository are shown relative to it.
      const shown = value.startsWith(REPO_ROOT) ? path.relative(REPO_ROOT, value) : value;
      expect(row!.split('|')[2], `${name}'s default`).toContain(shown);
    }
  });
});
