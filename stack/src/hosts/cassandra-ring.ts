// A Cassandra ring across hosts: the single-host stack's Cassandra service definition
// (services/cassandra.ts), run once per host with that host's address (listen, rpc and hence broadcast
// address), its own run directory and the ring's seeds. Nodes join one at a time, as Cassandra requires.
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StackConfig } from '../config.js';
import { cqlAnswers } from '../health.js';
import { stackPaths } from '../paths.js';
import { isAlive, isOurs, readPid, spawnDetached, tailFile } from '../process.js';
import { cassandraService } from '../services/cassandra.js';
import type { ServiceDefinition } from '../services/types.js';
import { HostsError } from './errors.js';
import { hostStackConfig } from './kafka-cluster.js';
import { killHostProcesses, type HostNetwork } from './netns.js';

export interface CassandraRingOptions {
  runDir: string;
  heap: string;
  startTimeoutSeconds: number;
}

export interface CassandraNode {
  host: string;
  address: string;
  /** host:port of its CQL endpoint. */
  contactPoint: string;
  config: StackConfig;
  service: ServiceDefinition;
  logFile: string;
}

/**
 * A joining node waits ring_delay (30 s by default) for gossip to settle; on a private bridge with two
 * nodes a few seconds are plenty.
 */
const JOIN_FLAGS = ['-Dcassandra.ring_delay_ms=5000'];

/**
 * Logins and permission checks read system_auth at LOCAL_QUORUM by default (Cassandra 4.1+): on a ring
 * of 2 that needs both nodes, so losing one would refuse every request, whatever its consistency. A
 * real 2-node ring needs the same setting (or 3 nodes). Appended to the yaml the service writes.
 */
const RING_YAML = '\n# Added by stack/src/hosts: a ring of 2 must authenticate with one node down.\nauth_read_consistency_level: LOCAL_ONE\n';

export class CassandraRing {
  readonly nodes: CassandraNode[];

  constructor(
    private readonly network: HostNetwork,
    hostNames: readonly string[],
    options: CassandraRingOptions,
  ) {
    const hosts = hostNames.map((name) => network.host(name));
    // The first node is the seed: it starts the ring, the others join it.
    const seeds = [hosts[0]!.address];
    this.nodes = hosts.map((h) => {
      const config = hostStackConfig(h.address, path.join(options.runDir, h.name), '256m', options.startTimeoutSeconds, { cassandraHeap: options.heap });
      const paths = stackPaths(config);
      return {
        host: h.name,
        address: h.address,
        contactPoint: `${h.address}:${config.ports.cassandra}`,
        config,
        service: cassandraService({ config, paths }, { seeds }),
        logFile: paths.logFile('cassandra'),
      };
    });
  }

  get contactPoints(): string[] {
    return this.nodes.map((n) => n.contactPoint);
  }

  node(host: string): CassandraNode {
    const node = this.nodes.find((n) => n.host === host);
    if (!node) throw new HostsError(`no Cassandra node on host ${host}`);
    return node;
  }

  /** Starts the nodes (all, or those named), one after the other, each once the previous answers CQL. */
  async start(hosts: readonly string[] = this.nodes.map((n) => n.host)): Promise<void> {
    for (const node of hosts.map((h) => this.node(h))) {
      await node.service.prepare();
      appendFileSync(path.join(stackPaths(node.config).serviceDir('cassandra'), 'cassandra.yaml'), RING_YAML);
      const command = await node.service.launch();
      const cp = command.args.indexOf('-cp');
      const args = [...command.args.slice(0, cp), ...JOIN_FLAGS, ...command.args.slice(cp)];
      const pid = spawnDetached({
        ...command,
        args,
        logFile: node.logFile,
        pidFile: stackPaths(node.config).pidFile('cassandra'),
        netns: this.network.host(node.host).netns,
      });
      await this.waitHealthy(node, pid);
      await node.service.afterHealthy?.();
    }
  }

  private async waitHealthy(node: CassandraNode, pid: number): Promise<void> {
    const deadline = Date.now() + node.config.startTimeoutSeconds * 1000;
    while (Date.now() < deadline) {
      if (await cqlAnswers(node.address, node.config.ports.cassandra, node.config.cassandra)) return;
      if (!isAlive(pid)) throw new HostsError(`Cassandra on ${node.contactPoint} exited; its log ${node.logFile} ends:\n${tailFile(node.logFile)}`);
      await sleep(2_000);
    }
    throw new HostsError(
      `Cassandra on ${node.contactPoint} not answering CQL after ${node.config.startTimeoutSeconds}s; its log ${node.logFile} ends:\n${tailFile(node.logFile)}`,
    );
  }

  pids(): Map<string, number> {
    const pids = new Map<string, number>();
    for (const n of this.nodes) {
      const pid = readPid(stackPaths(n.config).pidFile('cassandra'));
      if (pid !== undefined && isOurs(pid, n.config.runDir)) pids.set(n.host, pid);
    }
    return pids;
  }

  /** Starts the nodes whose process is not running. */
  async startStopped(): Promise<string[]> {
    const running = this.pids();
    const stopped = this.nodes.filter((n) => !running.has(n.host)).map((n) => n.host);
    if (stopped.length > 0) await this.start(stopped);
    return stopped;
  }

  /** SIGKILLs every process on the node's host. */
  kill(host: string): Promise<number[]> {
    return killHostProcesses(this.network.host(this.node(host).host).netns);
  }
}
