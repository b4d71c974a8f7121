import { errorKind } from '@streamline/core';
import type { ServiceName } from './services/types.js';

/**
 * A service did not become healthy: names it, says why, and points at its log. Retriable: a slow machine
 * may make it next time (a broken configuration will not; the log says which).
 */
export class ServiceStartError extends errorKind({ exitCode: 3, retriable: true }) {
  constructor(
    readonly service: ServiceName,
    readonly reason: string,
    readonly logFile: string,
    readonly logTail: string,
  ) {
    super(`${service} failed to start: ${reason}. Its log is ${logFile}; last lines:\n${logTail}`);
  }
}

/** A port we need is taken by a process this stack did not start. */
export class PortInUseError extends errorKind({ exitCode: 3, retriable: false }) {
  constructor(service: ServiceName, envName: string, port: number) {
    super(
      `${service} cannot start: port ${port} is already in use by a process this stack did not start. Stop that process, or choose another port with ${envName}=<port>.`,
    );
  }
}
