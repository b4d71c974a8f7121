// Unit tests (no root, no service): the configuration a broker gets on a host, and the host plan.
import { describe, expect, it } from 'vitest';
import { stackPaths } from '../paths.js';
import { kafkaServerProperties } from '../services/kafka.js';
import { hostStackConfig } from './kafka-cluster.js';
import { HOSTS_PREFIX, HostNetwork } from './netns.js';

function properties(text: string): Map<string, string> {
  return new Map(
    text
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as [string, string]),
  );
}

describe('a Kafka broker on a host', () => {
  const voters = [
    { nodeId: 1, host: '10.231.0.11' },
    { nodeId: 2, host: '10.231.0.12' },
    { nodeId: 3, host: '10.231.0.13' },
  ];
  const config = hostStackConfig('10.231.0.12', '/tmp/x/k2', '320m', 60);
  const ctx = { config, paths: stackPaths(config) };
  const node = { nodeId: 2, voters, replicationFactor: 3, minInsyncReplicas: 2, clusterId: 'abc' };
  const props = properties(kafkaServerProperties(ctx, '/tmp/x/k2/kafka/data', node));

  it('advertises and listens on its own host address, never localhost', () => {
    expect(props.get('advertised.listeners')).toBe('PLAINTEXT://10.231.0.12:9092');
    expect(props.get('listeners')).toBe('PLAINTEXT://10.231.0.12:9092,CONTROLLER://10.231.0.12:9093');
    expect([...props.values()].join(' ')).not.toMatch(/127\.0\.0\.1|localhost/);
  });

  it('carries its node id and the whole quorum', () => {
    expect(props.get('node.id')).toBe('2');
    expect(props.get('controller.quorum.voters')).toBe('1@10.231.0.11:9093,2@10.231.0.12:9093,3@10.231.0.13:9093');
  });

  it('replicates internal topics and enforces min.insync.replicas as configured', () => {
    expect(props.get('offsets.topic.replication.factor')).toBe('3');
    expect(props.get('default.replication.factor')).toBe('3');
    expect(props.get('min.insync.replicas')).toBe('2');
    expect(props.get('transaction.state.log.min.isr')).toBe('2');
  });

  it('keeps the single-host broker as it was: node 1, a quorum of itself, no replication', () => {
    const single = properties(kafkaServerProperties(ctx, '/tmp/d'));
    expect(single.get('node.id')).toBe('1');
    expect(single.get('controller.quorum.voters')).toBe('1@10.231.0.12:9093');
    expect(single.get('offsets.topic.replication.factor')).toBe('1');
    expect(single.has('min.insync.replicas')).toBe(false);
  });

  it('lives in its own run directory', () => {
    expect(ctx.paths.serviceDir('kafka')).toBe('/tmp/x/k2/kafka');
    expect(ctx.paths.pidFile('kafka').startsWith('/tmp/x/k2/')).toBe(true);
  });
});

describe('the host plan', () => {
  const network = new HostNetwork(['k1', 'k2', 'k3']);

  it('gives each host its own address on the subnet, and the bridge the gateway', () => {
    expect(network.hosts.map((h) => h.address)).toEqual(['10.231.0.11', '10.231.0.12', '10.231.0.13']);
    expect(network.gateway).toBe('10.231.0.1');
  });

  it('names everything with the prefix, within Linux interface name limits', () => {
    for (const h of network.hosts) {
      for (const name of [h.netns, h.vethOnBridge, h.vethInHost]) {
        expect(name.startsWith(HOSTS_PREFIX)).toBe(true);
        expect(name.length).toBeLessThanOrEqual(15);
      }
    }
  });

  it('refuses names that would not fit or a bridge a sweep would not find', () => {
    expect(() => new HostNetwork(['toolongname'])).toThrow(/1-6 lower-case/);
    expect(() => new HostNetwork(['k1'], { bridge: 'br0', subnet: '10.231.0' })).toThrow(/must start with/);
  });
});
