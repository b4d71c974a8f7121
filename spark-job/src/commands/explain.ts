// `explain`: the parsed, analyzed, optimized and physical plans of both queries, without starting them
// (PySpark's explain(extended=True)). Needs the server (analysis happens there) but starts nothing.
import type { PipelineConfig, SessionConfig } from '../config.js';
import { buildPipelinePlans } from '../plan.js';
import { openSession } from '../spark-session.js';

export async function explainJob(pipeline: PipelineConfig, session: SessionConfig, print: (line: string) => void): Promise<void> {
  const spark = openSession(session, undefined);
  try {
    const plans = buildPipelinePlans(spark, pipeline);
    for (const plan of [plans.users, plans.quarantine]) {
      print(`==================== ${plan.name} ====================`);
      print(await plan.dataFrame.explain('extended'));
    }
  } finally {
    spark.close();
  }
}
