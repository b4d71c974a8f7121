// The synthetic source's worker thread: generates each requested page and prepares it (transform,
// validation, JSON) here, so that the run loop's thread only hands finished messages to kafkajs.
// Started through synthetic-worker-entry.mjs (see there why).
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../errors.js';
import { preparePage } from '../prepare.js';
import { SyntheticSource } from '../source/synthetic.js';
import type { PageRequest, WorkerMessage, SyntheticWorkerData } from './synthetic-worker-protocol.js';

const port = parentPort;
if (port === null) throw new Error('synthetic-worker-main.ts runs as a worker thread (SyntheticWorkerPages starts it)');
// The same source as on the main thread, so the same seed gives the same users in the same pages.
const source = new SyntheticSource(workerData as SyntheticWorkerData);
const never = new AbortController().signal;

// Replies go out in the order requests came: each handler runs to its end within the message's task
// (the awaited promise is already settled, and microtasks run before the next message's task).
port.on('message', async (request: PageRequest) => {
  let reply: WorkerMessage;
  try {
    const users = await source.fetch(request.count, never);
    // produced_at: when the page is prepared, which is when the run loop asked for it.
    reply = { kind: 'page', page: preparePage(users, new Date().toISOString()) };
  } catch (err) {
    reply = { kind: 'failed', message: errorMessage(err) };
  }
  port.postMessage(reply);
});

port.postMessage({ kind: 'ready' } satisfies WorkerMessage);
