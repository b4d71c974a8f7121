// Refuses a Spark classpath that cannot work, before any JVM starts, with a message naming the jars.
//
// Mixing _2.12 and _2.13 artifacts (or two Spark versions) is the classic failure of the Python
// tutorials: it only shows up at runtime, deep in an executor, as
// `NoClassDefFoundError: scala/$less$colon$less`. Checking file names up front is cheap and exact.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { errorKind } from '@streamline/core';
import { REPO_ROOT } from './config.js';

/** Artifacts published by Apache Spark itself (org.apache.spark), whose versions must all agree. */
const SPARK_MODULES = new Set([
  'spark-avro',
  'spark-catalyst',
  'spark-common-utils',
  'spark-connect',
  'spark-connect-client-jvm',
  'spark-connect-common',
  'spark-core',
  'spark-ganglia-lgpl',
  'spark-graphx',
  'spark-hadoop-cloud',
  'spark-hive',
  'spark-hive-thriftserver',
  'spark-kubernetes',
  'spark-kvstore',
  'spark-launcher',
  'spark-mllib',
  'spark-mllib-local',
  'spark-network-common',
  'spark-network-shuffle',
  'spark-protobuf',
  'spark-repl',
  'spark-sketch',
  'spark-sql',
  'spark-sql-api',
  'spark-sql-kafka-0-10',
  'spark-streaming',
  'spark-streaming-kafka-0-10',
  'spark-tags',
  'spark-token-provider-kafka-0-10',
  'spark-unsafe',
  'spark-variant',
  'spark-yarn',
]);

/** Jars without which the pipeline cannot run on this cluster (streamline-spark-extensions: jars/spark-extensions, the job's record function and sink). */
export const REQUIRED_ARTIFACTS = ['spark-core', 'spark-connect', 'spark-sql-kafka-0-10', 'spark-cassandra-connector', 'streamline-spark-extensions'];

const SCALA_RUNTIME = /^(scala-library|scala-reflect|scala-compiler)-(\d+\.\d+)\.\d+.*\.jar$/;
const SCALA_SUFFIXED = /^(.+?)_(2\.1[0-9]|3)-(\d[^-]*(?:-[A-Za-z0-9.]+)?)\.jar$/;

export interface JarInfo {
  file: string;
  artifact: string;
  scalaBinary?: string;
  version?: string;
}

export function describeJar(file: string): JarInfo {
  const runtime = SCALA_RUNTIME.exec(file);
  if (runtime) return { file, artifact: runtime[1]!, scalaBinary: runtime[2]! };
  const suffixed = SCALA_SUFFIXED.exec(file);
  if (suffixed) return { file, artifact: suffixed[1]!, scalaBinary: suffixed[2]!, version: suffixed[3]! };
  return { file, artifact: file.replace(/-\d[\w.-]*\.jar$/, '').replace(/\.jar$/, '') };
}

export interface ClasspathExpectation {
  sparkVersion: string;
  scalaBinary: string;
}

export interface PreflightResult {
  ok: boolean;
  problems: string[];
}

/** Pure check over jar file names. */
export function checkSparkClasspath(files: readonly string[], expected: ClasspathExpectation, where = 'the Spark classpath'): PreflightResult {
  const jars = files.filter((f) => f.endsWith('.jar')).map(describeJar);
  const problems: string[] = [];

  const wrongScala = jars.filter((j) => j.scalaBinary !== undefined && j.scalaBinary !== expected.scalaBinary);
  if (wrongScala.length > 0) {
    problems.push(
      `Scala binary versions are mixed on ${where}: everything must be _${expected.scalaBinary}, but these are not: ` +
        `${wrongScala.map((j) => j.file).join(', ')}. Mixed Scala jars fail at runtime with ` +
        `"NoClassDefFoundError: scala/$less$colon$less". Remove them, or change scala.binary.version in jars/pom.xml and run \`make jars\`.`,
    );
  }

  const wrongSpark = jars.filter((j) => SPARK_MODULES.has(j.artifact) && j.version !== undefined && j.version !== expected.sparkVersion);
  if (wrongSpark.length > 0) {
    problems.push(
      `Spark versions are mixed on ${where}: everything must be ${expected.sparkVersion}, but these are not: ` +
        `${wrongSpark.map((j) => j.file).join(', ')}. Remove them, or change spark.version in jars/pom.xml and run \`make jars\`.`,
    );
  }

  const present = new Set(jars.map((j) => j.artifact));
  const missing = REQUIRED_ARTIFACTS.filter((a) => !present.has(a));
  if (missing.length > 0) {
    problems.push(`Required jars are missing from ${where}: ${missing.join(', ')}. Run \`make jars\` to resolve them from Maven Central.`);
  }
  return { ok: problems.length === 0, problems };
}

/** The Spark classpath is incomplete or inconsistent: nothing would start right. */
export class PreflightError extends errorKind({ exitCode: 2, retriable: false }) {}

/** Checks a jars directory on disk; throws PreflightError with every problem found. */
export function assertSparkJarsDir(dir: string, expected: ClasspathExpectation): void {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    throw new PreflightError(`No Spark runtime at ${dir}. Run \`make jars\` to resolve it from Maven Central.`);
  }
  const result = checkSparkClasspath(files, expected, dir);
  if (!result.ok) throw new PreflightError(result.problems.join('\n'));
}

const CLASS_CHECK = path.join(REPO_ROOT, 'jars', 'bin', 'check-connector-classes.sh');

/**
 * Reads the connectors' bytecode (jdeps) and throws PreflightError naming every class they reference
 * that no jar of `classpathDirs` (nor the JDK) provides, with the jar that needs it: the check that
 * would have caught the image's missing com.typesafe:config before any write.
 */
export function assertConnectorClasses(connectorsDir: string, classpathDirs: readonly string[]): string {
  const r = spawnSync('bash', [CLASS_CHECK, connectorsDir, ...classpathDirs], { encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw new PreflightError(`could not run ${CLASS_CHECK}: ${r.error.message}`);
  if (r.status !== 0) {
    const lines = r.stderr
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => l.replace(/^check-connector-classes: /, ''));
    throw new PreflightError(lines.join('\n') || `${CLASS_CHECK} exited with ${r.status}`);
  }
  return r.stdout.trim().replace(/^check-connector-classes: /, '');
}
