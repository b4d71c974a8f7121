// One end-to-end test's own pipeline: its topic, keyspace, checkpoints, query names and saved session,
// so test files never share state with each other or with a developer's `make submit`.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipelineDefaults, sessionDefaults, toPipelineConfig, type PipelineConfig, type RunningJob, type SessionConfig } from '@streamline/spark-job';
import type cassandra from 'cassandra-driver';
import { deleteTopics } from '../../support/kafka.js';

export interface IsolatedPipeline {
  run: string;
  topic: string;
  keyspace: string;
  scratch: string;
  pipeline: PipelineConfig;
  session: SessionConfig;
}

/** `prefix` names everything the test creates: `<prefix>-<run>` topic, `<prefix>_<run>` keyspace. */
export function isolatedPipeline(prefix: string): IsolatedPipeline {
  const run = randomUUID().replaceAll('-', '').slice(0, 10);
  const topic = `${prefix}-${run}`;
  const keyspace = `${prefix}_${run}`;
  const scratch = mkdtempSync(path.join(tmpdir(), `streamline-${prefix}-`));
  const pipeline = toPipelineConfig({
    ...pipelineDefaults(process.env),
    topic,
    keyspace,
    checkpointLocation: path.join(scratch, 'checkpoints'),
    trigger: '1 second',
    queryNamePrefix: `${prefix}_${run}_`,
  });
  const session: SessionConfig = { ...sessionDefaults(process.env), stateFile: path.join(scratch, 'session.json') };
  return { run, topic, keyspace, scratch, pipeline, session };
}

/** What every e2e file does last: stop its job, drop its keyspace and topic, close its clients. */
export async function releasePipeline(p: IsolatedPipeline, db: cassandra.Client, job: RunningJob | undefined): Promise<void> {
  if (job) {
    await job.stop().catch(() => undefined);
    job.close();
  }
  await db.execute(`DROP KEYSPACE IF EXISTS ${p.keyspace}`).catch(() => undefined);
  await db.shutdown();
  await deleteTopics([p.topic]);
}
