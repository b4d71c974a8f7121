import { describe, expect, it } from 'vitest';
import { isSqlQuery } from './sql-kind.js';

describe('isSqlQuery', () => {
  it('keeps queries lazy, whatever comes before the first keyword', () => {
    for (const q of [
      'SELECT 1',
      '  select 1',
      '(SELECT 1) UNION (SELECT 2)',
      'WITH t AS (SELECT 1) SELECT * FROM t',
      'VALUES (1)',
      'FROM t SELECT *',
      'TABLE t',
      '-- c\nSELECT 1',
      '/* x */ SELECT 1',
    ]) {
      expect(isSqlQuery(q), q).toBe(true);
    }
  });
  it('treats everything else as a command', () => {
    for (const q of [
      'CREATE TABLE t (x INT)',
      'INSERT INTO t VALUES (1)',
      'CACHE TABLE t',
      'SET a=b',
      'DROP VIEW v',
      '-- c\ninsert into t values (1)',
      'SHOW TABLES',
      'uncache table t',
    ]) {
      expect(isSqlQuery(q), q).toBe(false);
    }
  });
});
