// The Cassandra schema of the pipeline: one definition, rendered to CQL for the driver (which applies
// it before starting the job) and to the plain cql/*.cql files users run by hand in cqlsh. A test keeps
// the files equal to the rendering with default names.
//
// Names given by users (keyspace, tables) are validated as CQL identifiers and never concatenated
// unchecked into CQL: a keyspace called `x; DROP KEYSPACE y` is refused before any statement runs.

import { ConfigError, SHARED_SETTINGS, parseCqlIdentifier } from '@streamline/core';
import { recordCqlColumns } from '@streamline/record';

export type Replication = { class: 'SimpleStrategy'; replicationFactor: number } | { class: 'NetworkTopologyStrategy'; dataCenters: Record<string, number> };

export interface SchemaNames {
  keyspace: string;
  table: string;
  quarantineTable: string;
}

export const DEFAULT_SCHEMA_NAMES: SchemaNames = {
  keyspace: SHARED_SETTINGS.CASSANDRA_KEYSPACE.default,
  table: SHARED_SETTINGS.CASSANDRA_TABLE.default,
  quarantineTable: SHARED_SETTINGS.CASSANDRA_QUARANTINE_TABLE.default,
};

export const DEFAULT_REPLICATION: Replication = { class: 'SimpleStrategy', replicationFactor: 1 };

/** Columns of the users table, in CQL types: the record's fields (from @streamline/record), then what Spark adds. `id` is the primary key. */
export const USER_COLUMNS: readonly (readonly [string, string])[] = [
  ...recordCqlColumns(),
  ['ingested_at', 'timestamp'],
  ['kafka_partition', 'int'],
  ['kafka_offset', 'bigint'],
];

/** Columns of the quarantine table; (topic, partition, offset) is the key, so replays are idempotent. */
export const QUARANTINE_COLUMNS = [
  ['kafka_topic', 'text'],
  ['kafka_partition', 'int'],
  ['kafka_offset', 'bigint'],
  ['kafka_key', 'text'],
  ['kafka_timestamp', 'timestamp'],
  ['raw_value', 'blob'],
  ['reason', 'text'],
  ['quarantined_at', 'timestamp'],
] as const;

function renderReplication(replication: Replication): string {
  if (replication.class === 'SimpleStrategy') {
    if (!Number.isInteger(replication.replicationFactor) || replication.replicationFactor < 1) {
      throw new ConfigError(`replication factor ${replication.replicationFactor} must be a positive integer`);
    }
    return `{'class': 'SimpleStrategy', 'replication_factor': ${replication.replicationFactor}}`;
  }
  const dcs = Object.entries(replication.dataCenters).map(([dc, rf]) => {
    if (!/^[A-Za-z0-9_-]+$/.test(dc)) throw new ConfigError(`data center name "${dc}" is not valid`);
    if (!Number.isInteger(rf) || rf < 1) throw new ConfigError(`replication factor ${rf} for ${dc} must be a positive integer`);
    return `'${dc}': ${rf}`;
  });
  if (dcs.length === 0) throw new ConfigError('NetworkTopologyStrategy needs at least one data center');
  return `{'class': 'NetworkTopologyStrategy', ${dcs.join(', ')}}`;
}

/** Parses `simple:3` or `dc1:3,dc2:2` (the --replication flag). */
export function parseReplication(text: string): Replication {
  const simple = /^(?:simple:)?(\d+)$/i.exec(text.trim());
  if (simple) return { class: 'SimpleStrategy', replicationFactor: Number(simple[1]) };
  const dataCenters: Record<string, number> = {};
  for (const part of text.split(',')) {
    const match = /^\s*([A-Za-z0-9_-]+)\s*:\s*(\d+)\s*$/.exec(part);
    if (!match) throw new ConfigError(`replication "${text}" is not "<factor>", "simple:<factor>" or "<dc>:<factor>[,<dc>:<factor>...]"`);
    dataCenters[match[1]!] = Number(match[2]);
  }
  return { class: 'NetworkTopologyStrategy', dataCenters };
}

export interface SchemaStatement {
  file: string;
  cql: string;
}

/** The DDL, one statement per cql/ file, idempotent (IF NOT EXISTS) so it can run before every submit. */
export function renderSchema(names: SchemaNames = DEFAULT_SCHEMA_NAMES, replication: Replication = DEFAULT_REPLICATION): SchemaStatement[] {
  const keyspace = parseCqlIdentifier('keyspace', names.keyspace);
  const table = parseCqlIdentifier('table', names.table);
  const quarantine = parseCqlIdentifier('quarantine table', names.quarantineTable);
  const columns = (list: readonly (readonly [string, string])[]): string => list.map(([name, type]) => `  ${name} ${type},`).join('\n');
  return [
    {
      file: '001_keyspace.cql',
      cql: `CREATE KEYSPACE IF NOT EXISTS ${keyspace}\n  WITH replication = ${renderReplication(replication)};`,
    },
    {
      file: '002_created_users.cql',
      cql:
        `-- One row per user: id is randomuser's login.uuid, so a re-sent user is an upsert, never a duplicate.\n` +
        `CREATE TABLE IF NOT EXISTS ${keyspace}.${table} (\n${columns(USER_COLUMNS)}\n  PRIMARY KEY (id)\n);`,
    },
    {
      file: '003_quarantine.cql',
      cql:
        `-- Kafka messages that break the record contract (record/src/fields.ts), with the reason.\n` +
        `-- Keyed by Kafka coordinates, so a replay after a restart overwrites instead of duplicating.\n` +
        `CREATE TABLE IF NOT EXISTS ${keyspace}.${quarantine} (\n${columns(QUARANTINE_COLUMNS)}\n  PRIMARY KEY ((kafka_topic, kafka_partition, kafka_offset))\n);`,
    },
  ];
}

/** The text of a cql/ file as committed (generated header + statement). */
export function cqlFileText(statement: SchemaStatement): string {
  return `-- Generated from spark-job/src/schema.ts (npm run -w @streamline/spark-job cql); do not edit.\n-- The driver applies the same statements, with the configured names, before every submit.\n${statement.cql}\n`;
}
