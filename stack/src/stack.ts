// up / down / status of the whole local stack.
import path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StackConfig } from './config.js';
import { PortInUseError, ServiceStartError } from './errors.js';
import { tcpAnswers } from './health.js';
import { stackPaths, type StackPaths } from './paths.js';
import { assertSparkJarsDir, PreflightError } from './preflight.js';
import { findOurProcesses, isAlive, isOurs, readPid, removeFile, spawnDetached, tailFile, terminate } from './process.js';
import { stackServices, type ServiceDefinition, type ServiceGroup, type ServiceName } from './services/index.js';
import { pinnedVersions } from './versions.js';

export type Reporter = (line: string) => void;

export interface UpResult {
  /** Services this call started (the others were already running and healthy). */
  started: ServiceName[];
  alreadyRunning: ServiceName[];
  seconds: number;
}

const GROUP_TITLES: Record<ServiceGroup, string> = { core: 'Local stack', airflow: 'Airflow', spark4: 'Spark 4 Connect' };

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)}s`;
}

/** Refuses to start on an incomplete or inconsistent set of resolved jars. */
export function preflight(config: StackConfig): StackPaths {
  const paths = stackPaths(config);
  const versions = pinnedVersions();
  assertSparkJarsDir(paths.sparkJars, { sparkVersion: versions.spark, scalaBinary: versions.scalaBinary });
  for (const [what, dir] of [
    ['Kafka', paths.kafkaLibs],
    ['Cassandra', paths.cassandraLibs],
  ] as const) {
    if (!existsSync(dir)) throw new PreflightError(`No ${what} jars at ${dir}. Run \`make jars\` to resolve them from Maven Central.`);
  }
  return paths;
}

/** Airflow needs the unpacked PostgreSQL binaries and Airflow in the project's virtualenv. */
export function airflowPreflight(config: StackConfig): StackPaths {
  const paths = stackPaths(config);
  if (!existsSync(path.join(paths.postgresHome, 'bin', 'postgres'))) {
    throw new PreflightError(`No PostgreSQL binaries at ${paths.postgresHome}. Run \`make jars\` to unpack them from Maven Central.`);
  }
  if (!existsSync(path.join(paths.venvBin, 'airflow'))) {
    throw new PreflightError(`Airflow is not installed in ${path.dirname(paths.venvBin)}. Run \`make airflow-install\`.`);
  }
  return paths;
}

async function waitHealthy(service: ServiceDefinition, pid: number, paths: StackPaths, timeoutSeconds: number): Promise<void> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  const logFile = paths.logFile(service.name);
  while (Date.now() < deadline) {
    if (await service.healthy()) return;
    if (!isAlive(pid)) {
      throw new ServiceStartError(service.name, 'the process exited', logFile, tailFile(logFile));
    }
    await sleep(1_000);
  }
  throw new ServiceStartError(service.name, `not healthy after ${timeoutSeconds}s (waiting until ${service.healthDescription})`, logFile, tailFile(logFile));
}

export interface UpOptions {
  group?: ServiceGroup;
  /** Only these services of the group and what they depend on (default: all), e.g. Kafka alone for the producer's bench. */
  only?: ServiceName[];
}

/**
 * Brings every service up and waits until each is healthy. Idempotent: services already running
 * (started by an earlier `up`) are only health-checked.
 */
export async function up(config: StackConfig, report: Reporter = console.log, options: UpOptions = {}): Promise<UpResult> {
  const started = Date.now();
  const group = options.group ?? 'core';
  // The spark4 service checks its own jars in prepare(): it needs neither the 3.5 SPARK_HOME nor Airflow.
  const paths = group === 'core' ? preflight(config) : group === 'airflow' ? airflowPreflight(config) : stackPaths(config);
  const all = stackServices({ config, paths }, group);
  const byName = new Map(all.map((s) => [s.name, s]));
  // ensure() starts each service's dependencies first, so asking for these is enough.
  const services = options.only ? all.filter((s) => options.only!.includes(s.name)) : all;
  const result: UpResult = { started: [], alreadyRunning: [], seconds: 0 };
  const ready = new Map<ServiceName, Promise<void>>();

  const ensure = (service: ServiceDefinition): Promise<void> => {
    let promise = ready.get(service.name);
    if (!promise) {
      promise = (async () => {
        await Promise.all(service.dependsOn.map((dep) => ensure(byName.get(dep)!)));
        const t0 = Date.now();
        const pidFile = paths.pidFile(service.name);
        const existing = readPid(pidFile);
        if (existing !== undefined && isOurs(existing, config.runDir, service.workingDirectory)) {
          await waitHealthy(service, existing, paths, config.startTimeoutSeconds);
          result.alreadyRunning.push(service.name);
          report(`  ${service.name}: already running (pid ${existing}) and healthy`);
          return;
        }
        removeFile(pidFile);
        for (const { name, port } of service.ports) {
          if (await tcpAnswers(config.host, port, 500)) throw new PortInUseError(service.name, name, port);
        }
        await service.prepare();
        const command = await service.launch();
        const pid = spawnDetached({ ...command, logFile: paths.logFile(service.name), pidFile });
        report(`  ${service.name}: starting ${service.description} (pid ${pid}, log ${paths.logFile(service.name)})`);
        await waitHealthy(service, pid, paths, config.startTimeoutSeconds);
        await service.afterHealthy?.();
        result.started.push(service.name);
        report(`  ${service.name}: healthy after ${seconds(t0)} (${service.healthDescription})`);
      })();
      ready.set(service.name, promise);
    }
    return promise;
  };

  report(`${GROUP_TITLES[group]}: starting in ${config.runDir}`);
  const outcomes = await Promise.allSettled(services.map(ensure));
  const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => o.reason as unknown);
  if (failures.length > 0) {
    // Report the first root cause; dependants fail with the same error object.
    throw failures[0];
  }
  result.seconds = (Date.now() - started) / 1000;
  report(`${GROUP_TITLES[group]}: all ${services.length} services healthy in ${result.seconds.toFixed(1)}s`);
  return result;
}

export interface DownOptions {
  /** Only these services (default: all). */
  only?: ServiceName[];
  /** Only this group (default: Airflow, the Spark 4 server, then the core services, then any orphan of ours). */
  group?: ServiceGroup;
}

/** Stops what `up` started (by pid file, verified by our marker), then any orphan of ours. */
export async function down(config: StackConfig, report: Reporter = console.log, options: DownOptions = {}): Promise<number> {
  const paths = stackPaths(config);
  const groups: ServiceGroup[] = options.group ? [options.group] : ['airflow', 'spark4', 'core'];
  const services = groups.flatMap((g) => stackServices({ config, paths }, g).reverse()).filter((s) => !options.only || options.only.includes(s.name));
  let stopped = 0;
  for (const service of services) {
    const pidFile = paths.pidFile(service.name);
    const pid = readPid(pidFile);
    if (pid !== undefined && isOurs(pid, config.runDir, service.workingDirectory)) {
      const how = await terminate(pid, 20_000, service.stopSignal);
      report(`  ${service.name}: stopped (pid ${pid}, ${how})`);
      stopped++;
    }
    removeFile(pidFile);
    for (const leftover of service.leftovers?.() ?? []) {
      const how = await terminate(leftover, 10_000);
      report(`  ${service.name}: stopped its process ${leftover} (${how})`);
      stopped++;
    }
  }
  if (!options.only && !options.group) {
    for (const pid of findOurProcesses(config.runDir)) {
      const how = await terminate(pid, 10_000);
      report(`  orphan pid ${pid}: stopped (${how})`);
      stopped++;
    }
  }
  return stopped;
}

export interface ServiceStatus {
  name: ServiceName;
  description: string;
  pid?: number;
  running: boolean;
  healthy: boolean;
  rssMiB?: number;
}

export function rssMiB(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export async function status(config: StackConfig, group: ServiceGroup = 'core'): Promise<ServiceStatus[]> {
  const paths = stackPaths(config);
  return Promise.all(
    stackServices({ config, paths }, group).map(async (service) => {
      const pid = runningPid(service, paths, config);
      return {
        name: service.name,
        description: service.description,
        ...(pid !== undefined ? { pid, rssMiB: rssMiB(pid) } : {}),
        running: pid !== undefined,
        healthy: pid !== undefined && (await service.healthy()),
      };
    }),
  );
}

/**
 * The running services' processes, without asking the services anything: for samplers that look every
 * second. (status() probes each service's health: a CQL login, a Kafka admin connection, a gRPC call;
 * a benchmark sampling through it loaded the stack it was measuring.)
 */
export function runningServices(config: StackConfig, group: ServiceGroup = 'core'): { name: ServiceName; pid: number }[] {
  const paths = stackPaths(config);
  return stackServices({ config, paths }, group).flatMap((service) => {
    const pid = runningPid(service, paths, config);
    return pid === undefined ? [] : [{ name: service.name, pid }];
  });
}

function runningPid(service: ServiceDefinition, paths: StackPaths, config: StackConfig): number | undefined {
  const pid = readPid(paths.pidFile(service.name));
  return pid !== undefined && isOurs(pid, config.runDir, service.workingDirectory) ? pid : undefined;
}
