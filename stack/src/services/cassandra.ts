// Cassandra 5.0 from the cassandra-all artifact, with PasswordAuthenticator on and a modest heap.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import cassandra from 'cassandra-driver';
import { cqlAnswers } from '../health.js';
import { stackMarker } from '../process.js';
import { javaBinary, type ServiceContext, type ServiceDefinition } from './types.js';

/** The superuser Cassandra creates on first start with PasswordAuthenticator. */
export const DEFAULT_CASSANDRA_CREDENTIALS = { username: 'cassandra', password: 'cassandra' } as const;

/** One node of a multi-node ring (stack/src/hosts): the seed nodes' addresses. Absent for the single-host stack. */
export interface CassandraClusterNode {
  seeds: readonly string[];
}

export function cassandraYaml(ctx: ServiceContext, home: string, node?: CassandraClusterNode): string {
  const { host, ports } = ctx.config;
  const seeds = (node?.seeds ?? [host]).map((seed) => `${seed}:${ports.cassandraStorage}`).join(',');
  const dir = (name: string): string => path.join(home, name);
  return `# Written by the streamline stack on every start; edit stack/src/services/cassandra.ts instead.
cluster_name: streamline
num_tokens: 16
allocate_tokens_for_local_replication_factor: 1
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
authenticator: PasswordAuthenticator
authorizer: CassandraAuthorizer
role_manager: CassandraRoleManager
data_file_directories:
  - ${dir('data')}
commitlog_directory: ${dir('commitlog')}
saved_caches_directory: ${dir('saved_caches')}
hints_directory: ${dir('hints')}
cdc_raw_directory: ${dir('cdc_raw')}
commitlog_sync: periodic
commitlog_sync_period: 10000ms
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "${seeds}"
listen_address: ${host}
rpc_address: ${host}
storage_port: ${ports.cassandraStorage}
native_transport_port: ${ports.cassandra}
start_native_transport: true
endpoint_snitch: SimpleSnitch
# Tests and benchmarks create and drop keyspaces by the hundred: a snapshot of each dropped one (the
# default) kept all its data on disk for good (30 GB after a day of runs) and made every drop flush
# first, in the middle of whatever ran next.
auto_snapshot: false
# One node, small machine: keep background work light.
concurrent_compactors: 1
compaction_throughput: 64MiB/s
# Streaming writes arrive in batches grouped by partition key from Spark.
batch_size_warn_threshold: 64KiB
batch_size_fail_threshold: 640KiB
`;
}

const LOGBACK = `<configuration scan="false">
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="STDOUT" /></root>
  <logger name="org.apache.cassandra" level="INFO"/>
</configuration>
`;

/** Java 17 module flags Cassandra 5.0 ships in its jvm17-server.options (it needs JDK internals). */
const JAVA17_FLAGS = [
  '-Djdk.attach.allowAttachSelf=true',
  '--add-exports',
  'java.base/jdk.internal.misc=ALL-UNNAMED',
  '--add-exports',
  'java.base/jdk.internal.ref=ALL-UNNAMED',
  '--add-exports',
  'java.base/sun.nio.ch=ALL-UNNAMED',
  '--add-exports',
  'java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED',
  '--add-exports',
  'java.rmi/sun.rmi.registry=ALL-UNNAMED',
  '--add-exports',
  'java.rmi/sun.rmi.server=ALL-UNNAMED',
  '--add-exports',
  'java.sql/java.sql=ALL-UNNAMED',
  '--add-exports',
  'java.base/java.lang.ref=ALL-UNNAMED',
  '--add-exports',
  'jdk.unsupported/sun.misc=ALL-UNNAMED',
  '--add-opens',
  'java.base/java.lang.module=ALL-UNNAMED',
  '--add-opens',
  'java.base/jdk.internal.loader=ALL-UNNAMED',
  '--add-opens',
  'java.base/jdk.internal.ref=ALL-UNNAMED',
  '--add-opens',
  'java.base/jdk.internal.reflect=ALL-UNNAMED',
  '--add-opens',
  'java.base/jdk.internal.math=ALL-UNNAMED',
  '--add-opens',
  'java.base/jdk.internal.module=ALL-UNNAMED',
  '--add-opens',
  'java.base/jdk.internal.util.jar=ALL-UNNAMED',
  '--add-opens',
  'java.base/jdk.internal.misc=ALL-UNNAMED',
  '--add-opens',
  'jdk.management/com.sun.management.internal=ALL-UNNAMED',
  '--add-opens',
  'java.base/sun.nio.ch=ALL-UNNAMED',
  '--add-opens',
  'java.base/java.io=ALL-UNNAMED',
  '--add-opens',
  'java.base/java.nio=ALL-UNNAMED',
  '--add-opens',
  'java.base/java.util.concurrent=ALL-UNNAMED',
  '--add-opens',
  'java.base/java.util=ALL-UNNAMED',
  '--add-opens',
  'java.base/java.util.concurrent.atomic=ALL-UNNAMED',
  '--add-opens',
  'java.base/java.lang=ALL-UNNAMED',
  '--add-opens',
  'java.base/java.math=ALL-UNNAMED',
  '--add-opens',
  'java.base/java.lang.reflect=ALL-UNNAMED',
  '--add-opens',
  'java.base/java.net=ALL-UNNAMED',
];

function jammJar(libDir: string): string | undefined {
  return readdirSync(libDir).find((f) => /^jamm-[\d.]+\.jar$/.test(f));
}

/** Creates the configured login role when it is not Cassandra's built-in superuser. */
async function ensureRole(host: string, port: number, username: string, password: string): Promise<void> {
  const client = new cassandra.Client({
    contactPoints: [`${host}:${port}`],
    localDataCenter: 'datacenter1',
    authProvider: new cassandra.auth.PlainTextAuthProvider(DEFAULT_CASSANDRA_CREDENTIALS.username, DEFAULT_CASSANDRA_CREDENTIALS.password),
  });
  try {
    await client.connect();
    // The role name was validated as an identifier by loadStackConfig; the password is a bound value.
    await client.execute(`CREATE ROLE IF NOT EXISTS "${username}" WITH PASSWORD = ? AND LOGIN = true AND SUPERUSER = true`, [password], { prepare: false });
  } finally {
    await client.shutdown();
  }
}

export function cassandraService(ctx: ServiceContext, node?: CassandraClusterNode): ServiceDefinition {
  const { config, paths } = ctx;
  const home = paths.serviceDir('cassandra');
  const yamlFile = path.join(home, 'cassandra.yaml');
  const logbackFile = path.join(home, 'logback.xml');
  const { host } = config;
  const port = config.ports.cassandra;
  const custom = config.cassandra.username !== DEFAULT_CASSANDRA_CREDENTIALS.username;

  return {
    name: 'cassandra',
    description: `Cassandra on ${host}:${port} (PasswordAuthenticator)`,
    ports: [
      { name: 'CASSANDRA_PORT', port },
      { name: 'CASSANDRA_STORAGE_PORT', port: config.ports.cassandraStorage },
    ],
    dependsOn: [],
    healthDescription: `a CQL query as user "${config.cassandra.username}" succeeds`,
    async prepare() {
      for (const dir of ['data', 'commitlog', 'saved_caches', 'hints', 'cdc_raw', 'logs']) {
        mkdirSync(path.join(home, dir), { recursive: true });
      }
      writeFileSync(yamlFile, cassandraYaml(ctx, home, node));
      writeFileSync(logbackFile, LOGBACK);
    },
    async launch() {
      const jamm = jammJar(paths.cassandraLibs);
      return {
        command: javaBinary(),
        args: [
          stackMarker(config.runDir),
          `-Xms${config.memory.cassandraHeap}`,
          `-Xmx${config.memory.cassandraHeap}`,
          '-XX:+UseG1GC',
          '-XX:MaxGCPauseMillis=300',
          '-Xss512k',
          '-XX:+PerfDisableSharedMem',
          ...JAVA17_FLAGS,
          ...(jamm ? [`-javaagent:${path.join(paths.cassandraLibs, jamm)}`] : []),
          '-Dcassandra-foreground=yes',
          `-Dcassandra.config=file://${yamlFile}`,
          `-Dcassandra.storagedir=${home}`,
          `-Dcassandra.logdir=${path.join(home, 'logs')}`,
          `-Dlogback.configurationFile=${logbackFile}`,
          // One node: nothing to gossip with, and the default superuser should exist at once.
          '-Dcassandra.skip_wait_for_gossip_to_settle=0',
          '-Dcassandra.superuser_setup_delay_ms=0',
          '-cp',
          `${paths.cassandraLibs}/*`,
          'org.apache.cassandra.service.CassandraDaemon',
        ],
        cwd: home,
      };
    },
    async healthy() {
      if (await cqlAnswers(host, port, config.cassandra)) return true;
      // A custom user does not exist until afterHealthy() creates it with the built-in superuser.
      return custom && cqlAnswers(host, port, DEFAULT_CASSANDRA_CREDENTIALS);
    },
    async afterHealthy() {
      if (custom) await ensureRole(host, port, config.cassandra.username, config.cassandra.password);
    },
  };
}
