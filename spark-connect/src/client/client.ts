// SparkConnectClient: one gRPC (HTTP/2) channel to a Spark Connect server plus the identity every
// request carries (session id, user context, client type). It knows nothing about DataFrames: it
// sends Plans and returns protobuf responses, and turns gRPC failures into typed errors.
//
// The HTTP/2 connection is opened lazily by the first RPC, so constructing a client is free of I/O.
import { setTimeout as sleep } from 'node:timers/promises';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { createClient, type Client, type Interceptor } from '@connectrpc/connect';
import { createGrpcTransport, Http2SessionManager } from '@connectrpc/connect-node';
import {
  AnalyzePlanRequestSchema,
  ConfigRequestSchema,
  type ConfigRequest_OperationSchema,
  InterruptRequestSchema,
  InterruptRequest_InterruptType,
  SparkConnectService,
  UserContextSchema,
  type AnalyzePlanResponse,
  type ConfigResponse,
  type ExecutePlanResponse,
  type Plan,
  type UserContext,
} from '../gen/spark/connect/base_pb.js';
import { formatAddress, newSessionId, parseConnectionString, type ConnectionOptions } from './connection-string.js';
import { toSparkError } from './errors.js';
import { executeReattachable, isRetriable, type ExecuteOptions } from './execute.js';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryEnv, type RetryPolicy } from './retry.js';

const REAL_TIME: RetryEnv = {
  sleep: (ms, signal) => sleep(ms, undefined, signal ? { signal } : {}),
  random: Math.random,
};

export const CLIENT_VERSION = '0.1.0';
/** Identifies this client in the server's logs and UI (`client_type` field). */
export const CLIENT_TYPE = `spark-connect-node/${CLIENT_VERSION} node/${process.versions.node}`;

/** HTTP/2 PING interval while streams are open: 6 min, above grpc-java's 5-min permitKeepAliveTime. */
export const KEEPALIVE_INTERVAL_MS = 6 * 60_000;

export interface ClientOptions {
  /** Overrides the connection string's session_id (join an existing session). */
  sessionId?: string;
  /** Overrides the connection string's user_id. */
  userId?: string;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** The retry policy of every RPC; default DEFAULT_RETRY_POLICY (Spark's constants). */
  retryPolicy?: RetryPolicy;
}

export class SparkConnectClient {
  readonly connection: ConnectionOptions;
  readonly sessionId: string;
  readonly userContext: UserContext;
  readonly clientType: string;
  /** `http://host:port`, for messages. */
  readonly address: string;
  private readonly sessionManager: Http2SessionManager;
  private readonly rpc: Client<typeof SparkConnectService>;
  private closed = false;
  readonly retryPolicy: RetryPolicy;

  constructor(remote: string | ConnectionOptions, options: ClientOptions = {}) {
    this.connection = typeof remote === 'string' ? parseConnectionString(remote) : remote;
    this.sessionId = options.sessionId ?? this.connection.sessionId ?? newSessionId();
    this.retryPolicy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
    // PySpark defaults the user to $USER, or none (empty) when unset; sessions are keyed by (user id, session id), so a second
    // process must use the same user to find the first one's session.
    const userId = options.userId ?? this.connection.userId ?? process.env['USER'] ?? '';
    this.userContext = create(UserContextSchema, { userId, userName: userId });
    this.clientType = this.connection.userAgent ? `${this.connection.userAgent} ${CLIENT_TYPE}` : CLIENT_TYPE;
    this.address = formatAddress(this.connection);

    const headers: Record<string, string> = { ...this.connection.metadata, ...options.headers };
    if (this.connection.token) headers['authorization'] = `Bearer ${this.connection.token}`;
    const addHeaders: Interceptor = (next) => async (req) => {
      for (const [k, v] of Object.entries(headers)) req.header.set(k, v);
      return next(req);
    };
    // Our own session manager so close() can tear the HTTP/2 connection down deterministically.
    // HTTP/2 keepalive PINGs detect a dead peer (a half-open TCP connection) during long calls. Their
    // interval stays above grpc-java's default permitKeepAliveTime (5 min): a Spark Connect server
    // answers more frequent pings with GOAWAY ENHANCE_YOUR_CALM, which would kill long calls.
    this.sessionManager = new Http2SessionManager(this.address, {
      idleConnectionTimeoutMs: 15 * 60_000,
      pingIntervalMs: KEEPALIVE_INTERVAL_MS,
      pingTimeoutMs: 20_000,
    });
    const transport = createGrpcTransport({
      baseUrl: this.address,
      sessionManager: this.sessionManager,
      interceptors: [addHeaders],
      // Arrow batches can be large; the server caps them at 4 MiB by default (arrow.maxBatchSize).
      readMaxBytes: 256 * 1024 * 1024,
    });
    this.rpc = createClient(SparkConnectService, transport);
  }

  /** The generated connect-es client, for RPCs this class does not wrap. */
  get raw(): Client<typeof SparkConnectService> {
    this.assertOpen();
    return this.rpc;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('SparkConnectClient is closed');
  }

  /**
   * Executes a plan (relation or command) and yields every response, reattaching transparently
   * when the server ends or breaks the stream before ResultComplete.
   */
  execute(plan: Plan, options: ExecuteOptions = {}): AsyncGenerator<ExecutePlanResponse, void, undefined> {
    this.assertOpen();
    return executeReattachable(this.rpc, this.identity(), plan, { retryPolicy: this.retryPolicy, ...options }, this.address);
  }

  /** Runs a plan to completion and returns all responses (for commands with small results). */
  async executeAll(plan: Plan, options: ExecuteOptions = {}): Promise<ExecutePlanResponse[]> {
    const out: ExecutePlanResponse[] = [];
    for await (const r of this.execute(plan, options)) out.push(r);
    return out;
  }

  /** AnalyzePlan; returns the `result` oneof (callers narrow on `case`). */
  async analyze(analyze: MessageInitShape<typeof AnalyzePlanRequestSchema>['analyze'], signal?: AbortSignal): Promise<AnalyzePlanResponse['result']> {
    this.assertOpen();
    const req = create(AnalyzePlanRequestSchema, { ...this.identity(), analyze });
    try {
      return (await this.retry(() => this.rpc.analyzePlan(req, signal ? { signal } : {}), signal)).result;
    } catch (e) {
      throw toSparkError(e, this.address);
    }
  }

  async config(opType: MessageInitShape<typeof ConfigRequest_OperationSchema>['opType']): Promise<ConfigResponse> {
    this.assertOpen();
    const req = create(ConfigRequestSchema, { ...this.identity(), operation: { opType } });
    try {
      return await this.retry(() => this.rpc.config(req));
    } catch (e) {
      throw toSparkError(e, this.address);
    }
  }

  /** Interrupts running executions of this session; returns the interrupted operation ids. */
  async interrupt(target: { all: true } | { tag: string } | { operationId: string }): Promise<string[]> {
    this.assertOpen();
    const req = create(InterruptRequestSchema, {
      ...this.identity(),
      ...('all' in target
        ? { interruptType: InterruptRequest_InterruptType.ALL }
        : 'tag' in target
          ? { interruptType: InterruptRequest_InterruptType.TAG, interrupt: { case: 'operationTag', value: target.tag } }
          : { interruptType: InterruptRequest_InterruptType.OPERATION_ID, interrupt: { case: 'operationId', value: target.operationId } }),
    });
    try {
      return (await this.retry(() => this.rpc.interrupt(req))).interruptedIds;
    } catch (e) {
      throw toSparkError(e, this.address);
    }
  }

  /**
   * Closes the HTTP/2 connection. Server-side state (the session, its temp views and *running
   * streaming queries*) is kept: another client with the same session id can pick it up.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sessionManager.abort();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** A unary RPC under the retry policy (same predicate as ExecutePlan's: transport failures only). */
  private retry<T>(call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return withRetry(call, isRetriable, REAL_TIME, this.retryPolicy, signal);
  }

  private identity(): { sessionId: string; userContext: UserContext; clientType: string } {
    return { sessionId: this.sessionId, userContext: this.userContext, clientType: this.clientType };
  }
}
