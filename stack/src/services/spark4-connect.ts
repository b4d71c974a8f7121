// A minimal Spark 4.0 Connect server, for the client's compatibility tests only: one local-mode JVM
// (driver and executor in one, `local[2]`) on the classpath `make spark4-jars` resolves from Maven
// Central into jars/target/spark4/jars. Optional: not part of `stack up`; `stack up --group spark4`,
// `make spark4-up`, or a test that asks for it (tests/support/spark4.ts) starts it. The pipeline stays on
// Spark 3.5 (the Cassandra connector has no Spark 4 release).
//
// The command line comes from Spark 4's own launcher library (as for the 3.5 services in spark.ts), so
// its Java 17 --add-opens flags are exactly what that Spark version expects.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { grpcAnswers } from '../grpc-probe.js';
import { PreflightError } from '../preflight.js';
import { serviceEnv, stackMarker } from '../process.js';
import { javaBinary, type LaunchCommand, type ServiceContext, type ServiceDefinition } from './types.js';

const run = promisify(execFile);

/** Spark 4's default Connect port is 15002 too; 15012 keeps both servers side by side. */
export const SPARK4_CONNECT_DEFAULT_PORT = 15012;
const CONNECT_SERVER_CLASS = 'org.apache.spark.sql.connect.service.SparkConnectServer';

export interface Spark4Settings {
  port: number;
  /** The JVM heap of the one process; 768m holds the compatibility suite's small DataFrames. */
  memory: string;
}

/** SPARK4_CONNECT_PORT / SPARK4_CONNECT_MEMORY override the defaults (validated here: the lead owns config.ts). */
export function spark4Settings(env: NodeJS.ProcessEnv = process.env): Spark4Settings {
  const rawPort = env['SPARK4_CONNECT_PORT'] ?? String(SPARK4_CONNECT_DEFAULT_PORT);
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new PreflightError(`SPARK4_CONNECT_PORT=${rawPort} is not a TCP port (1-65535)`);
  }
  const memory = env['SPARK4_CONNECT_MEMORY'] ?? '768m';
  if (!/^\d+[mg]$/i.test(memory)) throw new PreflightError(`SPARK4_CONNECT_MEMORY=${memory} is not a JVM memory size (expected e.g. 768m or 1g)`);
  return { port, memory };
}

/** SPARK_HOME of the Spark 4 server: `jars/` under it is the Maven-resolved closure. */
export function spark4Home(ctx: ServiceContext): string {
  return path.join(ctx.paths.jarsTarget, 'spark4');
}

export function spark4Remote(ctx: ServiceContext, settings: Spark4Settings = spark4Settings()): string {
  return `sc://${ctx.config.host}:${settings.port}`;
}

/** Refuses to start without the resolved jars, naming the command that resolves them. */
export function spark4Preflight(ctx: ServiceContext): void {
  const jars = path.join(spark4Home(ctx), 'jars');
  if (!existsSync(path.join(jars, 'spark-connect_2.13-4.0.1.jar'))) {
    throw new PreflightError(`No Spark 4.0.1 Connect jars at ${jars}. Run \`make spark4-jars\` to resolve them from Maven Central.`);
  }
}

const LOG4J2 = `# Written by the streamline stack; edit stack/src/services/spark4-connect.ts instead.
rootLogger.level = warn
rootLogger.appenderRef.stdout.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex
logger.connect.name = org.apache.spark.sql.connect.service.SparkConnectServer
logger.connect.level = info
`;

function spark4Defaults(ctx: ServiceContext, settings: Spark4Settings, dir: string): string {
  const { host } = ctx.config;
  const entries: [string, string | number][] = [
    ['spark.master', 'local[2]'],
    ['spark.driver.host', host],
    ['spark.driver.bindAddress', host],
    ['spark.connect.grpc.binding.port', settings.port],
    // Spark 4 can bind loopback only (3.5 cannot: it needs jars/connect-guard).
    ['spark.connect.grpc.binding.address', host],
    // No UI: nobody looks at it, and it would want a port of its own next to the 3.5 driver's 4040.
    ['spark.ui.enabled', 'false'],
    ['spark.local.dir', path.join(dir, 'tmp')],
    ['spark.sql.warehouse.dir', path.join(dir, 'warehouse')],
    // Where DataFrame.checkpoint() writes (Spark 4 reads it at start; without it checkpoint() fails).
    ['spark.checkpoint.dir', path.join(dir, 'checkpoints')],
    ['spark.sql.shuffle.partitions', 2],
    ['spark.sql.session.timeZone', 'UTC'],
  ];
  return `# Written by the streamline stack; edit stack/src/services/spark4-connect.ts instead.\n${entries.map(([k, v]) => `${k} ${v}`).join('\n')}\n`;
}

export function spark4ConnectService(ctx: ServiceContext, settings: Spark4Settings = spark4Settings()): ServiceDefinition {
  const { config } = ctx;
  const dir = ctx.paths.serviceDir('spark4');
  const conf = path.join(dir, 'conf');
  const home = spark4Home(ctx);
  const env: Record<string, string> = {
    SPARK_HOME: home,
    // The Maven closure has no RELEASE file from which the launcher could tell the Scala version.
    SPARK_SCALA_VERSION: '2.13',
    SPARK_CONF_DIR: conf,
    SPARK_LOCAL_IP: config.host,
    SPARK_LOG_DIR: ctx.paths.logDir,
  };
  return {
    name: 'spark4-connect',
    description: `Spark 4.0.1 Connect server (local[2], tests only) on ${spark4Remote(ctx, settings)}`,
    ports: [{ name: 'SPARK4_CONNECT_PORT', port: settings.port }],
    dependsOn: [],
    healthDescription: 'the gRPC endpoint answers',
    prepare: async () => {
      spark4Preflight(ctx);
      for (const d of [conf, path.join(dir, 'tmp'), path.join(dir, 'warehouse'), path.join(dir, 'checkpoints')]) mkdirSync(d, { recursive: true });
      writeFileSync(path.join(conf, 'log4j2.properties'), LOG4J2);
      writeFileSync(path.join(conf, 'spark-defaults.conf'), spark4Defaults(ctx, settings, dir));
    },
    launch: async (): Promise<LaunchCommand> => {
      const marker = stackMarker(config.runDir);
      const { stdout } = await run(
        javaBinary(),
        [
          '-Xmx128m',
          '-cp',
          `${home}/jars/*`,
          'org.apache.spark.launcher.Main',
          'org.apache.spark.deploy.SparkSubmit',
          '--class',
          CONNECT_SERVER_CLASS,
          '--name',
          'Spark 4 Connect server',
          '--driver-memory',
          settings.memory,
          '--driver-java-options',
          marker,
          'spark-internal',
        ],
        { env: serviceEnv(env), maxBuffer: 16 * 1024 * 1024 },
      );
      // NUL-separated, as bin/spark-class reads it.
      const [command, ...args] = stdout
        .split('\0')
        .map((p) => p.trim())
        .filter((p) => p.length > 0);
      if (!command) throw new Error("Spark 4's launcher printed no command for the Connect server");
      return { command, args: args.includes(marker) ? args : [marker, ...args], env, cwd: dir };
    },
    healthy: () => grpcAnswers(config.host, settings.port),
  };
}
