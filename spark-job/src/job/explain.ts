// The parsed, analyzed, optimized and physical plans of the query, without starting it (PySpark's
// explain(extended=True)). Needs the server (analysis happens there) but starts nothing.
import type { PipelineConfig, SessionConfig } from '../config.js';
import { buildPipelinePlan } from '../plan.js';
import { registerRecordFunction } from '../record-function.js';
import { openSession } from '../spark-session.js';

export interface QueryPlanText {
  readonly name: string;
  readonly plan: string;
}

export async function explainJob(pipeline: PipelineConfig, session: SessionConfig): Promise<QueryPlanText[]> {
  const spark = openSession(session, undefined);
  try {
    await registerRecordFunction(spark);
    const plan = buildPipelinePlan(spark, pipeline);
    return [{ name: plan.name, plan: await plan.dataFrame.explain('extended') }];
  } finally {
    spark.close();
  }
}
