// jars/pom.xml is the single source of every Java-side version; everything else reads it from there.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './config.js';

export interface PinnedVersions {
  spark: string;
  scalaBinary: string;
  cassandraConnector: string;
  kafka: string;
  cassandra: string;
}

/** Reads `<properties>` of a pom (plain, flat properties only: that is all the parent pom uses). */
export function parsePomProperties(xml: string): Record<string, string> {
  const block = /<properties>([\s\S]*?)<\/properties>/.exec(xml)?.[1] ?? '';
  const properties: Record<string, string> = {};
  for (const match of block.matchAll(/<([A-Za-z0-9_.-]+)>([^<]*)<\/\1>/g)) {
    const [, key, value] = match;
    if (key !== undefined && value !== undefined) properties[key] = value.trim();
  }
  return properties;
}

export function pinnedVersions(pomPath = path.join(REPO_ROOT, 'jars', 'pom.xml')): PinnedVersions {
  const properties = parsePomProperties(readFileSync(pomPath, 'utf8'));
  const get = (key: string): string => {
    const value = properties[key];
    if (!value) throw new Error(`${pomPath} has no <${key}> property`);
    return value;
  };
  return {
    spark: get('spark.version'),
    scalaBinary: get('scala.binary.version'),
    cassandraConnector: get('cassandra.connector.version'),
    kafka: get('kafka.version'),
    cassandra: get('cassandra.version'),
  };
}
