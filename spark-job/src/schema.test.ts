import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@streamline/core';
import { cqlFileText, parseReplication, renderSchema } from './schema.js';

describe('Cassandra schema', () => {
  it('cql/ holds exactly the default rendering (regenerate with npm run -w @streamline/spark-job cql)', () => {
    const dir = new URL('../../cql/', import.meta.url);
    const statements = renderSchema();
    expect(
      readdirSync(dir)
        .filter((f) => f.endsWith('.cql'))
        .sort(),
    ).toEqual(statements.map((s) => s.file));
    for (const statement of statements) expect(readFileSync(new URL(statement.file, dir), 'utf8')).toBe(cqlFileText(statement));
  });

  it('is idempotent DDL keyed for upserts', () => {
    const [keyspace, users, quarantine] = renderSchema().map((s) => s.cql);
    expect(keyspace).toMatch(/^CREATE KEYSPACE IF NOT EXISTS spark_streams\s+WITH replication = \{'class': 'SimpleStrategy', 'replication_factor': 1\};$/);
    expect(users).toContain('CREATE TABLE IF NOT EXISTS spark_streams.created_users (');
    expect(users).toContain('id uuid,');
    expect(users).toContain('PRIMARY KEY (id)');
    expect(users).toContain('post_code text,');
    expect(users).toContain('ingested_at timestamp,');
    expect(quarantine).toContain('PRIMARY KEY ((kafka_topic, kafka_partition, kafka_offset))');
    expect(quarantine).toContain('raw_value blob,');
  });

  it('renders configured names and replication', () => {
    const [keyspace, users] = renderSchema({ keyspace: 'Prod', table: 'users', quarantineTable: 'bad' }, parseReplication('dc1:3'));
    expect(keyspace).toBeDefined();
    expect(keyspace!.cql).toContain("CREATE KEYSPACE IF NOT EXISTS prod\n  WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3};");
    expect(users!.cql).toContain('prod.users (');
  });

  it.each(['', '1abc', 'a-b', 'a b', 'x;DROP TABLE y', '"quoted"', 'a'.repeat(49), 'spark_streams.x'])('refuses the identifier %j', (name) => {
    expect(() => renderSchema({ keyspace: name, table: 't', quarantineTable: 'q' })).toThrow(ConfigError);
  });

  it('refuses nonsense replication', () => {
    expect(() => renderSchema(undefined, { class: 'SimpleStrategy', replicationFactor: 0 })).toThrow(/positive integer/);
    expect(() => parseReplication("dc1:3,dc'2:1")).toThrow(ConfigError);
  });
});
