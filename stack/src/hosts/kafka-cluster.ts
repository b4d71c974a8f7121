// A Kafka cluster across hosts: the single-host stack's Kafka service definition (services/kafka.ts),
// run once per host with that host's address, its own run directory and a node id in a shared KRaft
// quorum. Nothing here forks the service: hosts and addresses are configuration.
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { loadStackConfig, type StackConfig } from '../config.js';
import { kafkaMetadataAnswers } from '../health.js';
import { stackPaths } from '../paths.js';
import { isAlive, isOurs, readPid, spawnDetached, tailFile } from '../process.js';
import { kafkaService, newClusterId, type KafkaClusterNode } from '../services/kafka.js';
import type { ServiceDefinition } from '../services/types.js';
import { HostsError } from './errors.js';
import { killHostProcesses, type HostNetwork } from './netns.js';

export interface KafkaClusterOptions {
  /** Base run directory: each broker gets <runDir>/<host name> (data, logs, pid, config). */
  runDir: string;
  /** Heap of each broker: modest, three of them share a 2-core machine with the rest. */
  heap: string;
  replicationFactor: number;
  minInsyncReplicas: number;
  startTimeoutSeconds: number;
}

export const KAFKA_CLUSTER_DEFAULTS: Omit<KafkaClusterOptions, 'runDir'> = {
  heap: '320m',
  replicationFactor: 3,
  minInsyncReplicas: 2,
  startTimeoutSeconds: 180,
};

export interface Broker {
  host: string;
  nodeId: number;
  address: string;
  /** host:port, as clients bootstrap from it. */
  bootstrap: string;
  config: StackConfig;
  service: ServiceDefinition;
  logFile: string;
}

/** The stack configuration of one host: the defaults (fixed ports: each host has its own), its address and directory. */
export function hostStackConfig(
  address: string,
  runDir: string,
  heap: string,
  startTimeoutSeconds: number,
  memory: Partial<StackConfig['memory']> = {},
): StackConfig {
  const base = loadStackConfig({});
  return { ...base, host: address, runDir, startTimeoutSeconds, memory: { ...base.memory, kafkaHeap: heap, ...memory } };
}

export class KafkaCluster {
  readonly brokers: Broker[];

  constructor(
    private readonly network: HostNetwork,
    hostNames: readonly string[],
    options: KafkaClusterOptions,
  ) {
    const hosts = hostNames.map((name) => network.host(name));
    const clusterId = newClusterId();
    const voters = hosts.map((h, i) => ({ nodeId: i + 1, host: h.address }));
    this.brokers = hosts.map((h, i) => {
      const config = hostStackConfig(h.address, path.join(options.runDir, h.name), options.heap, options.startTimeoutSeconds);
      const node: KafkaClusterNode = {
        nodeId: i + 1,
        voters,
        replicationFactor: options.replicationFactor,
        minInsyncReplicas: options.minInsyncReplicas,
        clusterId,
      };
      const paths = stackPaths(config);
      return {
        host: h.name,
        nodeId: node.nodeId,
        address: h.address,
        bootstrap: `${h.address}:${config.ports.kafka}`,
        config,
        service: kafkaService({ config, paths }, node),
        logFile: paths.logFile('kafka'),
      };
    });
  }

  /** Every broker's host:port: what KAFKA_BOOTSTRAP_SERVERS lists on a real cluster. */
  get bootstrap(): string[] {
    return this.brokers.map((b) => b.bootstrap);
  }

  broker(host: string): Broker {
    const broker = this.brokers.find((b) => b.host === host);
    if (!broker) throw new HostsError(`no broker on host ${host}`);
    return broker;
  }

  /** Starts the brokers (all, or those named) inside their hosts and waits until each answers metadata with a controller. */
  async start(hosts: readonly string[] = this.brokers.map((b) => b.host)): Promise<void> {
    // Prepare (config, storage format) one after the other, then launch together: a KRaft quorum
    // of 3 elects a controller only once a majority runs.
    const launched: { broker: Broker; pid: number }[] = [];
    for (const broker of hosts.map((h) => this.broker(h))) {
      await broker.service.prepare();
      const command = await broker.service.launch();
      const paths = stackPaths(broker.config);
      const pid = spawnDetached({ ...command, logFile: broker.logFile, pidFile: paths.pidFile('kafka'), netns: this.network.host(broker.host).netns });
      launched.push({ broker, pid });
    }
    await Promise.all(launched.map(({ broker, pid }) => this.waitHealthy(broker, pid)));
  }

  /** The running brokers' pids (from their pid files, verified as ours), by host. */
  pids(): Map<string, number> {
    const pids = new Map<string, number>();
    for (const b of this.brokers) {
      const pid = readPid(stackPaths(b.config).pidFile('kafka'));
      if (pid !== undefined && isOurs(pid, b.config.runDir)) pids.set(b.host, pid);
    }
    return pids;
  }

  /** Starts the brokers whose process is not running (a test that failed mid-fault leaves one down). */
  async startStopped(): Promise<string[]> {
    const running = this.pids();
    const stopped = this.brokers.filter((b) => !running.has(b.host));
    if (stopped.length > 0) await this.start(stopped.map((b) => b.host));
    return stopped.map((b) => b.host);
  }

  private async waitHealthy(broker: Broker, pid: number): Promise<void> {
    const deadline = Date.now() + broker.config.startTimeoutSeconds * 1000;
    while (Date.now() < deadline) {
      if (await kafkaMetadataAnswers(broker.bootstrap)) return;
      if (!isAlive(pid))
        throw new HostsError(`broker ${broker.nodeId} on ${broker.bootstrap} exited; its log ${broker.logFile} ends:\n${tailFile(broker.logFile)}`);
      await sleep(1_000);
    }
    throw new HostsError(
      `broker ${broker.nodeId} on ${broker.bootstrap} not healthy after ${broker.config.startTimeoutSeconds}s; its log ${broker.logFile} ends:\n${tailFile(broker.logFile)}`,
    );
  }

  /** SIGKILLs every process on the broker's host: the machine dies. Returns the pids killed. */
  kill(host: string): Promise<number[]> {
    return killHostProcesses(this.network.host(this.broker(host).host).netns);
  }
}

export interface PartitionReplicas {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
}

/** The topic's partitions with their leader, replicas and in-sync replicas, as the cluster reports them. */
export async function describePartitions(bootstrap: readonly string[], topic: string): Promise<PartitionReplicas[]> {
  const admin = new Kafka({
    clientId: 'streamline-hosts',
    brokers: [...bootstrap],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    requestTimeout: 5_000,
    retry: { retries: 2 },
  }).admin();
  await admin.connect();
  try {
    const [meta] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    return (meta?.partitions ?? []).map((p) => ({ partition: p.partitionId, leader: p.leader, replicas: [...p.replicas].sort(), isr: [...p.isr].sort() }));
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Waits (bounded) until broker `nodeId` is in (inIsr) or out of (!inIsr) the ISR of every partition
 * of the topic; resolves to the milliseconds it took.
 */
export async function waitIsrMembership(bootstrap: readonly string[], topic: string, nodeId: number, inIsr: boolean, timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  let last: PartitionReplicas[] = [];
  while (Date.now() - t0 < timeoutMs) {
    try {
      last = await describePartitions(bootstrap, topic);
      if (last.length > 0 && last.every((p) => p.isr.includes(nodeId) === inIsr)) return Date.now() - t0;
    } catch {
      // a broker may be unreachable for a moment; ask again
    }
    await sleep(500);
  }
  throw new HostsError(
    `broker ${nodeId} not ${inIsr ? 'back in' : 'out of'} the ISR of ${topic} after ${timeoutMs / 1000}s: ${last.map((p) => `p${p.partition} isr=[${p.isr.join(',')}]`).join(' ')}`,
  );
}

/** Waits (bounded) until broker `nodeId` is in the ISR of every partition of the topic. */
export function waitInIsr(bootstrap: readonly string[], topic: string, nodeId: number, timeoutMs: number): Promise<number> {
  return waitIsrMembership(bootstrap, topic, nodeId, true, timeoutMs);
}
