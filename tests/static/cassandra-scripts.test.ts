// docker/cassandra/*.sh run here with bash: enable-auth.sh on cassandra.yaml fixtures, init.sh against a
// fake cqlsh that enforces authentication and records what it is asked. No Cassandra, no engine.
import { chmodSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoPath, run } from './tools.js';

const ENABLE_AUTH = repoPath('docker', 'cassandra', 'enable-auth.sh');
const INIT = repoPath('docker', 'cassandra', 'init.sh');
const tmp = (prefix: string): string => mkdtempSync(path.join(tmpdir(), `streamline-${prefix}-`));

// Excerpts of cassandra.yaml: 5.0 writes the authenticator as a class_name block, 4.x as a scalar.
const YAML_50 = `cluster_name: 'Test Cluster'
num_tokens: 16
# Authentication backend, implementing IAuthenticator; used to identify users
authenticator:
  class_name : org.apache.cassandra.auth.AllowAllAuthenticator
# MutualTlsAuthenticator can be configured using the following configuration.
#authenticator:
#  class_name : org.apache.cassandra.auth.MutualTlsAuthenticator
#  parameters :
#    validator_class_name: org.apache.cassandra.auth.SpiffeCertificateValidator

authorizer: AllowAllAuthorizer
role_manager: CassandraRoleManager
`;
const YAML_4X = `cluster_name: 'Test Cluster'
authenticator: AllowAllAuthenticator
authorizer: AllowAllAuthorizer
`;
const YAML_PARAMS = `authenticator:
  class_name: org.apache.cassandra.auth.MutualTlsAuthenticator
  parameters:
    validator_class_name: org.apache.cassandra.auth.SpiffeCertificateValidator
authorizer: AllowAllAuthorizer
`;

function enableAuth(yaml: string): { status: number | null; out: string; stderr: string } {
  const file = path.join(tmp('yaml'), 'cassandra.yaml');
  writeFileSync(file, yaml);
  const r = run('bash', [ENABLE_AUTH, file]);
  return { status: r.status, out: readFileSync(file, 'utf8'), stderr: r.stderr };
}

const authenticatorBlocks = (yaml: string): string[] => [...yaml.matchAll(/^authenticator\s*:.*\n((?:[ \t]+\S.*\n)*)/gm)].map((m) => m[0]);

describe('enable-auth.sh', () => {
  for (const [name, yaml] of [
    ['5.0 class_name block', YAML_50],
    ['4.x scalar', YAML_4X],
    ['block with parameters', YAML_PARAMS],
  ] as const) {
    it(`sets PasswordAuthenticator, once (${name}), and keeps the rest`, () => {
      const r = enableAuth(yaml);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(authenticatorBlocks(r.out)).toEqual(['authenticator:\n  class_name: org.apache.cassandra.auth.PasswordAuthenticator\n']);
      expect(r.out).toContain('authorizer: AllowAllAuthorizer\n');
      const settings = r.out.split('\n').filter((l) => !l.trimStart().startsWith('#'));
      expect(settings.filter((l) => /AllowAllAuthenticator|MutualTlsAuthenticator|validator_class_name|parameters/.test(l))).toEqual([]);
      for (const line of yaml.split('\n').filter((l) => l.startsWith('#') || l.startsWith('cluster_name') || l.startsWith('role_manager'))) {
        expect(r.out).toContain(line);
      }
    });
  }

  it('is idempotent (a restarted container edits the file again)', () => {
    const once = enableAuth(YAML_50).out;
    const twice = enableAuth(once).out;
    expect(authenticatorBlocks(twice)).toEqual(authenticatorBlocks(once));
    expect(twice).toBe(once);
  });

  it('fails clearly without a cassandra.yaml', () => {
    const r = run('bash', [ENABLE_AUTH, '/nonexistent/cassandra.yaml']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/not found/);
  });
});

// A cqlsh that enforces authentication and records its calls (see the fixture's header).
const FAKE_CQLSH = repoPath('tests', 'static', 'fixtures', 'fake-cqlsh.sh');

function initRun(opts: { env?: Record<string, string>; cql?: Record<string, string>; noAuth?: boolean } = {}) {
  const dir = tmp('cassandra-init');
  const bin = path.join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'cqlsh'), readFileSync(FAKE_CQLSH, 'utf8'));
  chmodSync(path.join(bin, 'cqlsh'), 0o755);
  const cqlDir = path.join(dir, 'cql');
  mkdirSync(cqlDir);
  const cql = opts.cql ?? {
    '002_tables.cql': 'CREATE TABLE IF NOT EXISTS spark_streams.created_users (id uuid PRIMARY KEY);\n',
    '001_keyspace.cql': "CREATE KEYSPACE IF NOT EXISTS spark_streams WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};\n",
  };
  for (const [name, text] of Object.entries(cql)) writeFileSync(path.join(cqlDir, name), text);
  const state = path.join(dir, 'roles.tsv');
  writeFileSync(state, 'cassandra\tcassandra\n');
  const log = path.join(dir, 'cqlsh.log');
  writeFileSync(log, '');
  const r = run('bash', [INIT], {
    env: {
      PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
      CQL_DIR: cqlDir,
      CASSANDRA_INIT_TRIES: '1',
      FAKE_STATE: state,
      FAKE_LOG: log,
      FAKE_NO_AUTH: opts.noAuth ? '1' : '0',
      ...opts.env,
    },
  });
  return { ...r, log: readFileSync(log, 'utf8'), roles: readFileSync(state, 'utf8') };
}

describe('init.sh (cassandra-init)', () => {
  it('with the default credentials: checks auth is enforced, applies cql/*.cql in lexical order', () => {
    const r = initRun();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('authentication is enforced');
    expect(r.log).toMatch(/CALL u= e=SELECT/); // the anonymous attempt
    const files = [...r.log.matchAll(/^FILE (\S+) AS (\S+)$/gm)].map((m) => `${m[1]}:${m[2]}`);
    expect(files).toEqual(['001_keyspace.cql:cassandra', '002_tables.cql:cassandra']);
    expect(r.roles).toBe('cassandra\tcassandra\n');
  });

  it('creates the configured user (quotes escaped) and applies the files as that user, keyspace renamed', () => {
    const r = initRun({ env: { CASSANDRA_USERNAME: 'etl', CASSANDRA_PASSWORD: "pa'ss word", CASSANDRA_KEYSPACE: 'users_ks' } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.log).toContain("CREATE ROLE IF NOT EXISTS 'etl' WITH PASSWORD = 'pa''ss word' AND LOGIN = true;");
    expect(r.roles).toContain("etl\tpa'ss word\n");
    expect(r.log).toMatch(/FILE \S+\.cql AS etl\nCREATE KEYSPACE IF NOT EXISTS users_ks WITH/);
    expect(r.log).toContain('CREATE TABLE IF NOT EXISTS users_ks.created_users');
    expect(r.log).not.toMatch(/^CREATE.*spark_streams/m);
  });

  it('changes the admin password when the configured user is the admin with another password', () => {
    const r = initRun({ env: { CASSANDRA_PASSWORD: 'n3w' } });
    expect(r.status).toBe(0);
    expect(r.roles).toBe('cassandra\tn3w\n');
  });

  it('fails when Cassandra lets anonymous clients in (authentication not really enabled)', () => {
    const r = initRun({ noAuth: true });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/authentication is NOT enabled/);
  });

  it('fails with a clear message without *.cql files, or with a bad keyspace name', () => {
    let r = initRun({ cql: {} });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no \*\.cql files/);
    r = initRun({ env: { CASSANDRA_KEYSPACE: 'x; DROP' } });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/not a valid keyspace name/);
  });

  it('fails with a clear message when no credentials work', () => {
    const r = initRun({ env: { CASSANDRA_ADMIN_PASSWORD: 'wrong', CASSANDRA_PASSWORD: 'wrong' } });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cannot log in/);
  });
});
