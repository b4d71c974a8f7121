import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePomProperties, pinnedVersions } from './versions.js';

describe('pinned versions', () => {
  it('parses flat pom properties', () => {
    expect(parsePomProperties('<project><properties><a.b>1.2</a.b>\n<c>x</c></properties></project>')).toEqual({ 'a.b': '1.2', c: 'x' });
  });

  it('come from jars/pom.xml, with one Scala binary version for Spark', () => {
    const versions = pinnedVersions();
    expect(versions.spark).toMatch(/^3\.5\.\d+$/);
    expect(versions.scalaBinary).toBe('2.12');
    expect(versions.kafka).toMatch(/^3\.9\.\d+$/);
    expect(versions.cassandra).toMatch(/^5\.0\.\d+$/);
  });

  it('no module pom hard-codes a version or a Scala suffix the parent owns', () => {
    const parent = readFileSync(new URL('../../jars/pom.xml', import.meta.url), 'utf8');
    const modules = [...parent.matchAll(/<module>([^<]+)<\/module>/g)].map((m) => ({ name: m[1]! }));
    expect(modules.map((m) => m.name)).toContain('connectors');
    for (const module of modules) {
      const pom = new URL(`../../jars/${module.name}/pom.xml`, import.meta.url);
      const text = readFileSync(pom, 'utf8');
      expect(text, `${module.name}/pom.xml`).not.toMatch(/_2\.1[23]</);
      expect(text, `${module.name}/pom.xml`).not.toMatch(/<version>3\.5\.\d+<\/version>/);
    }
  });
});
