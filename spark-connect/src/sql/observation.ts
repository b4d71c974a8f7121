// PySpark's Observation: named aggregate metrics computed while an action runs over a DataFrame,
// `df.observe(obs, count(lit(1)).alias('rows'))`, read after the action with `obs.get`. The plan
// carries a CollectMetrics node; the server sends the metrics back in the ExecutePlan response of any
// action whose plan contains that node (collect, count, show, toArrow, a write...). Before sending a
// plan the session looks in it for the CollectMetrics nodes of Observations (`observationsIn`) and
// hands each the metrics of its name (session.ts). The link is a WeakMap from the node: an Observation
// lives as long as a DataFrame whose plan holds it, as in PySpark.
import { randomUUID } from 'node:crypto';
import type { ExecutePlanResponse_ObservedMetrics } from '../gen/spark/connect/base_pb.js';
import type { Expression } from '../gen/spark/connect/expressions_pb.js';
import type { Value } from './arrow.js';
import { fromLiteral } from './literal.js';
import { visitMessages } from './plan-walk.js';

export class Observation {
  #name: string | undefined;
  #result: Record<string, Value> | undefined;
  /** The alias of each metric, as sent: the names when the server sends none (Spark 3.5). */
  #aliases: (string | undefined)[] = [];

  /** `name`: the metrics' name in the plan (and in streaming progress); a random UUID by default. */
  constructor(name?: string) {
    if (name === '') throw new RangeError('Observation(): the name must be a non-empty string');
    this.#name = name;
  }

  /** The name, once given or once the Observation is used by `observe()`. */
  get name(): string | undefined {
    return this.#name;
  }

  /**
   * The metrics, by name, of the last action run over the observed DataFrame (empty before one ran):
   * the metric's alias, or the server's name for it (Spark 4.0), or `observed_metric_<i>` (an
   * unaliased metric on Spark 3.5, which sends values without names).
   */
  get get(): Readonly<Record<string, Value>> {
    if (this.#result === undefined) throw new Error('Observation.get: use the Observation in df.observe() and run an action first');
    return { ...this.#result };
  }

  /**
   * Binds this Observation to the metrics of one DataFrame (`DataFrame.observe` calls it); returns the
   * name to put in the plan. One Observation observes one DataFrame, as in PySpark.
   */
  bind(metrics: readonly Expression[]): string {
    if (this.#result !== undefined) throw new Error('An Observation can observe only one DataFrame: create a new Observation');
    this.#name ??= randomUUID();
    this.#result = {};
    this.#aliases = metrics.map((m) => (m.exprType.case === 'alias' && m.exprType.value.name.length === 1 ? m.exprType.value.name[0] : undefined));
    return this.#name;
  }

  /** Takes the metrics of an ExecutePlan response (the session routes them here by name). */
  deliver(metrics: ExecutePlanResponse_ObservedMetrics): void {
    if (this.#result === undefined) return;
    metrics.values.forEach((v, i) => {
      const key = metrics.keys[i] ?? this.#aliases[i] ?? `observed_metric_${i}`;
      (this.#result as Record<string, Value>)[key] = fromLiteral(v);
    });
  }
}

/** CollectMetrics message of a plan -> the Observation that `observe()` bound to it. */
const BOUND = new WeakMap<object, Observation>();

/** Links the CollectMetrics node `observe()` built to its Observation. */
export function registerObservation(collectMetrics: object, observation: Observation): void {
  BOUND.set(collectMetrics, observation);
}

/** The Observations whose metrics an execution of `plan` returns, by name. Pure. */
export function observationsIn(plan: unknown): Map<string, Observation> {
  const found = new Map<string, Observation>();
  visitMessages(plan, (m) => {
    const o = m.$typeName === 'spark.connect.CollectMetrics' ? BOUND.get(m) : undefined;
    if (o?.name !== undefined) found.set(o.name, o);
    return false;
  });
  return found;
}
