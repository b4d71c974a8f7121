#!/usr/bin/env -S npx tsx --max-semi-space-size=64
// CLI entry: parse config once, wire SIGINT/SIGTERM/SIGHUP to a graceful stop, map typed errors to exit codes.

import { onShutdownSignals } from '@streamline/core';
import { parseProducerArgs } from './config.js';
import { StreamlineError, errorMessage } from './errors.js';
import { consoleLogger } from './log.js';
import { runProducer } from './schedule.js';

async function main(): Promise<number> {
  let outcome: Awaited<ReturnType<typeof parseProducerArgs>>;
  try {
    outcome = await parseProducerArgs(process.argv.slice(2), process.env);
  } catch (err) {
    process.stderr.write(`streamline-produce: ${errorMessage(err)}\nRun with --help for usage.\n`);
    return err instanceof StreamlineError ? err.exitCode : 2;
  }
  if (outcome.kind === 'help') {
    process.stdout.write(`${outcome.text}\n`);
    return 0;
  }
  const log = consoleLogger(outcome.config.logLevel);
  const controller = new AbortController();
  // Ctrl-C, kill and a closed terminal (SIGHUP) stop the producer the same way: buffered records are
  // flushed; a second signal exits at once.
  onShutdownSignals((sig) => {
    log.warn(`${sig} received: flushing buffered records and disconnecting (send ${sig} again to exit immediately)`);
    controller.abort(new Error(sig));
  });
  // `… | head` closes our stdout early: an EPIPE must not abort the flush.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });

  try {
    await runProducer(outcome.config, { signal: controller.signal, log });
    return 0;
  } catch (err) {
    log.error(errorMessage(err));
    if (!(err instanceof StreamlineError) && err instanceof Error && err.stack) log.debug(err.stack);
    return err instanceof StreamlineError ? err.exitCode : 1;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`streamline-produce: unexpected error: ${errorMessage(err)}\n`);
    process.exitCode = 1;
  },
);
