// Hosts on one machine: Linux network namespaces joined by veth pairs to one private bridge. Each
// namespace is a "host" with its own address (and its own loopback), so services in different hosts
// talk over real interfaces, as on a cluster, and a link can be cut with `ip link set <veth> down`.
//
// Everything this module creates is named with one prefix (HOSTS_PREFIX), so a sweep can remove what
// an earlier, crashed run left behind without ever touching anything else on the machine.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { HostsError } from './errors.js';

/** Prefix of every namespace and link we create. Short: Linux interface names have 15 characters at most. */
export const HOSTS_PREFIX = 'slh-';

export interface NetworkSpec {
  /** The bridge's name (prefixed with HOSTS_PREFIX). */
  bridge: string;
  /** The first three octets of a /24, e.g. "10.231.0": the bridge is .1, hosts .11, .12, … */
  subnet: string;
}

export const DEFAULT_NETWORK: NetworkSpec = { bridge: `${HOSTS_PREFIX}br0`, subnet: '10.231.0' };

export interface Host {
  /** Short name, e.g. "k1"; the namespace is HOSTS_PREFIX + name. */
  name: string;
  netns: string;
  address: string;
  /** The veth end on the bridge (in the root namespace): setting it down cuts the host's link. */
  vethOnBridge: string;
  /** The veth end inside the host. */
  vethInHost: string;
}

function ip(args: readonly string[], timeoutMs = 10_000): string {
  try {
    return execFileSync('ip', args, { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new HostsError(`ip ${args.join(' ')} failed: ${stderr || (err as Error).message}`);
  }
}

function tryIp(args: readonly string[]): boolean {
  try {
    ip(args);
    return true;
  } catch {
    return false;
  }
}

/**
 * Why hosts cannot be made here (not root, no `ip`, namespaces refused), or undefined if they can.
 * Probes by creating and deleting one namespace, the only reliable test.
 */
export function hostsUnsupportedReason(): string | undefined {
  if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'network namespaces need root (run as uid 0, or in a container with CAP_NET_ADMIN and CAP_SYS_ADMIN)';
  const probe = `${HOSTS_PREFIX}probe`;
  try {
    tryIp(['netns', 'delete', probe]);
    ip(['netns', 'add', probe]);
    ip(['netns', 'delete', probe]);
    return undefined;
  } catch (err) {
    return `network namespaces cannot be created here: ${(err as Error).message}`;
  }
}

function ourNamespaces(): string[] {
  let out: string;
  try {
    out = ip(['netns', 'list']);
  } catch {
    return [];
  }
  // Lines look like "slh-k1 (id: 3)" or just "slh-k1".
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name.startsWith(HOSTS_PREFIX));
}

function ourLinks(): string[] {
  return ip(['-o', 'link', 'show'])
    .split('\n')
    .map((line) => /^\d+:\s+([^:@\s]+)/.exec(line)?.[1] ?? '')
    .filter((name) => name.startsWith(HOSTS_PREFIX));
}

/** Pids of the processes running in a namespace (`ip netns pids`). */
export function pidsIn(netns: string): number[] {
  try {
    return ip(['netns', 'pids', netns])
      .split('\n')
      .map((s) => Number(s.trim()))
      .filter((n) => Number.isInteger(n) && n > 0);
  } catch {
    return [];
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * SIGKILLs every process in the namespace — a host losing power — and waits (bounded) until they are
 * gone. Returns the pids killed.
 */
export async function killHostProcesses(netns: string, timeoutMs = 15_000): Promise<number[]> {
  const pids = pidsIn(netns);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + timeoutMs;
  while (pids.some(alive)) {
    if (Date.now() > deadline) throw new HostsError(`processes ${pids.filter(alive).join(',')} in ${netns} still alive ${timeoutMs / 1000}s after SIGKILL`);
    await sleep(100);
  }
  return pids;
}

/**
 * Removes every namespace (after killing what runs in it) and link carrying HOSTS_PREFIX: what this
 * module made, now or in an earlier run that crashed. Returns what it removed, for the log.
 */
export async function sweepHosts(): Promise<string[]> {
  const removed: string[] = [];
  for (const ns of ourNamespaces()) {
    await killHostProcesses(ns);
    // Deleting a namespace also deletes the veth end inside it, and with it the peer on the bridge.
    if (tryIp(['netns', 'delete', ns])) removed.push(`netns ${ns}`);
  }
  for (const link of ourLinks()) {
    if (tryIp(['link', 'delete', link])) removed.push(`link ${link}`);
  }
  return removed;
}

/**
 * A private network of hosts: create() makes the bridge and one namespace per name, destroy() removes
 * all of it, including the processes running inside.
 */
export class HostNetwork {
  readonly hosts: Host[];

  constructor(
    names: readonly string[],
    readonly spec: NetworkSpec = DEFAULT_NETWORK,
  ) {
    if (!spec.bridge.startsWith(HOSTS_PREFIX)) throw new HostsError(`bridge ${spec.bridge} must start with ${HOSTS_PREFIX} so that sweeps find it`);
    if (names.length > 200) throw new HostsError(`${names.length} hosts do not fit a /24 from .11`);
    this.hosts = names.map((name, i) => {
      if (!/^[a-z0-9]{1,6}$/.test(name)) throw new HostsError(`host name ${name} must be 1-6 lower-case letters or digits (interface names are short)`);
      const netns = `${HOSTS_PREFIX}${name}`;
      return { name, netns, address: `${spec.subnet}.${11 + i}`, vethOnBridge: `${netns}-b`, vethInHost: `${netns}-h` };
    });
  }

  /** The root namespace's address on the bridge: where the tests (producer, consumers) talk from. */
  get gateway(): string {
    return `${this.spec.subnet}.1`;
  }

  host(name: string): Host {
    const host = this.hosts.find((h) => h.name === name);
    if (!host) throw new HostsError(`no host ${name} (hosts: ${this.hosts.map((h) => h.name).join(', ')})`);
    return host;
  }

  /** Refuses a subnet already routed on this machine: we use only addresses we create. */
  private assertSubnetFree(): void {
    const routes = ip(['-4', 'route', 'show']);
    const taken = routes.split('\n').find((line) => line.startsWith(`${this.spec.subnet}.`) && !line.includes(this.spec.bridge));
    if (taken) throw new HostsError(`subnet ${this.spec.subnet}.0/24 is already in use here (${taken.trim()}); pick another`);
  }

  create(): void {
    this.assertSubnetFree();
    const { bridge } = this.spec;
    ip(['link', 'add', bridge, 'type', 'bridge']);
    ip(['addr', 'add', `${this.gateway}/24`, 'dev', bridge]);
    ip(['link', 'set', bridge, 'up']);
    for (const h of this.hosts) {
      ip(['netns', 'add', h.netns]);
      ip(['netns', 'exec', h.netns, 'ip', 'link', 'set', 'lo', 'up']);
      ip(['link', 'add', h.vethOnBridge, 'type', 'veth', 'peer', 'name', h.vethInHost]);
      ip(['link', 'set', h.vethInHost, 'netns', h.netns]);
      ip(['link', 'set', h.vethOnBridge, 'master', bridge]);
      ip(['link', 'set', h.vethOnBridge, 'up']);
      ip(['netns', 'exec', h.netns, 'ip', 'addr', 'add', `${h.address}/24`, 'dev', h.vethInHost]);
      ip(['netns', 'exec', h.netns, 'ip', 'link', 'set', h.vethInHost, 'up']);
      // Everything else (the other hosts, the tests) is reached through the bridge.
      ip(['netns', 'exec', h.netns, 'ip', 'route', 'add', 'default', 'via', this.gateway]);
    }
  }

  /** Cuts (false) or restores (true) a host's link, as pulling its cable at the switch would. */
  setLink(name: string, up: boolean): void {
    ip(['link', 'set', this.host(name).vethOnBridge, up ? 'up' : 'down']);
  }

  /** Runs a short command inside a host and returns its stdout. */
  exec(name: string, command: string, args: readonly string[], timeoutMs = 10_000): string {
    return ip(['netns', 'exec', this.host(name).netns, command, ...args], timeoutMs);
  }

  /** Kills every process in every host, then removes the namespaces and the bridge. Idempotent. */
  async destroy(): Promise<void> {
    for (const h of this.hosts) {
      await killHostProcesses(h.netns);
      tryIp(['netns', 'delete', h.netns]);
      tryIp(['link', 'delete', h.vethOnBridge]);
    }
    tryIp(['link', 'delete', this.spec.bridge]);
  }
}
