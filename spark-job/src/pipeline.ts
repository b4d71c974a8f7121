// The job as a library: what the CLI, the demo, the benchmarks and the tests all use. A Pipeline is a
// validated configuration (the Kafka topic, the Cassandra tables, the checkpoints) and the Spark Connect
// session it runs in; its methods are the job's four commands.
import type { Env } from '@streamline/core';
import { pipelineDefaults, sessionDefaults, toPipelineConfig, type PipelineConfig, type RawPipelineOptions, type SessionConfig } from './config.js';
import { explainJob, type QueryPlanText } from './job/explain.js';
import type { LineSink, RunningJob } from './job/running-job.js';
import { startJob } from './job/start.js';
import { jobStatus, type JobStatus } from './job/status.js';
import { stopJob, type StopResult } from './job/stop.js';

export interface PipelineOptions {
  /** Where progress lines go (default: nowhere). */
  readonly log?: LineSink;
}

export interface SubmitOptions {
  /** How long to watch freshly started queries for an immediate failure (default 20 s; 0: do not wait). */
  readonly startupCheckMs?: number;
}

export class Pipeline {
  private readonly log: LineSink;

  constructor(
    readonly config: PipelineConfig,
    readonly session: SessionConfig,
    options: PipelineOptions = {},
  ) {
    this.log = options.log ?? (() => undefined);
  }

  /** The pipeline the environment describes (the documented variables, then the defaults), with overrides. */
  static fromEnv(
    env: Env,
    overrides: { pipeline?: Partial<RawPipelineOptions>; session?: Partial<SessionConfig> } = {},
    options: PipelineOptions = {},
  ): Pipeline {
    const config = toPipelineConfig({ ...pipelineDefaults(env), ...overrides.pipeline });
    return new Pipeline(config, { ...sessionDefaults(env), ...overrides.session }, options);
  }

  /** Provisions the topic and the schema, starts the query and returns once it runs. */
  submit(options: SubmitOptions = {}): Promise<RunningJob> {
    return startJob(this.config, this.session, { startupCheckMs: options.startupCheckMs ?? 20_000 }, this.log);
  }

  /** The queries of the job's session; undefined when no job was submitted from here. */
  status(): Promise<JobStatus | undefined> {
    return jobStatus(this.session);
  }

  /** Stops the job's queries from any process (checkpoints are kept: the next submit resumes). */
  stop(): Promise<StopResult> {
    return stopJob(this.session, this.log);
  }

  /** The extended plans of the query, without starting it. */
  explain(): Promise<QueryPlanText[]> {
    return explainJob(this.config, this.session);
  }
}
