// Spark standalone master, one worker, and the Spark Connect server (the driver), all from the
// SPARK_HOME of `make jars`: the Spark distribution + the connector set, the image's classpath.
// Command lines come from Spark's own launcher library (the code behind bin/spark-class), so Java
// 17's --add-opens flags and the classpath are exactly what Spark expects.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { masterHasAliveWorker, tcpAnswers } from '../health.js';
import { grpcAnswers } from '../grpc-probe.js';
import { serviceEnv, stackMarker } from '../process.js';
import { pinnedVersions } from '../versions.js';
import { javaBinary, type LaunchCommand, type ServiceContext, type ServiceDefinition } from './types.js';

const run = promisify(execFile);

export const CONNECT_SERVER_CLASS = 'org.apache.spark.sql.connect.service.SparkConnectServer';
export const CONNECT_GUARD_CLASS = 'dev.streamline.connect.LoopbackOnlyInterceptor';

/** Environment every Spark JVM of the stack (and the executors the worker launches) runs with. */
export function sparkEnv(ctx: ServiceContext): Record<string, string> {
  return {
    SPARK_HOME: ctx.paths.sparkHome,
    // Without a distribution's RELEASE file the launcher cannot tell the Scala version by itself.
    SPARK_SCALA_VERSION: pinnedVersions().scalaBinary,
    SPARK_CONF_DIR: confDir(ctx),
    SPARK_LOCAL_IP: ctx.config.host,
    SPARK_LOG_DIR: ctx.paths.logDir,
    SPARK_DAEMON_MEMORY: ctx.config.memory.sparkDaemon,
    SPARK_DAEMON_JAVA_OPTS: stackMarker(ctx.config.runDir),
  };
}

function confDir(ctx: ServiceContext): string {
  return path.join(ctx.paths.serviceDir('spark'), 'conf');
}

/**
 * Where the other Spark services are, for a service that does not share its host with them (the
 * multi-host stack, stack/src/hosts/spark-cluster.ts). Omitted: everything is on the service's own host.
 */
export interface SparkPlacement {
  /** Address of the master's host (its port is the stack's SPARK_MASTER_PORT). */
  masterHost?: string;
  /** What the driver's Cassandra connector connects to (comma-separated hosts). */
  cassandraHosts?: string;
}

export function masterUrl(ctx: ServiceContext, placement: SparkPlacement = {}): string {
  return `spark://${placement.masterHost ?? ctx.config.host}:${ctx.config.ports.sparkMaster}`;
}

const LOG4J2 = `# Written by the streamline stack; edit stack/src/services/spark.ts instead.
rootLogger.level = info
rootLogger.appenderRef.stdout.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex
logger.jetty.name = org.sparkproject.jetty
logger.jetty.level = warn
logger.kafka.name = org.apache.kafka
logger.kafka.level = warn
logger.cassandra.name = com.datastax
logger.cassandra.level = warn
`;

/** spark-defaults.conf: read by spark-submit, i.e. by the Connect server (the driver). */
export function sparkDefaults(ctx: ServiceContext, placement: SparkPlacement = {}): string {
  const { config } = ctx;
  const entries: [string, string | number][] = [
    ['spark.master', masterUrl(ctx, placement)],
    ['spark.driver.host', config.host],
    ['spark.driver.bindAddress', config.host],
    ['spark.ui.port', config.ports.sparkDriverUi],
    ['spark.connect.grpc.binding.port', config.ports.sparkConnect],
    // Spark 3.5's Connect server listens on every interface and has no authentication (it has no
    // binding-address setting): jars/connect-guard refuses every call that is not from loopback.
    ['spark.connect.grpc.interceptor.classes', CONNECT_GUARD_CLASS],
    ['spark.executor.memory', config.memory.sparkExecutor],
    // Executors carry the marker too, so `stack down` can find any that outlive their worker.
    ['spark.executor.extraJavaOptions', stackMarker(config.runDir)],
    ['spark.local.dir', path.join(ctx.paths.serviceDir('spark'), 'tmp')],
    // Two cores: Spark's default of 200 shuffle partitions would mean 200 tiny tasks per batch.
    ['spark.sql.shuffle.partitions', 4],
    ['spark.sql.session.timeZone', 'UTC'],
    ['spark.cassandra.connection.host', placement.cassandraHosts ?? config.host],
    ['spark.cassandra.connection.port', config.ports.cassandra],
    ['spark.cassandra.auth.username', config.cassandra.username],
    ['spark.cassandra.auth.password', config.cassandra.password],
  ];
  return `# Written by the streamline stack; edit stack/src/services/spark.ts instead.\n${entries.map(([k, v]) => `${k} ${v}`).join('\n')}\n`;
}

/** Asks Spark's launcher for the exact java command line of a Spark class (what bin/spark-class does). */
async function launcherCommand(ctx: ServiceContext, className: string, args: string[], overrides: Record<string, string> = {}): Promise<LaunchCommand> {
  const env = { ...sparkEnv(ctx), ...overrides };
  const { stdout } = await run(javaBinary(), ['-Xmx128m', '-cp', `${ctx.paths.sparkJars}/*`, 'org.apache.spark.launcher.Main', className, ...args], {
    env: serviceEnv(env),
    maxBuffer: 16 * 1024 * 1024,
  });
  // NUL-separated, as bin/spark-class reads it; the first field may carry a leading newline.
  const parts = stdout
    .split('\0')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  const [command, ...rest] = parts;
  if (!command) throw new Error(`Spark's launcher printed no command for ${className}`);
  const marker = stackMarker(ctx.config.runDir);
  return { command, args: rest.includes(marker) ? rest : [marker, ...rest], env, cwd: ctx.paths.serviceDir('spark') };
}

function prepareSparkDirs(ctx: ServiceContext, placement: SparkPlacement = {}): void {
  const home = ctx.paths.serviceDir('spark');
  for (const dir of ['conf', 'work', 'tmp']) mkdirSync(path.join(home, dir), { recursive: true });
  writeFileSync(path.join(confDir(ctx), 'log4j2.properties'), LOG4J2);
  writeFileSync(path.join(confDir(ctx), 'spark-defaults.conf'), sparkDefaults(ctx, placement));
}

export function sparkMasterService(ctx: ServiceContext): ServiceDefinition {
  const { config } = ctx;
  return {
    name: 'spark-master',
    description: `Spark master on ${masterUrl(ctx)} (UI http://${config.host}:${config.ports.sparkMasterUi})`,
    ports: [
      { name: 'SPARK_MASTER_PORT', port: config.ports.sparkMaster },
      { name: 'SPARK_MASTER_UI_PORT', port: config.ports.sparkMasterUi },
    ],
    dependsOn: [],
    healthDescription: 'the master port and UI answer',
    prepare: async () => prepareSparkDirs(ctx),
    launch: () =>
      launcherCommand(ctx, 'org.apache.spark.deploy.master.Master', [
        '--host',
        config.host,
        '--port',
        String(config.ports.sparkMaster),
        '--webui-port',
        String(config.ports.sparkMasterUi),
      ]),
    healthy: async () => (await tcpAnswers(config.host, config.ports.sparkMaster)) && tcpAnswers(config.host, config.ports.sparkMasterUi),
  };
}

export function sparkWorkerService(ctx: ServiceContext, placement: SparkPlacement = {}): ServiceDefinition {
  const { config } = ctx;
  return {
    name: 'spark-worker',
    description: `Spark worker, ${config.sparkWorkerCores} cores / ${config.memory.sparkWorker} (UI http://${config.host}:${config.ports.sparkWorkerUi})`,
    ports: [{ name: 'SPARK_WORKER_UI_PORT', port: config.ports.sparkWorkerUi }],
    dependsOn: ['spark-master'],
    healthDescription: 'the master lists an ALIVE worker',
    prepare: async () => prepareSparkDirs(ctx, placement),
    launch: () =>
      launcherCommand(ctx, 'org.apache.spark.deploy.worker.Worker', [
        '--host',
        config.host,
        '--webui-port',
        String(config.ports.sparkWorkerUi),
        '--cores',
        String(config.sparkWorkerCores),
        '--memory',
        config.memory.sparkWorker,
        '--work-dir',
        path.join(ctx.paths.serviceDir('spark'), 'work'),
        masterUrl(ctx, placement),
      ]),
    healthy: () => masterHasAliveWorker(placement.masterHost ?? config.host, config.ports.sparkMasterUi),
  };
}

export function sparkConnectService(ctx: ServiceContext, placement: SparkPlacement = {}): ServiceDefinition {
  const { config } = ctx;
  return {
    name: 'spark-connect',
    description: `Spark Connect server on sc://${config.host}:${config.ports.sparkConnect} (driver UI http://${config.host}:${config.ports.sparkDriverUi})`,
    ports: [
      { name: 'SPARK_CONNECT_PORT', port: config.ports.sparkConnect },
      { name: 'SPARK_DRIVER_UI_PORT', port: config.ports.sparkDriverUi },
    ],
    dependsOn: ['spark-master'],
    healthDescription: 'the gRPC endpoint answers',
    prepare: async () => prepareSparkDirs(ctx, placement),
    launch: () =>
      launcherCommand(
        ctx,
        'org.apache.spark.deploy.SparkSubmit',
        [
          '--class',
          CONNECT_SERVER_CLASS,
          '--name',
          'Spark Connect server',
          '--driver-memory',
          config.memory.sparkDriver,
          '--driver-java-options',
          stackMarker(config.runDir),
          'spark-internal',
          // The launcher sizes the Connect server like a daemon (SPARK_DAEMON_MEMORY), not by --driver-memory.
        ],
        { SPARK_DAEMON_MEMORY: config.memory.sparkDriver },
      ),
    healthy: () => grpcAnswers(config.host, config.ports.sparkConnect),
  };
}
