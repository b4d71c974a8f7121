// Task time of the Spark Connect server's application, from its monitoring REST API (the driver UI):
// the executor CPU and run time Spark itself accounts to the stages of our queries. Unlike the CPU
// of the executor process, it leaves out other applications on the same worker, GC and JIT threads,
// so it is the fairest "Spark time" of a query on a machine shared with other work.
import { setTimeout as sleep } from 'node:timers/promises';

export interface TaskTime {
  /** Sum of executorCpuTime over the stages, ms. */
  cpuMs: number;
  /** Sum of executorRunTime over the stages, ms. */
  runMs: number;
  stages: number;
}

interface StageJson {
  stageId: number;
  attemptId: number;
  status: string;
  executorRunTime: number;
  executorCpuTime: number;
}

export class SparkTaskClock {
  private constructor(
    private readonly base: string,
    private readonly seen: Set<string>,
  ) {}

  /** The Connect server's application on the driver UI (SPARK_DRIVER_UI_PORT, default 4040). */
  static async open(uiUrl = `http://127.0.0.1:${process.env.SPARK_DRIVER_UI_PORT || 4040}`): Promise<SparkTaskClock> {
    const apps = (await getJson(`${uiUrl}/api/v1/applications`)) as { id: string; name: string }[];
    const app = apps.find((a) => a.name.includes('Connect')) ?? apps[0];
    if (app === undefined) throw new Error(`no Spark application on ${uiUrl} (is the Spark Connect server up? SPARK_DRIVER_UI_PORT)`);
    const clock = new SparkTaskClock(`${uiUrl}/api/v1/applications/${app.id}`, new Set());
    await clock.mark();
    return clock;
  }

  /** Counts every stage known so far as seen: the next since() reports only later ones. */
  async mark(): Promise<void> {
    for (const s of await this.stages()) this.seen.add(key(s));
  }

  private async stages(): Promise<StageJson[]> {
    return (await getJson(`${this.base}/stages?details=false`)) as StageJson[];
  }

  /**
   * Task time of the stages that appeared since the last call (at least one: call it after a query).
   * The status store is fed by the listener bus after the job returned: waits (bounded) until some
   * new stages are there, none of them running, and the same set twice in a row.
   */
  async since(): Promise<TaskTime> {
    const deadline = Date.now() + 10_000;
    let previous = '';
    for (;;) {
      const fresh = (await this.stages()).filter((s) => !this.seen.has(key(s)));
      const settled = fresh.length > 0 && fresh.every((s) => s.status !== 'ACTIVE' && s.status !== 'PENDING');
      const now = fresh.map(key).sort().join(',');
      if ((settled && now === previous) || Date.now() > deadline) {
        for (const s of fresh) this.seen.add(key(s));
        return {
          cpuMs: fresh.reduce((sum, s) => sum + s.executorCpuTime / 1e6, 0),
          runMs: fresh.reduce((sum, s) => sum + s.executorRunTime, 0),
          stages: fresh.length,
        };
      }
      previous = settled ? now : '';
      await sleep(150);
    }
  }
}

const key = (s: StageJson): string => `${s.stageId}.${s.attemptId}`;

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return response.json();
}
