// Faults on the real local stack: kill or stop one service, and bring everything back with `up()`.
// Every test file calls `restoreStack()` in afterAll, so the stack is healthy whatever happened.
import { down, findOurProcesses, loadStackConfig, stackPaths, tcpAnswers, up, type StackConfig } from '@streamline/stack';
import { readPid, isAlive } from '@streamline/stack';
import { waitUntil } from '../../support/wait.js';

export type ServiceName = 'kafka' | 'cassandra' | 'spark-master' | 'spark-worker' | 'spark-connect';

export const stackConfig: StackConfig = loadStackConfig();

export const stackLog = (line: string): void => console.log(`[stack] ${line.trim()}`);

/** The pid of a running service of our stack (from its pid file); throws if it is not running. */
export function servicePid(service: ServiceName): number {
  const pid = readPid(stackPaths(stackConfig).pidFile(service));
  if (pid === undefined || !isAlive(pid)) throw new Error(`${service} is not running (no live pid in its pid file)`);
  return pid;
}

/** `kill -9` the service's JVM, like a crash or the OOM killer; resolves once the process is gone. */
export async function killService(service: ServiceName): Promise<number> {
  const pid = servicePid(service);
  process.kill(pid, 'SIGKILL');
  await waitUntil(`${service} (pid ${pid}) is gone after SIGKILL`, () => !isAlive(pid), { timeoutMs: 30_000, intervalMs: 100 });
  await waitPortsFree(service);
  return pid;
}

const PORTS: Record<ServiceName, number[]> = {
  kafka: [stackConfig.ports.kafka],
  cassandra: [stackConfig.ports.cassandra],
  'spark-master': [stackConfig.ports.sparkMaster, stackConfig.ports.sparkMasterUi],
  'spark-worker': [stackConfig.ports.sparkWorkerUi],
  'spark-connect': [stackConfig.ports.sparkConnect, stackConfig.ports.sparkDriverUi],
};

/**
 * Stops one service the way an operator would (SIGTERM, SIGKILL after the grace period), and waits
 * until its ports are free, so that the next `up()` does not mistake them for someone else's.
 */
export async function stopService(service: ServiceName): Promise<void> {
  await down(stackConfig, stackLog, { only: [service] });
  await waitPortsFree(service);
}

async function waitPortsFree(service: ServiceName): Promise<void> {
  const t0 = Date.now();
  await waitUntil(
    `the ports of ${service} (${PORTS[service].join(', ')}) are free`,
    async () => (await Promise.all(PORTS[service].map((p) => tcpAnswers(stackConfig.host, p, 500)))).every((answers) => !answers),
    { timeoutMs: 30_000, intervalMs: 250 },
  );
  if (Date.now() - t0 > 1_000) stackLog(`${service}: its ports were still answering ${Date.now() - t0} ms after the process was gone`);
}

/** Starts whatever is not running and waits until every service is healthy; returns what it started. */
export async function restoreStack(): Promise<{ started: string[]; seconds: number }> {
  const result = await up(stackConfig, stackLog);
  return { started: result.started, seconds: result.seconds };
}

/** Processes of our stack that are not one of the five services: the worker's executors. */
export function executorPids(): number[] {
  const paths = stackPaths(stackConfig);
  const services = new Set(
    (['kafka', 'cassandra', 'spark-master', 'spark-worker', 'spark-connect'] as const)
      .map((s) => readPid(paths.pidFile(s)))
      .filter((p): p is number => p !== undefined),
  );
  return findOurProcesses(stackConfig.runDir).filter((pid) => !services.has(pid));
}
