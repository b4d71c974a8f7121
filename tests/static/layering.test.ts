// The layering ARCHITECTURE.md describes, checked against the imports themselves: each package imports
// only the packages of the layers below it, never another package's files by relative path.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './tools.js';

/** What each package may import of ours (ARCHITECTURE.md, "Packages and layers"). */
const ALLOWED: Record<string, readonly string[]> = {
  core: [],
  record: [],
  'spark-connect': [],
  stack: ['@streamline/core'],
  producer: ['@streamline/core', '@streamline/record'],
  'spark-job': ['@streamline/core', '@streamline/record', 'spark-connect'],
};
const OURS = ['@streamline/core', '@streamline/record', '@streamline/stack', '@streamline/producer', '@streamline/spark-job', 'spark-connect'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (name === 'gen' || name === 'node_modules') return [];
    if (statSync(file).isDirectory()) return sourceFiles(file);
    return /\.(ts|mts)$/.test(name) ? [file] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/g), ...text.matchAll(/import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]!);
}

describe('package layering', () => {
  for (const [pkg, allowed] of Object.entries(ALLOWED)) {
    it(`${pkg} imports only ${allowed.length > 0 ? allowed.join(', ') : 'nothing of ours'}, and nothing by relative path outside itself`, () => {
      const root = path.join(REPO_ROOT, pkg, 'src');
      const violations: string[] = [];
      for (const file of sourceFiles(root)) {
        for (const spec of importsOf(file)) {
          const where = `${path.relative(REPO_ROOT, file)} imports ${spec}`;
          if (spec.startsWith('.')) {
            if (!path.resolve(path.dirname(file), spec).startsWith(path.join(REPO_ROOT, pkg) + path.sep)) violations.push(where);
          } else if (OURS.some((ours) => spec === ours || spec.startsWith(`${ours}/`)) && !allowed.some((a) => spec === a || spec.startsWith(`${a}/`))) {
            violations.push(where);
          }
        }
      }
      expect(violations).toEqual([]);
    });
  }

  it('demo, benchmarks and end-to-end/fault tests reach the job only through its entry point', () => {
    const violations = ['demo', 'bench', 'tests/e2e', 'tests/faults'].flatMap((dir) =>
      sourceFiles(path.join(REPO_ROOT, dir)).flatMap((file) =>
        importsOf(file)
          .filter((spec) => /(^|\/)spark-job\/src\//.test(spec))
          .map((spec) => `${path.relative(REPO_ROOT, file)} imports ${spec}`),
      ),
    );
    expect(violations).toEqual([]);
  });
});
