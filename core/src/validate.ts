// Validation of the values every component accepts, with one rule each. `source` names where the value
// came from (a flag such as `--topic`, or `KAFKA_TOPIC=`), so the message points at what to change.
import { ConfigError } from './errors.js';

/** host:port, where host may be a bracketed IPv6 literal. */
const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[^:/\s[\]]+)(?::(\d{1,5}))?$/;

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** Parses `host[:port]` (`defaultPort` when the port is left out; required when it is undefined). */
export function parseHostPort(source: string, raw: string, defaultPort?: number): HostPort {
  const text = raw.trim();
  const match = HOST_PORT.exec(text);
  const portText = match?.[2];
  if (!match?.[1] || (portText === undefined && defaultPort === undefined)) {
    // A scheme ("PLAINTEXT://", "http://") is the usual paste error.
    throw new ConfigError(
      `${source} entry ${JSON.stringify(text)} is not host${defaultPort === undefined ? ':port' : '[:port]'} (no scheme, e.g. 127.0.0.1:9092)`,
    );
  }
  const port = portText === undefined ? (defaultPort as number) : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ConfigError(`${source} entry ${JSON.stringify(text)} has port ${port}, not 1-65535`);
  return { host: match[1].replace(/^\[(.*)\]$/, '$1'), port };
}

/** A comma-separated host:port list (Kafka bootstrap servers, Cassandra contact points). */
export function parseHostPortList(source: string, raw: string, defaultPort?: number): HostPort[] {
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) throw new ConfigError(`${source} is empty: name at least one host:port`);
  return entries.map((entry) => parseHostPort(source, entry, defaultPort));
}

export function formatHostPort({ host, port }: HostPort): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Kafka bootstrap servers, normalised to `host:port` strings (the form kafkajs and Spark take). */
export function parseBootstrapServers(source: string, raw: string): string[] {
  return parseHostPortList(source, raw).map(formatHostPort);
}

/**
 * Kafka's own rule for topic names: [a-zA-Z0-9._-], 1 to 249 characters, not "." or "..". (Names with
 * both "." and "_" collide in Kafka's metrics; Kafka allows them with a warning, and so do we.)
 */
export function parseTopic(source: string, raw: string): string {
  const topic = raw.trim();
  if (!/^[a-zA-Z0-9._-]{1,249}$/.test(topic) || topic === '.' || topic === '..') {
    throw new ConfigError(`${source} ${JSON.stringify(topic)} is not a valid Kafka topic name ([a-zA-Z0-9._-], 1-249 characters, not "." or "..")`);
  }
  return topic;
}

/** Unquoted CQL identifiers: a letter, then letters, digits or underscores, at most 48 characters. */
export function parseCqlIdentifier(source: string, raw: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]{0,47}$/.test(raw)) {
    throw new ConfigError(`${source} ${JSON.stringify(raw)} is not a valid CQL identifier: use 1-48 letters, digits or underscores, starting with a letter`);
  }
  // Unquoted identifiers are case-insensitive in CQL; lower case keeps names as cqlsh shows them.
  return raw.toLowerCase();
}

/** An integer within [min, max]. `raw` may be a string from the environment or a number from a flag. */
export function parseInteger(source: string, raw: string | number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const text = String(raw).trim();
  const value = text === '' ? Number.NaN : Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new ConfigError(`${source} must be an integer ${range}, got ${JSON.stringify(text)}`);
  }
  return value;
}

export function parsePort(source: string, raw: string | number): number {
  return parseInteger(source, raw, 1, 65535);
}
