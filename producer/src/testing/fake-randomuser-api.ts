// A local stand-in for randomuser.me (API 1.4) on node:http, with scriptable faults, so the
// source's retry/validation logic and the end-to-end tests run against real HTTP without the
// internet (and without being rate-limited by the real service).
//
//   const api = await startFakeRandomUserApi();
//   api.enqueue({ kind: 'status', status: 429, retryAfter: '1' }, { kind: 'empty' });
//   // RANDOMUSER_URL=api.url ... -> first call 429, second {"results":[]}, then normal answers
//   await api.close();

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RANDOMUSER_NATIONALITIES, type Nationality } from '../randomuser-types.js';
import { generateUsers } from '../source/synthetic-users.js';

export type FakeFault =
  /** Any HTTP status, e.g. 429 with Retry-After, or 503. */
  | { kind: 'status'; status: number; retryAfter?: string; body?: string }
  /** Wait before answering normally (use > the client timeout to provoke timeouts). */
  | { kind: 'delay'; ms: number }
  /** 200 with {"results":[]}: what the real service answers during some outages. */
  | { kind: 'empty' }
  /** 200 with a body that is not JSON (default: an HTML error page). */
  | { kind: 'malformed'; body?: string }
  /** 200 with randomuser's {"error": "..."} object. */
  | { kind: 'error-body' }
  /** Close the connection without answering (a network error for the client). */
  | { kind: 'reset' }
  /** 200 with exactly these results (to test odd or broken users). */
  | { kind: 'results'; results: unknown[] };

export interface FakeRequest {
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** The fault applied, if any. */
  readonly fault?: FakeFault['kind'];
}

export interface FakeRandomUserApi {
  /** Base URL to use as RANDOMUSER_URL (the client appends /api/1.4/). */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: FakeRequest[];
  /** Faults applied to the next requests, one each, in order. */
  enqueue(...faults: FakeFault[]): void;
  /** A fault applied to every request once the queue is empty (an outage), or undefined to heal. */
  setPersistentFault(fault: FakeFault | undefined): void;
  close(): Promise<void>;
}

export interface FakeApiOptions {
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
}

const MAX_RESULTS = 5000;

export async function startFakeRandomUserApi(options: FakeApiOptions = {}): Promise<FakeRandomUserApi> {
  const queue: FakeFault[] = [];
  let persistent: FakeFault | undefined;
  const requests: FakeRequest[] = [];

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    const fault = queue.shift() ?? persistent;
    requests.push({ path: url.pathname, query, ...(fault ? { fault: fault.kind } : {}) });

    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms));
    if (res.destroyed) return;
    switch (fault?.kind) {
      case 'status':
        return send(res, fault.status, fault.body ?? JSON.stringify({ error: 'Whoa, ease up there cowboy' }), {
          ...(fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {}),
        });
      case 'empty':
        return json(res, 200, { results: [] });
      case 'malformed':
        return send(res, 200, fault.body ?? '<html><body>502 Bad Gateway</body></html>', { 'content-type': 'text/html' });
      case 'error-body':
        return json(res, 200, { error: 'Uh oh, something has gone wrong. Please tweet us @randomapi about the issue. Thank you.' });
      case 'reset':
        res.socket?.destroy();
        return;
      case 'results':
        return json(res, 200, { results: fault.results, info: info(query, fault.results.length) });
      default:
        break;
    }
    // Only the pinned version exists here, so a client that drifts off /api/1.4/ fails loudly.
    if (url.pathname !== '/api/1.4/' && url.pathname !== '/api/1.4') {
      return json(res, 404, { error: `fake randomuser only serves /api/1.4/, not ${url.pathname}` });
    }
    const results = Number(query.results ?? '1');
    if (!Number.isInteger(results) || results < 1 || results > MAX_RESULTS) {
      return json(res, 400, { error: `results must be 1..${MAX_RESULTS}` });
    }
    const nats = (query.nat ?? '')
      .split(',')
      .map((n) => n.trim().toUpperCase())
      .filter((n): n is Nationality => (RANDOMUSER_NATIONALITIES as readonly string[]).includes(n));
    const seed = query.seed ?? randomUUID().slice(0, 16);
    const page = Number(query.page ?? '1') || 1;
    json(res, 200, { results: generateUsers(seed, page, results, nats), info: info({ ...query, seed }, results) });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;

  return {
    url: `http://${address}:${port}`,
    requests,
    enqueue: (...faults) => void queue.push(...faults),
    setPersistentFault: (fault) => {
      persistent = fault;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function info(query: Record<string, string>, results: number): Record<string, unknown> {
  return { seed: query.seed ?? '', results, page: Number(query.page ?? '1') || 1, version: '1.4' };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, JSON.stringify(body), { 'content-type': 'application/json; charset=utf-8' });
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  res.writeHead(status, headers);
  res.end(body);
}
