// A Spark standalone cluster across hosts: the master on its own host, workers on others, the Spark
// Connect server (the driver) on another. The single-host stack's service definitions
// (services/spark.ts) run once per host with that host's address (SPARK_LOCAL_IP, --host,
// spark.driver.host / bindAddress) and the master's address as configuration: nothing is forked.
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StackConfig } from '../config.js';
import { masterStatus } from '../health.js';
import { stackPaths } from '../paths.js';
import { isAlive, isOurs, readPid, spawnDetached, tailFile } from '../process.js';
import { sparkConnectService, sparkMasterService, sparkWorkerService, type SparkPlacement } from '../services/spark.js';
import type { ServiceDefinition } from '../services/types.js';
import { HostsError } from './errors.js';
import { hostStackConfig } from './kafka-cluster.js';
import { killHostProcesses, type HostNetwork } from './netns.js';

export interface SparkClusterOptions {
  runDir: string;
  /** Host names: the master's, the workers', the Connect server's (each its own host). */
  master: string;
  workers: readonly string[];
  connect: string;
  /** What the driver's Cassandra connector connects to (comma-separated addresses). */
  cassandraHosts: string;
  startTimeoutSeconds: number;
  memory: Pick<StackConfig['memory'], 'sparkDaemon' | 'sparkDriver' | 'sparkExecutor' | 'sparkWorker'>;
  workerCores: number;
}

/** Modest: the cluster shares 2 cores and the memory with Kafka, Cassandra and everybody else. */
export const SPARK_CLUSTER_DEFAULTS: Pick<SparkClusterOptions, 'memory' | 'workerCores' | 'startTimeoutSeconds'> = {
  memory: { sparkDaemon: '256m', sparkDriver: '768m', sparkExecutor: '512m', sparkWorker: '512m' },
  workerCores: 1,
  startTimeoutSeconds: 240,
};

export type SparkRole = 'spark-master' | 'spark-worker' | 'spark-connect';

export interface SparkNode {
  host: string;
  role: SparkRole;
  address: string;
  config: StackConfig;
  service: ServiceDefinition;
  logFile: string;
  pidFile: string;
}

/** An executor as the driver's REST API reports it. */
export interface ExecutorInfo {
  id: string;
  hostPort: string;
  isActive: boolean;
  totalTasks: number;
}

export class SparkCluster {
  readonly nodes: SparkNode[];

  constructor(
    private readonly network: HostNetwork,
    private readonly options: SparkClusterOptions,
  ) {
    const placement: SparkPlacement = { masterHost: network.host(options.master).address, cassandraHosts: options.cassandraHosts };
    const node = (name: string, role: SparkRole): SparkNode => {
      const h = network.host(name);
      const base = hostStackConfig(h.address, path.join(options.runDir, name), '256m', options.startTimeoutSeconds, options.memory);
      const config: StackConfig = { ...base, sparkWorkerCores: options.workerCores };
      const paths = stackPaths(config);
      const ctx = { config, paths };
      const service =
        role === 'spark-master' ? sparkMasterService(ctx) : role === 'spark-worker' ? sparkWorkerService(ctx, placement) : sparkConnectService(ctx, placement);
      return { host: name, role, address: h.address, config, service, logFile: paths.logFile(role), pidFile: paths.pidFile(role) };
    };
    this.nodes = [node(options.master, 'spark-master'), ...options.workers.map((w) => node(w, 'spark-worker')), node(options.connect, 'spark-connect')];
  }

  get master(): SparkNode {
    return this.nodes[0]!;
  }

  get connect(): SparkNode {
    return this.nodes[this.nodes.length - 1]!;
  }

  get workers(): SparkNode[] {
    return this.nodes.filter((n) => n.role === 'spark-worker');
  }

  /** spark://<master address>:<port>, what every worker and the driver register with. */
  get masterUrl(): string {
    return `spark://${this.master.address}:${this.master.config.ports.sparkMaster}`;
  }

  /** The Connect server's port (a client on the driver's host connects to 127.0.0.1:<port>: see docs/multi-host.md). */
  get connectPort(): number {
    return this.connect.config.ports.sparkConnect;
  }

  /** Directory on the driver's host for the streaming checkpoints (the driver writes them, executors do not). */
  get checkpointDir(): string {
    return path.join(this.options.runDir, this.connect.host, 'checkpoints');
  }

  node(host: string): SparkNode {
    const n = this.nodes.find((x) => x.host === host);
    if (!n) throw new HostsError(`no Spark service on host ${host}`);
    return n;
  }

  /** Starts master, then the workers (waits until the master lists them ALIVE), then the Connect server. */
  async start(): Promise<void> {
    await this.launch(this.master);
    await this.waitUntil(this.master, () => this.masterUp());
    await this.startWorkers(this.workers.map((w) => w.host));
    await this.launch(this.connect);
    await this.waitUntil(this.connect, () => this.connect.service.healthy());
  }

  /** Starts the named workers and waits until the master lists each as ALIVE at its host's address. */
  async startWorkers(hosts: readonly string[]): Promise<void> {
    const nodes = hosts.map((h) => this.node(h));
    for (const n of nodes) await this.launch(n);
    await Promise.all(nodes.map((n) => this.waitUntil(n, async () => (await this.aliveWorkerHosts()).includes(n.address))));
  }

  private async launch(n: SparkNode): Promise<number> {
    await n.service.prepare();
    const command = await n.service.launch();
    return spawnDetached({ ...command, logFile: n.logFile, pidFile: n.pidFile, netns: this.network.host(n.host).netns });
  }

  private async masterUp(): Promise<boolean> {
    return (await masterStatus(this.master.address, this.master.config.ports.sparkMasterUi))?.status === 'ALIVE';
  }

  /** Addresses of the workers the master lists as ALIVE (from its JSON API). */
  async aliveWorkerHosts(): Promise<string[]> {
    try {
      const res = await fetch(`http://${this.master.address}:${this.master.config.ports.sparkMasterUi}/json/`, { signal: AbortSignal.timeout(3_000) });
      if (!res.ok) return [];
      const body = (await res.json()) as { workers?: { host: string; state: string }[] };
      return (body.workers ?? []).filter((w) => w.state === 'ALIVE').map((w) => w.host);
    } catch {
      return [];
    }
  }

  /**
   * The executors of the driver's application (the driver's REST API, executor addresses), the driver
   * itself left out. A loaded 2-core machine running nine hosts' JVMs has kept the driver's UI silent
   * for over 5 s: each request gets 20 s, and the whole question three tries.
   */
  async executors(): Promise<ExecutorInfo[]> {
    const base = `http://${this.connect.address}:${this.connect.config.ports.sparkDriverUi}/api/v1/applications`;
    const getJson = async <T>(url: string): Promise<T> => (await (await fetch(url, { signal: AbortSignal.timeout(20_000) })).json()) as T;
    for (let attempt = 1; ; attempt++) {
      try {
        const app = (await getJson<{ id: string }[]>(base))[0];
        if (!app) return [];
        const all = await getJson<ExecutorInfo[]>(`${base}/${app.id}/allexecutors`);
        return all.filter((e) => e.id !== 'driver').map((e) => ({ id: e.id, hostPort: e.hostPort, isActive: e.isActive, totalTasks: e.totalTasks }));
      } catch (error) {
        if (attempt === 3) throw new HostsError(`the driver's REST API on ${base} did not answer in 3 tries: ${(error as Error).message}`);
        await sleep(2_000);
      }
    }
  }

  private async waitUntil(n: SparkNode, ready: () => Promise<boolean>): Promise<void> {
    const pid = readPid(n.pidFile);
    const deadline = Date.now() + n.config.startTimeoutSeconds * 1000;
    while (Date.now() < deadline) {
      if (await ready()) return;
      if (pid !== undefined && !isAlive(pid))
        throw new HostsError(`${n.role} on ${n.host} (${n.address}) exited; its log ${n.logFile} ends:\n${tailFile(n.logFile)}`);
      await sleep(1_000);
    }
    throw new HostsError(
      `${n.role} on ${n.host} (${n.address}) not ready after ${n.config.startTimeoutSeconds}s; its log ${n.logFile} ends:\n${tailFile(n.logFile)}`,
    );
  }

  pids(): Map<string, number> {
    const pids = new Map<string, number>();
    for (const n of this.nodes) {
      const pid = readPid(n.pidFile);
      if (pid !== undefined && isOurs(pid, n.config.runDir)) pids.set(n.host, pid);
    }
    return pids;
  }

  /** SIGKILLs every process on the host (a worker's host: the worker and its executor). */
  kill(host: string): Promise<number[]> {
    return killHostProcesses(this.network.host(this.node(host).host).netns);
  }
}
