// Health probes: each answers "is this service really usable", not merely "is its port open".
import net from 'node:net';
import cassandra from 'cassandra-driver';
import { Kafka, logLevel } from 'kafkajs';

/**
 * Opens a TCP connection and lets `onConnect` judge the service (`done(true|false)`); a refused
 * connection, an error or silence for timeoutMs judge it unusable. The socket is always closed.
 */
export function socketProbe(
  host: string,
  port: number,
  timeoutMs: number,
  onConnect: (socket: net.Socket, done: (ok: boolean) => void) => void,
): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => onConnect(socket, done));
    socket.on('error', () => done(false));
  });
}

export function tcpAnswers(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return socketProbe(host, port, timeoutMs, (_socket, done) => done(true));
}

/** Kafka answers metadata requests (the controller has elected itself and the broker is registered). */
export async function kafkaMetadataAnswers(bootstrap: string): Promise<boolean> {
  const admin = new Kafka({
    clientId: 'streamline-stack-health',
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 2_000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && cluster.controller !== null && cluster.controller !== undefined;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export interface CqlCredentials {
  username: string;
  password: string;
}

/** A CQL query succeeds with the given credentials. */
export async function cqlAnswers(host: string, port: number, credentials: CqlCredentials): Promise<boolean> {
  const client = new cassandra.Client({
    contactPoints: [`${host}:${port}`],
    localDataCenter: 'datacenter1',
    authProvider: new cassandra.auth.PlainTextAuthProvider(credentials.username, credentials.password),
    socketOptions: { connectTimeout: 2_000, readTimeout: 5_000 },
  });
  try {
    await client.connect();
    await client.execute('SELECT release_version FROM system.local');
    return true;
  } catch {
    return false;
  } finally {
    await client.shutdown().catch(() => undefined);
  }
}

export interface MasterStatus {
  status: string;
  aliveWorkers: number;
  workers: { id: string; state: string; cores: number; memory: number }[];
}

/** The standalone master's JSON status page (the same data as the UI). */
export async function masterStatus(host: string, uiPort: number): Promise<MasterStatus | undefined> {
  try {
    const response = await fetch(`http://${host}:${uiPort}/json/`, { signal: AbortSignal.timeout(2_000) });
    if (!response.ok) return undefined;
    const body = (await response.json()) as {
      status?: string;
      aliveworkers?: number;
      workers?: { id: string; state: string; cores: number; memory: number }[];
    };
    const workers = body.workers ?? [];
    return {
      status: body.status ?? 'UNKNOWN',
      aliveWorkers: body.aliveworkers ?? workers.filter((w) => w.state === 'ALIVE').length,
      workers,
    };
  } catch {
    return undefined;
  }
}

export async function masterHasAliveWorker(host: string, uiPort: number): Promise<boolean> {
  const status = await masterStatus(host, uiPort);
  return status !== undefined && status.status === 'ALIVE' && status.aliveWorkers > 0;
}
