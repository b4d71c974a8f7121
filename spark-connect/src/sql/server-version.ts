// Methods that need a Spark 4.0 server. The protocol code is generated from Spark 4.0's .proto files,
// a superset of 3.5's, so a plan can hold messages or fields a 3.5 server does not know. Such a server
// would not refuse them cleanly: an unknown field is dropped (a try_cast would silently become a
// cast), an unknown enum value or relation fails deep in the planner. So before a plan is sent, the
// client looks for those parts and, when one is there, compares with the server's version (asked
// once per session): an older server gets an UnsupportedServerVersionError naming the method.
import { Aggregate_GroupType } from '../gen/spark/connect/relations_pb.js';
import { Expression_Cast_EvalMode } from '../gen/spark/connect/expressions_pb.js';
import { visitMessages, type VisitedMessage } from './plan-walk.js';

export interface Requirement {
  /** The method, as the error names it: `groupingSets()`. */
  feature: string;
  /** `major.minor` */
  version: string;
}

type Check = (m: VisitedMessage) => Requirement | undefined;

const SPARK_4_0 = '4.0';

/** By protobuf type name: what makes a message of that type need a newer server. */
const CHECKS: ReadonlyMap<string, Check> = new Map<string, Check>([
  ['spark.connect.Aggregate', (m) => (m['groupType'] === Aggregate_GroupType.GROUPING_SETS ? { feature: 'groupingSets()', version: SPARK_4_0 } : undefined)],
  ['spark.connect.Transpose', () => ({ feature: 'transpose()', version: SPARK_4_0 })],
  [
    'spark.connect.Expression.Cast',
    (m) =>
      m['evalMode'] !== undefined && m['evalMode'] !== Expression_Cast_EvalMode.UNSPECIFIED ? { feature: 'Column.tryCast()', version: SPARK_4_0 } : undefined,
  ],
  ['spark.connect.Expression.UnresolvedAttribute', (m) => (m['isMetadataColumn'] === true ? { feature: 'metadataColumn()', version: SPARK_4_0 } : undefined)],
  ['spark.connect.CheckpointCommand', (m) => ({ feature: m['local'] === true ? 'localCheckpoint()' : 'checkpoint()', version: SPARK_4_0 })],
]);

/** The first part of a message (a plan, a command, an AnalyzePlan request) that needs a newer server. Pure. */
export function requiredServerVersion(message: unknown): Requirement | undefined {
  let found: Requirement | undefined;
  visitMessages(message, (m) => {
    found = CHECKS.get(m.$typeName)?.(m);
    return found !== undefined;
  });
  return found;
}

/** True when `version` (e.g. `3.5.7`) is at least `required` (`major.minor`). */
export function versionAtLeast(version: string, required: string): boolean {
  const [a = 0, b = 0] = version.split('.').map((p) => Number.parseInt(p, 10));
  const [x = 0, y = 0] = required.split('.').map((p) => Number.parseInt(p, 10));
  return a !== x ? a > x : b >= y;
}
