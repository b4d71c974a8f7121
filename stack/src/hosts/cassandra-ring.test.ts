// Unit test (no root, no service): the configuration a Cassandra node gets on a host.
import { describe, expect, it } from 'vitest';
import { stackPaths } from '../paths.js';
import { cassandraYaml } from '../services/cassandra.js';
import { hostStackConfig } from './kafka-cluster.js';

describe('a Cassandra node on a host', () => {
  const config = hostStackConfig('10.231.0.12', '/tmp/x/c2', '256m', 60, { cassandraHeap: '512m' });
  const ctx = { config, paths: stackPaths(config) };

  it('listens, serves CQL and gossips on its own address, and joins the ring through the seeds', () => {
    const yaml = cassandraYaml(ctx, '/tmp/x/c2/cassandra', { seeds: ['10.231.0.11'] });
    expect(yaml).toMatch(/^listen_address: 10\.231\.0\.12$/m);
    expect(yaml).toMatch(/^rpc_address: 10\.231\.0\.12$/m);
    expect(yaml).toContain('- seeds: "10.231.0.11:7000"');
    expect(yaml).not.toMatch(/127\.0\.0\.1|localhost/);
  });

  it('keeps the single-host node its own seed', () => {
    expect(cassandraYaml(ctx, '/tmp/d')).toContain('- seeds: "10.231.0.12:7000"');
  });
});
