// Runs the tutorials' PySpark job (pyspark_job.py) the way its users do: `spark-submit` from the
// PySpark of PyPI (the project's virtualenv), in client mode against the stack's Spark master, with the
// same connector jars the stack derives. The benchmarks compare our job against it.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@streamline/core';
import { recordStructDdl } from '@streamline/record';

export interface PySparkJobOptions {
  /** spark://host:port of the stack's master. */
  master: string;
  bootstrapServers: string;
  topic: string;
  keyspace: string;
  table: string;
  checkpoint: string;
  cassandra: { host: string; port: number; username: string; password: string };
  /** A processing-time trigger ("2 seconds"); unset: the tutorials' default (as fast as possible). */
  trigger?: string;
  executorMemory?: string;
  driverMemory?: string;
  log?: (line: string) => void;
}

export interface PySparkJob {
  /** Resolves when the streaming query has started (the script printed STARTED). */
  readonly started: Promise<void>;
  /** Rows the query reported read so far (the sum of numInputRows over its batches). */
  rowsRead(): number;
  /** Stops the query and the session cleanly; resolves when spark-submit has exited. */
  stop(): Promise<number | null>;
}

const SCRIPT = path.join(REPO_ROOT, 'bench', 'anchor', 'pyspark_job.py');
const SPARK_SUBMIT = path.join(REPO_ROOT, '.venv', 'bin', 'spark-submit');

/**
 * The connector jars (Kafka source, Cassandra sink and their closure) that the stack derives against the
 * Spark distribution, minus the Connect server: what a tutorial user passes with --packages.
 */
function connectorJars(): string {
  const dir = path.join(REPO_ROOT, 'jars', 'target', 'connectors');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jar') && !name.startsWith('spark-connect_'))
    .map((name) => path.join(dir, name))
    .join(',');
}

export function startPySparkJob(options: PySparkJobOptions): PySparkJob {
  const log = options.log ?? (() => undefined);
  const { cassandra } = options;
  const conf: Record<string, string> = {
    'spark.executor.memory': options.executorMemory ?? '1g',
    'spark.sql.shuffle.partitions': '4',
    'spark.sql.session.timeZone': 'UTC',
    'spark.cassandra.connection.host': cassandra.host,
    'spark.cassandra.connection.port': String(cassandra.port),
    'spark.cassandra.auth.username': cassandra.username,
    'spark.cassandra.auth.password': cassandra.password,
    'spark.ui.enabled': 'false',
  };
  const args = [
    '--master',
    options.master,
    '--driver-memory',
    options.driverMemory ?? '1g',
    '--jars',
    connectorJars(),
    ...Object.entries(conf).flatMap(([k, v]) => ['--conf', `${k}=${v}`]),
    SCRIPT,
    options.bootstrapServers,
    options.topic,
    recordStructDdl(),
    options.keyspace,
    options.table,
    options.checkpoint,
    ...(options.trigger ? [options.trigger] : []),
  ];
  // The PySpark distribution of the virtualenv, not the stack's SPARK_HOME: what `pip install pyspark` gives.
  const env: NodeJS.ProcessEnv = { ...process.env, PYSPARK_PYTHON: path.join(REPO_ROOT, '.venv', 'bin', 'python') };
  delete env.SPARK_HOME;
  delete env.SPARK_REMOTE;
  const child: ChildProcess = spawn(SPARK_SUBMIT, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let rows = 0;
  let stderrTail = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const started = new Promise<void>((resolve, reject) => {
    child.stdout!.setEncoding('utf8');
    let buffered = '';
    child.stdout!.on('data', (chunk: string) => {
      buffered += chunk;
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        if (line.startsWith('STARTED ')) resolve();
        else if (line.startsWith('PROGRESS ')) rows += Number(line.split(' ')[2] ?? 0);
        if (line !== '') log(`[pyspark] ${line}`);
      }
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-4_000);
    });
    void exited.then((code) => reject(new Error(`the PySpark job exited (code ${code}) before its query started:\n${stderrTail}`)));
  });
  started.catch(() => undefined);
  return {
    started,
    rowsRead: () => rows,
    stop: async () => {
      if (child.exitCode === null) child.stdin!.end('stop\n');
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
