// Applies the pipeline's Cassandra schema (idempotent DDL) before the job starts, so the sink never
// meets a missing table, and a bad keyspace/credential is reported before anything runs on Spark.
import cassandra from 'cassandra-driver';
import type { CassandraConfig } from './config.js';
import { renderSchema } from './schema.js';

export class CassandraUnavailableError extends Error {
  override name = 'CassandraUnavailableError';
}

export function cassandraClient(config: CassandraConfig): cassandra.Client {
  return new cassandra.Client({
    contactPoints: config.contactPoints,
    localDataCenter: config.localDataCenter,
    authProvider: new cassandra.auth.PlainTextAuthProvider(config.username, config.password),
    socketOptions: { connectTimeout: 5_000, readTimeout: 30_000 },
  });
}

/** Turns driver errors into one actionable line naming the address and the settings involved. */
export function describeCassandraError(error: unknown, config: CassandraConfig): Error {
  const where = config.contactPoints.join(', ');
  if (error instanceof cassandra.errors.NoHostAvailableError) {
    const inner = Object.values(error.innerErrors ?? {}) as unknown[];
    if (inner.some((e) => e instanceof cassandra.errors.AuthenticationError)) {
      return new CassandraUnavailableError(
        `Cassandra at ${where} refused the credentials of user "${config.username}" (CASSANDRA_USERNAME / CASSANDRA_PASSWORD).`,
      );
    }
    return new CassandraUnavailableError(`Cannot reach Cassandra at ${where} (CASSANDRA_CONTACT_POINTS). Is it running? Locally: \`make stack-up\`.`);
  }
  if (error instanceof cassandra.errors.AuthenticationError) {
    return new CassandraUnavailableError(`Cassandra at ${where} refused the credentials of user "${config.username}".`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** Connects and disconnects: the address and the credentials work. */
export async function assertCassandraReachable(config: CassandraConfig): Promise<void> {
  const client = cassandraClient(config);
  try {
    await client.connect();
  } catch (error) {
    throw describeCassandraError(error, config);
  } finally {
    await client.shutdown().catch(() => undefined);
  }
}

export interface AppliedSchema {
  keyspace: string;
  statements: number;
}

export async function applySchema(config: CassandraConfig): Promise<AppliedSchema> {
  // Render (and so validate every identifier) before opening a connection: nothing half-created.
  const statements = renderSchema(config.names, config.replication);
  const client = cassandraClient(config);
  try {
    await client.connect();
    // The driver waits for schema agreement after each DDL statement before resolving.
    for (const statement of statements) await client.execute(statement.cql);
    return { keyspace: config.names.keyspace, statements: statements.length };
  } catch (error) {
    throw describeCassandraError(error, config);
  } finally {
    await client.shutdown().catch(() => undefined);
  }
}
