// Reattach logic, driven by a scripted in-process fake of the three RPCs it uses (a unit test: the
// integration tests run against the real server).
import { create } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import {
  ExecutePlanResponseSchema,
  PlanSchema,
  UserContextSchema,
  type ExecutePlanRequest,
  type ExecutePlanResponse,
  type ReattachExecuteRequest,
  type ReleaseExecuteRequest,
} from '../gen/spark/connect/base_pb.js';
import { SparkConnectError, SparkConnectUnavailableError } from './errors.js';
import { executeReattachable } from './execute.js';
import { DEFAULT_RETRY_POLICY } from './retry.js';

type Rpc = Parameters<typeof executeReattachable>[0];
const identity = { sessionId: 's', userContext: create(UserContextSchema, { userId: 'u' }), clientType: 't' };
const plan = create(PlanSchema, {});

const batch = (id: string): ExecutePlanResponse =>
  create(ExecutePlanResponseSchema, { responseId: id, responseType: { case: 'arrowBatch', value: { rowCount: 1n, data: new Uint8Array([1]) } } });
const complete = (id: string): ExecutePlanResponse =>
  create(ExecutePlanResponseSchema, { responseId: id, responseType: { case: 'resultComplete', value: {} } });

/** Each call of executePlan/reattachExecute plays the next script: responses, then maybe an error. */
function fakeRpc(scripts: Array<{ responses: ExecutePlanResponse[]; error?: Error }>) {
  const calls: { execute: ExecutePlanRequest[]; reattach: ReattachExecuteRequest[]; release: ReleaseExecuteRequest[] } = {
    execute: [],
    reattach: [],
    release: [],
  };
  let i = 0;
  async function* play() {
    const s = scripts[i++];
    if (!s) throw new Error('no more scripts');
    for (const r of s.responses) yield r;
    if (s.error) throw s.error;
  }
  const rpc = {
    executePlan: (req: ExecutePlanRequest) => {
      calls.execute.push(req);
      return play();
    },
    reattachExecute: (req: ReattachExecuteRequest) => {
      calls.reattach.push(req);
      return play();
    },
    releaseExecute: async (req: ReleaseExecuteRequest) => {
      calls.release.push(req);
      return {};
    },
  } as unknown as Rpc;
  return { rpc, calls };
}

async function drain(it: AsyncIterable<ExecutePlanResponse>): Promise<string[]> {
  const ids: string[] = [];
  for await (const r of it) ids.push(r.responseId);
  return ids;
}
const flush = () => new Promise((r) => setTimeout(r, 10));

describe('executeReattachable', () => {
  it('sends a reattachable ExecutePlan with an operation id and tags', async () => {
    const { rpc, calls } = fakeRpc([{ responses: [batch('r1'), complete('r2')] }]);
    expect(await drain(executeReattachable(rpc, identity, plan, { tags: ['t1'], operationId: 'op-1' }, 'addr'))).toEqual(['r1']);
    const req = calls.execute[0]!;
    expect(req.operationId).toBe('op-1');
    expect(req.tags).toEqual(['t1']);
    expect(req.sessionId).toBe('s');
    expect(req.requestOptions[0]?.requestOption).toEqual({ case: 'reattachOptions', value: expect.objectContaining({ reattachable: true }) });
    await flush();
    expect(calls.release.at(-1)?.release.case).toBe('releaseAll');
  });

  it('reattaches from the last response id when the stream ends before ResultComplete', async () => {
    const { rpc, calls } = fakeRpc([{ responses: [batch('r1'), batch('r2')] }, { responses: [batch('r3'), complete('r4')] }]);
    expect(await drain(executeReattachable(rpc, identity, plan, { operationId: 'op' }, 'addr'))).toEqual(['r1', 'r2', 'r3']);
    expect(calls.reattach).toHaveLength(1);
    expect(calls.reattach[0]).toMatchObject({ operationId: 'op', lastResponseId: 'r2', sessionId: 's' });
    await flush();
    const releases = calls.release.map((r) => r.release.case);
    expect(releases).toContain('releaseUntil');
    expect(releases.at(-1)).toBe('releaseAll');
  });

  it('reattaches after a retriable (UNAVAILABLE) break', async () => {
    const { rpc, calls } = fakeRpc([
      { responses: [batch('r1')], error: new ConnectError('reset', Code.Unavailable) },
      { responses: [batch('r2'), complete('r3')] },
    ]);
    expect(await drain(executeReattachable(rpc, identity, plan, {}, 'addr'))).toEqual(['r1', 'r2']);
    expect(calls.reattach[0]?.lastResponseId).toBe('r1');
  });

  it('reattaches (without a response id) when a blocking call is rotated before any response', async () => {
    const { rpc, calls } = fakeRpc([{ responses: [] }, { responses: [] }, { responses: [batch('r1'), complete('r2')] }]);
    expect(await drain(executeReattachable(rpc, identity, plan, {}, 'addr'))).toEqual(['r1']);
    expect(calls.execute).toHaveLength(1);
    expect(calls.reattach).toHaveLength(2);
    expect(calls.reattach[0]?.lastResponseId).toBeUndefined();
  });

  it('after an ambiguous break before any response, reattaches and falls back to ExecutePlan if unknown', async () => {
    const { rpc, calls } = fakeRpc([
      { responses: [], error: new ConnectError('reset', Code.Unavailable) },
      { responses: [], error: new ConnectError('[INVALID_HANDLE.OPERATION_NOT_FOUND] x', Code.Internal) },
      { responses: [batch('r1'), complete('r2')] },
    ]);
    expect(await drain(executeReattachable(rpc, identity, plan, {}, 'addr'))).toEqual(['r1']);
    expect(calls.execute).toHaveLength(2);
    expect(calls.reattach).toHaveLength(1);
  });

  it('switches to ReattachExecute when a resent ExecutePlan finds the operation already exists', async () => {
    const { rpc, calls } = fakeRpc([
      { responses: [], error: new ConnectError('connect ECONNREFUSED', Code.Unavailable) },
      { responses: [], error: new ConnectError('[INVALID_HANDLE.OPERATION_ALREADY_EXISTS] x', Code.Internal) },
      { responses: [batch('r1'), complete('r2')] },
    ]);
    expect(await drain(executeReattachable(rpc, identity, plan, {}, 'addr'))).toEqual(['r1']);
    expect(calls.execute).toHaveLength(2);
    expect(calls.reattach).toHaveLength(1);
  });

  it('re-sends ExecutePlan while the connection is refused, then gives up with an Unavailable error', async () => {
    const down = () => ({ responses: [], error: new ConnectError('connect ECONNREFUSED', Code.Unavailable) });
    const { rpc, calls } = fakeRpc([down(), down(), down()]);
    const err = await drain(executeReattachable(rpc, identity, plan, { maxRetries: 2 }, 'http://h:1')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SparkConnectUnavailableError);
    expect(calls.execute).toHaveLength(3);
    expect(calls.reattach).toHaveLength(0);
    expect(calls.release).toHaveLength(0);
  });

  it('bounds reattach: a server that keeps ending streams at once without a result is given up on', async () => {
    const empties = Array.from({ length: 10 }, () => ({ responses: [] as ExecutePlanResponse[] }));
    const { rpc, calls } = fakeRpc([{ responses: [batch('r1')] }, ...empties]);
    const policy = { ...DEFAULT_RETRY_POLICY, maxRetries: 3, initialBackoffMs: 1 };
    const err = await drain(executeReattachable(rpc, identity, plan, { retryPolicy: policy }, 'http://h:1')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SparkConnectError);
    expect((err as Error).message).toMatch(/ended operation .* stream 4 times in a row without a result/);
    expect(calls.reattach).toHaveLength(4); // 1 + 3 retries, not a storm
    await flush();
    expect(calls.release.at(-1)?.release.case).toBe('releaseAll');
  });

  it('does not retry query errors', async () => {
    const { rpc, calls } = fakeRpc([{ responses: [], error: new ConnectError('[X_Y] bad', Code.Internal) }]);
    const err = await drain(executeReattachable(rpc, identity, plan, {}, 'addr')).catch((e: unknown) => e);
    expect((err as Error).message).toBe('[X_Y] bad');
    expect(calls.execute).toHaveLength(1);
  });

  it('releases the operation when the consumer stops early', async () => {
    const { rpc, calls } = fakeRpc([{ responses: [batch('r1'), batch('r2'), complete('r3')] }]);
    for await (const _ of executeReattachable(rpc, identity, plan, {}, 'addr')) break;
    await flush();
    expect(calls.release.at(-1)?.release.case).toBe('releaseAll');
  });
});

describe('isRetriable', () => {
  it('retries UNAVAILABLE, dropped cursors and broken HTTP/2 sessions, not query errors', async () => {
    const { isRetriable } = await import('./execute.js');
    expect(isRetriable(new ConnectError('x', Code.Unavailable))).toBe(true);
    expect(isRetriable(new ConnectError('[INVALID_CURSOR.DISCONNECTED] x', Code.Internal))).toBe(true);
    const goaway = Object.assign(new Error('Session closed with error code 11'), { code: 'ERR_HTTP2_SESSION_ERROR' });
    expect(isRetriable(new ConnectError('Session closed', Code.Internal, undefined, undefined, goaway))).toBe(true);
    const wire = new ConnectError('[TABLE_OR_VIEW_NOT_FOUND] x', Code.Internal);
    (wire as { isWireError: boolean }).isWireError = true;
    expect(isRetriable(wire)).toBe(false);
  });
});
