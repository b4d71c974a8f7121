// Where things live: the jars (build outputs of `make jars`: SPARK_HOME = the Spark distribution + the
// connector set) and the run directory.
import path from 'node:path';
import type { StackConfig } from './config.js';

export interface StackPaths {
  jarsTarget: string;
  sparkHome: string;
  sparkJars: string;
  /** The connector set added to the Spark distribution (jars/bin/derive-connectors.sh). */
  connectors: string;
  kafkaLibs: string;
  cassandraLibs: string;
  /** PostgreSQL's binaries (bin/, lib/, share/), unpacked from Maven Central by `make jars`. */
  postgresHome: string;
  /** The project's Python virtualenv (Airflow, cqlsh, PySpark). */
  venvBin: string;
  runDir: string;
  pidDir: string;
  logDir: string;
  serviceDir: (service: string) => string;
  logFile: (service: string) => string;
  pidFile: (service: string) => string;
}

export function stackPaths(config: StackConfig): StackPaths {
  const jarsTarget = path.join(config.repoRoot, 'jars', 'target');
  const sparkHome = path.join(jarsTarget, 'spark-home');
  const pidDir = path.join(config.runDir, 'pids');
  const logDir = path.join(config.runDir, 'logs');
  return {
    jarsTarget,
    sparkHome,
    sparkJars: path.join(sparkHome, 'jars'),
    connectors: path.join(jarsTarget, 'connectors'),
    kafkaLibs: path.join(jarsTarget, 'kafka', 'libs'),
    cassandraLibs: path.join(jarsTarget, 'cassandra', 'lib'),
    postgresHome: path.join(jarsTarget, 'postgres', 'dist'),
    venvBin: path.join(config.repoRoot, '.venv', 'bin'),
    runDir: config.runDir,
    pidDir,
    logDir,
    serviceDir: (service) => path.join(config.runDir, service),
    logFile: (service) => path.join(logDir, `${service}.log`),
    pidFile: (service) => path.join(pidDir, `${service}.pid`),
  };
}
