// Reattachable execution (Spark >= 3.5).
//
// ExecutePlan is sent with reattach_options.reattachable=true and a client-chosen operation id. The
// server then buffers responses and may end the stream on purpose before the result is complete
// (spark.connect.execute.reattachable.senderMaxStreamDuration, 2 min by default — this is what keeps a
// blocking awaitTermination() alive), or the network may cut it. Either way we call ReattachExecute
// with the last response id we saw and continue. Responses we have consumed are released with
// ReleaseExecute(ReleaseUntil) so the server can drop them, and ReleaseAll frees the operation at the
// end (also when the caller stops iterating early).
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { create } from '@bufbuild/protobuf';
import { Code, ConnectError, type Client } from '@connectrpc/connect';
import {
  ExecutePlanRequestSchema,
  ReattachExecuteRequestSchema,
  ReleaseExecuteRequestSchema,
  type ExecutePlanResponse,
  type Plan,
  type SparkConnectService,
  type UserContext,
} from '../gen/spark/connect/base_pb.js';
import { SparkConnectError, toSparkError } from './errors.js';
import { DEFAULT_RETRY_POLICY, isConnectionRefused, retryBudget, retryDelayMs, type RetryPolicy } from './retry.js';

export interface ExecuteOptions {
  /** Operation id (a UUID); generated when absent. Useful for `interrupt({ operationId })`. */
  operationId?: string;
  /** Operation tags, for `interrupt({ tag })`. */
  tags?: string[];
  /** Cancels the call (the server operation is released, not interrupted). */
  signal?: AbortSignal;
  /** Default true. False sends a plain ExecutePlan (no server-side buffering, no reattach). */
  reattachable?: boolean;
  /** Consecutive transport failures tolerated before giving up; default: the policy's (15). */
  maxRetries?: number;
  /** Backoff and retry budget; default DEFAULT_RETRY_POLICY (Spark's constants). */
  retryPolicy?: RetryPolicy;
}

interface Identity {
  sessionId: string;
  userContext: UserContext;
  clientType: string;
}

type Rpc = Client<typeof SparkConnectService>;

/** Node error codes of a broken connection (HTTP/2 GOAWAY/RST, TCP reset...). */
const NETWORK_CODE = /^(ERR_HTTP2_|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH)/;

function networkCause(e: unknown): boolean {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur instanceof Error; i++) {
    const code = (cur as Error & { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODE.test(code)) return true;
    cur = cur.cause;
  }
  return false;
}

/** Transport-level failures after which reattaching can succeed. */
export function isRetriable(e: unknown): boolean {
  if (!(e instanceof ConnectError)) return false;
  if (e.code === Code.Unavailable) return true;
  // The server reports a stream it dropped (e.g. a newer reattach took over) this way.
  if (e.code === Code.Internal && e.rawMessage.includes('INVALID_CURSOR.DISCONNECTED')) return true;
  // A connection broken under us (e.g. HTTP/2 GOAWAY) surfaces as a local, non-wire error.
  return !e.isWireError && networkCause(e);
}

/**
 * A stream that ends without a result sooner than this after it opened counts against the retry
 * budget (a misbehaving server must not cause a reattach storm); a longer one is the server's
 * normal stream rotation (every 2 min by default) and resets the count.
 */
const ROTATION_MIN_MS = 10_000;

export async function* executeReattachable(
  rpc: Rpc,
  identity: Identity,
  plan: Plan,
  options: ExecuteOptions,
  address: string,
): AsyncGenerator<ExecutePlanResponse, void, undefined> {
  const operationId = options.operationId ?? randomUUID();
  const reattachable = options.reattachable ?? true;
  const policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
  const maxRetries = options.maxRetries ?? policy.maxRetries;
  const signal = options.signal;
  const callOptions = signal ? { signal } : {};
  const request = create(ExecutePlanRequestSchema, {
    ...identity,
    operationId,
    plan,
    tags: options.tags ?? [],
    requestOptions: reattachable ? [{ requestOption: { case: 'reattachOptions', value: { reattachable: true } } }] : [],
  });
  const releaser = new Releaser(rpc, identity, operationId);

  let lastResponseId: string | undefined;
  // Whether the server may hold this operation. Long blocking commands (awaitTermination) send no
  // response for minutes, so "no response yet" does not mean "not registered": only a refused
  // connection proves the request never arrived.
  let registered = false;
  let mode: 'execute' | 'reattach' = 'execute';
  let complete = false;
  let failures = 0;
  let earlyEnds = 0;
  try {
    for (;;) {
      const openedAt = Date.now();
      let responses = 0;
      const stream: AsyncIterable<ExecutePlanResponse> =
        mode === 'execute'
          ? rpc.executePlan(request, callOptions)
          : rpc.reattachExecute(create(ReattachExecuteRequestSchema, { ...identity, operationId, ...(lastResponseId ? { lastResponseId } : {}) }), callOptions);
      try {
        for await (const response of stream) {
          registered = true;
          failures = 0;
          responses++;
          if (response.responseId) lastResponseId = response.responseId;
          if (response.responseType.case === 'resultComplete') {
            complete = true;
            continue;
          }
          yield response;
          if (reattachable && lastResponseId) releaser.releaseUntil(lastResponseId);
        }
        if (!reattachable || complete) return;
        // The server closed the stream before ResultComplete (it rotates streams every couple of
        // minutes): reattach. This is expected, not a failure.
        registered = true;
        mode = 'reattach';
        if (responses > 0 || Date.now() - openedAt >= ROTATION_MIN_MS) {
          earlyEnds = 0;
        } else {
          if (earlyEnds >= maxRetries) {
            throw new SparkConnectError({
              message: `The Spark Connect server at ${address} ended operation ${operationId}'s stream ${earlyEnds + 1} times in a row without a result; giving up.`,
            });
          }
          await sleep(retryDelayMs(policy, earlyEnds, undefined), undefined, callOptions);
          earlyEnds++;
        }
      } catch (e) {
        if (e instanceof SparkConnectError) throw e;
        if (signal?.aborted || !reattachable) throw toSparkError(e, address);
        const msg = e instanceof ConnectError ? e.rawMessage : '';
        if (mode === 'execute' && msg.includes('INVALID_HANDLE.OPERATION_ALREADY_EXISTS')) {
          // An earlier attempt did reach the server.
          registered = true;
          mode = 'reattach';
          continue;
        }
        if (mode === 'reattach' && !registered && lastResponseId === undefined && msg.includes('INVALID_HANDLE.OPERATION_NOT_FOUND')) {
          // The first ExecutePlan never arrived: send it again.
          mode = 'execute';
          continue;
        }
        if (!isRetriable(e) || failures >= retryBudget(policy, e, maxRetries)) throw toSparkError(e, address);
        failures++;
        if (!registered && isConnectionRefused(e)) {
          mode = 'execute'; // nothing was delivered; resend as is
        } else {
          mode = 'reattach';
        }
        await sleep(retryDelayMs(policy, failures - 1, e), undefined, callOptions);
      }
    }
  } finally {
    if (reattachable && registered) releaser.releaseAll();
  }
}

/** Sends ReleaseExecute in the background, at most one at a time, never failing the caller. */
class Releaser {
  private inFlight: Promise<void> | undefined;
  private pendingUntil: string | undefined;
  private done = false;

  constructor(
    private readonly rpc: Rpc,
    private readonly identity: Identity,
    private readonly operationId: string,
  ) {}

  releaseUntil(responseId: string): void {
    if (this.done) return;
    this.pendingUntil = responseId;
    if (!this.inFlight) this.pump();
  }

  releaseAll(): void {
    if (this.done) return;
    this.done = true;
    const send = (): Promise<void> => this.send({ case: 'releaseAll', value: {} });
    // After any in-flight ReleaseUntil, so the server sees them in order.
    void (this.inFlight ? this.inFlight.then(send) : send());
  }

  private pump(): void {
    const id = this.pendingUntil;
    if (id === undefined || this.done) return;
    this.pendingUntil = undefined;
    this.inFlight = this.send({ case: 'releaseUntil', value: { responseId: id } }).then(() => {
      this.inFlight = undefined;
      this.pump();
    });
  }

  private async send(release: { case: 'releaseAll'; value: object } | { case: 'releaseUntil'; value: { responseId: string } }): Promise<void> {
    try {
      await this.rpc.releaseExecute(create(ReleaseExecuteRequestSchema, { ...this.identity, operationId: this.operationId, release }));
    } catch {
      // Best effort: the server also expires abandoned operations on its own.
    }
  }
}
