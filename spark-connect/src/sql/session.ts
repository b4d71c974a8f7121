// SparkSession: the entry point, shaped like PySpark's (builder, sql, range, table, readStream,
// streams, conf, version). Creating one performs no I/O; the first action opens the connection.
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import {
  PlanSchema,
  type ConfigRequest_OperationSchema,
  type ConfigResponse,
  type AnalyzePlanRequestSchema,
  type AnalyzePlanResponse,
  type ExecutePlanResponse,
  type Plan,
} from '../gen/spark/connect/base_pb.js';
import { CommandSchema, type Command } from '../gen/spark/connect/commands_pb.js';
import type { Relation, SQLSchema } from '../gen/spark/connect/relations_pb.js';
import { SparkConnectClient, type ClientOptions } from '../client/client.js';
import { isUuid, parseConnectionString, resolveRemote } from '../client/connection-string.js';
import type { ExecuteOptions } from '../client/execute.js';
import type { Value } from './arrow.js';
import { literal, type LiteralValue } from './column.js';
import { encodeLocalRows } from './local-data.js';
import { isSqlQuery } from './sql-kind.js';
import type { StructType } from './types.js';
import { Catalog } from './catalog.js';
import { UDFRegistration } from './udf.js';
import { RuntimeConfig } from './conf.js';
import { DataFrame } from './dataframe.js';
import { DataFrameReader } from './reader.js';
import { DataStreamReader, StreamingQueryManager } from './streaming.js';
import { observationsIn } from './observation.js';
import { requiredServerVersion, versionAtLeast } from './server-version.js';
import { UnsupportedServerVersionError } from '../client/errors.js';

export class SparkSessionBuilder {
  private remoteUrl: string | undefined;
  private sid: string | undefined;
  private uid: string | undefined;
  private readonly confs: Record<string, string> = {};
  private headers: Record<string, string> = {};

  /** `sc://host:port/;params`. Defaults to `SPARK_REMOTE`, then `sc://localhost:15002`. */
  remote(url: string): this {
    this.remoteUrl = url;
    return this;
  }

  /**
   * Join an existing server-side session (a UUID): its temp views and *streaming queries* are
   * visible. Use the same user id as the process that created it.
   */
  sessionId(id: string): this {
    if (!isUuid(id)) throw new Error(`sessionId must be a UUID, got '${id}'`);
    this.sid = id;
    return this;
  }

  userId(id: string): this {
    this.uid = id;
    return this;
  }

  /** A Spark SQL conf applied (with one Config RPC) before the session's first action. */
  config(key: string, value: string | number | boolean): this {
    this.confs[key] = String(value);
    return this;
  }

  header(name: string, value: string): this {
    this.headers = { ...this.headers, [name]: value };
    return this;
  }

  /** Always a new SparkSession object (with a new session id unless one was given). */
  create(): SparkSession {
    const remote = resolveRemote(this.remoteUrl);
    const opts: ClientOptions = {
      ...(this.sid !== undefined ? { sessionId: this.sid } : {}),
      ...(this.uid !== undefined ? { userId: this.uid } : {}),
      headers: this.headers,
    };
    const session = new SparkSession(new SparkConnectClient(parseConnectionString(remote), opts), this.confs);
    SparkSession.active = session;
    return session;
  }

  /**
   * The active session if it is the same server-side session this builder describes, else a new
   * one. "Same" compares what the server sees, not the URL's spelling: host (case-insensitive), port
   * (15002 when omitted), TLS, and user id / session id when the builder or the URL names them;
   * parameter order and extra parameters do not matter. Builder confs are queued on a reused session
   * too (applied before its next action), never dropped. No I/O either way.
   */
  getOrCreate(): SparkSession {
    const a = SparkSession.active;
    const c = parseConnectionString(resolveRemote(this.remoteUrl));
    const sid = this.sid ?? c.sessionId;
    const uid = this.uid ?? c.userId;
    const ac = a?.client.connection;
    if (
      a &&
      ac &&
      !a.isStopped &&
      ac.host.toLowerCase() === c.host.toLowerCase() &&
      ac.port === c.port &&
      ac.useSsl === c.useSsl &&
      (sid === undefined || a.sessionId === sid) &&
      (uid === undefined || a.userId === uid)
    ) {
      a.queueConf(this.confs);
      return a;
    }
    return this.create();
  }
}

export class SparkSession {
  /** The session most recently created by a builder. */
  static active: SparkSession | undefined;

  static builder(): SparkSessionBuilder {
    return new SparkSessionBuilder();
  }

  /** The session most recently created by a builder and not stopped (PySpark's `getActiveSession()`). */
  static getActiveSession(): SparkSession | undefined {
    return SparkSession.active;
  }

  readonly client: SparkConnectClient;
  readonly conf: RuntimeConfig;
  readonly streams: StreamingQueryManager;
  private planIdCounter = 0n;
  private pendingConf: Record<string, string>;
  /** The chain of eager SQL commands (sql() of a command), in call order. */
  private commands: Promise<void> = Promise.resolve();
  private commandFailure: { error: unknown } | undefined;
  private inFlight = 0;
  private stopped = false;
  private initializing: Promise<void> | undefined;
  private cachedVersion: Promise<string> | undefined;
  private readonly tags = new Set<string>();

  constructor(client: SparkConnectClient, initialConf: Record<string, string> = {}) {
    this.client = client;
    this.conf = new RuntimeConfig(this);
    this.streams = new StreamingQueryManager(this);
    this.pendingConf = { ...initialConf };
  }

  /** The server-side session id (a UUID). Persist it to reconnect from another process. */
  get sessionId(): string {
    return this.client.sessionId;
  }

  get userId(): string {
    return this.client.userContext.userId;
  }

  /** The connection string this session was built from (token not included). */
  get remote(): string {
    const c = this.client.connection;
    return `sc://${c.host}:${c.port}`;
  }

  get isStopped(): boolean {
    return this.stopped || this.client.isClosed;
  }

  /** Plan ids are per session and only need to be unique within a plan. */
  nextPlanId(): bigint {
    return this.planIdCounter++;
  }

  // ---- DataFrame sources (pure) ----

  /**
   * A DataFrame for a SQL statement. As in PySpark, a query (SELECT, WITH, VALUES, TABLE, FROM…) is
   * lazy: run by the first action. A command (CREATE, INSERT, CACHE, SET, DROP…) runs now, once, as
   * an ExecutePlan of a SqlCommand; the DataFrame returned then holds the command's result, so its
   * actions never run the command again. Commands and later actions of this session run in call
   * order; a failed command throws from the next action (the DataFrame's or any other). Named
   * parameters (`:name`) or positional ones (`?`) are bound as literals.
   */
  sql(query: string, args?: Readonly<Record<string, LiteralValue>> | readonly LiteralValue[]): DataFrame {
    const value: MessageInitShape<typeof SQLSchema> = { query };
    if (Array.isArray(args)) value.posArgs = args.map((a) => literal(a as LiteralValue));
    else if (args) value.args = Object.fromEntries(Object.entries(args as Record<string, LiteralValue>).map(([k, v]) => [k, literal(v)]));
    const relation = DataFrame.newRelation(this, { case: 'sql', value });
    if (!isSqlQuery(query)) this.runCommandNow(relation);
    return new DataFrame(this, relation);
  }

  /**
   * Starts the SqlCommand of `relation` after the commands before it, and swaps the relation's
   * content for the server's result (a LocalRelation, or the query) once it arrives. DataFrames
   * built on it share the object, so they see the result too.
   */
  private runCommandNow(relation: Relation): void {
    const sqlValue = relation.relType.case === 'sql' ? relation.relType.value : undefined;
    if (!sqlValue) return;
    const command = create(CommandSchema, {
      commandType: { case: 'sqlCommand', value: { sql: sqlValue.query, args: sqlValue.args, posArgs: sqlValue.posArgs } },
    });
    this.inFlight++;
    // The tags of the call, not of when the command's turn comes.
    const options: ExecuteOptions = this.tags.size > 0 ? { tags: [...this.tags] } : {};
    const run = this.commands.then(async () => {
      await this.ready();
      for await (const r of this.client.execute(create(PlanSchema, { opType: { case: 'command', value: command } }), options)) {
        if (r.responseType.case === 'sqlCommandResult' && r.responseType.value.relation) {
          relation.relType = r.responseType.value.relation.relType;
        }
      }
    });
    this.commands = run
      .catch((e: unknown) => {
        this.commandFailure = { error: e };
      })
      .finally(() => {
        this.inFlight--;
      });
  }

  /** Waits for eager commands; throws (once) the failure of one no action has reported yet. */
  private async settled(): Promise<void> {
    await this.commands;
    const f = this.commandFailure;
    if (f) {
      this.commandFailure = undefined;
      throw f.error;
    }
  }

  /** `range(end)` or `range(start, end, step, numPartitions)`, a single `id` BIGINT column. */
  range(start: number | bigint, end?: number | bigint, step: number | bigint = 1, numPartitions?: number): DataFrame {
    const [s, e] = end === undefined ? [0n, BigInt(start)] : [BigInt(start), BigInt(end)];
    return new DataFrame(
      this,
      DataFrame.newRelation(this, {
        case: 'range',
        value: { start: s, end: e, step: BigInt(step), ...(numPartitions !== undefined ? { numPartitions } : {}) },
      }),
    );
  }

  /**
   * A DataFrame from local rows (objects keyed by field name) with an explicit schema. The rows are
   * sent inline as Arrow (fine for tests and small lookups, not for bulk data). Pure.
   */
  createDataFrame(rows: readonly Readonly<Record<string, Value>>[], schema: StructType): DataFrame {
    return new DataFrame(this, DataFrame.newRelation(this, { case: 'localRelation', value: { data: encodeLocalRows(rows, schema), schema: schema.json() } }));
  }

  table(name: string): DataFrame {
    return new DataFrame(this, DataFrame.newRelation(this, { case: 'read', value: { readType: { case: 'namedTable', value: { unparsedIdentifier: name } } } }));
  }

  /** PySpark's `spark.catalog`: databases, tables, columns, functions, temp views and caching. */
  get catalog(): Catalog {
    return new Catalog(this);
  }

  /** PySpark's `spark.udf`: registers JVM functions (Java UDFs and UDAFs by class name) for this session. */
  get udf(): UDFRegistration {
    return new UDFRegistration(this);
  }

  /** Batch sources: `spark.read.format('org.apache.spark.sql.cassandra').options({...}).load()`. */
  get read(): DataFrameReader {
    return new DataFrameReader(this);
  }

  /** Streaming sources: `spark.readStream.format('kafka').option(...).load()`. */
  get readStream(): DataStreamReader {
    return new DataStreamReader(this);
  }

  // ---- I/O ----

  /** The server's Spark version, e.g. `3.5.7`. */
  async version(): Promise<string> {
    const r = await this.analyze({ case: 'sparkVersion', value: {} });
    return r.case === 'sparkVersion' ? r.value.version : '';
  }

  /** Confs to apply (one Config RPC) before the next action: builder confs, also on reuse. */
  queueConf(confs: Readonly<Record<string, string>>): void {
    Object.assign(this.pendingConf, confs);
  }

  /**
   * Applies queued confs before the next action. The queue is taken before the RPC: a conf the server
   * rejects fails that one action (with the server's error) and is not retried by every later one.
   */
  private async ready(): Promise<void> {
    if (this.initializing) await this.initializing.catch(() => undefined);
    if (Object.keys(this.pendingConf).length === 0) return;
    const pairs = Object.entries(this.pendingConf).map(([key, value]) => ({ key, value }));
    this.pendingConf = {};
    const applying = this.client.config({ case: 'set', value: { pairs } }).then(() => undefined);
    this.initializing = applying;
    try {
      await applying;
    } finally {
      if (this.initializing === applying) this.initializing = undefined;
    }
  }

  /**
   * Executes a plan; yields the raw responses (reattaching as needed). A plan that needs a newer
   * server than this one is refused before it is sent (UnsupportedServerVersionError); the observed
   * metrics of the responses go to the plan's Observations.
   */
  async *execute(plan: Plan, options: ExecuteOptions = {}): AsyncGenerator<ExecutePlanResponse, void, undefined> {
    await this.settled();
    await this.ready();
    await this.assertServerSupports(plan);
    const observations = observationsIn(plan);
    const tags = this.tags.size === 0 ? options.tags : [...new Set([...(options.tags ?? []), ...this.tags])];
    for await (const r of this.client.execute(plan, tags ? { ...options, tags } : options)) {
      for (const m of r.observedMetrics) observations.get(m.name)?.deliver(m);
      yield r;
    }
  }

  /**
   * The server's Spark version, asked once per session (what version-dependent methods compare
   * with); `version()` asks the server every time.
   */
  serverVersion(): Promise<string> {
    const v = (this.cachedVersion ??= this.version());
    // A failed request is not remembered: the next call asks again.
    v.catch(() => {
      if (this.cachedVersion === v) this.cachedVersion = undefined;
    });
    return v;
  }

  /** Throws UnsupportedServerVersionError when `message` needs a newer server than this one (asks its version only then). */
  async assertServerSupports(message: unknown): Promise<void> {
    const need = requiredServerVersion(message);
    if (!need) return;
    const version = await this.serverVersion();
    if (!versionAtLeast(version, need.version)) throw new UnsupportedServerVersionError(need.feature, need.version, version);
  }

  /** Executes a command to completion and returns its responses. */
  async executeCommand(command: Command, options: ExecuteOptions = {}): Promise<ExecutePlanResponse[]> {
    const out: ExecutePlanResponse[] = [];
    for await (const r of this.execute(create(PlanSchema, { opType: { case: 'command', value: command } }), options)) out.push(r);
    return out;
  }

  /** A Config RPC (what `spark.conf` uses), after builder confs are applied. */
  async config(opType: MessageInitShape<typeof ConfigRequest_OperationSchema>['opType']): Promise<ConfigResponse> {
    await this.settled();
    await this.ready();
    return this.client.config(opType);
  }

  async analyze(analyze: MessageInitShape<typeof AnalyzePlanRequestSchema>['analyze'], signal?: AbortSignal): Promise<AnalyzePlanResponse['result']> {
    await this.settled();
    await this.ready();
    await this.assertServerSupports(analyze);
    return this.client.analyze(analyze, signal);
  }

  // ---- operation tags (for interruptTag) ----

  /** Tags every later operation of this session (until removed), so `interruptTag(tag)` can cancel them. */
  addTag(tag: string): void {
    this.tags.add(validTag(tag, 'addTag'));
  }
  removeTag(tag: string): void {
    this.tags.delete(validTag(tag, 'removeTag'));
  }
  getTags(): Set<string> {
    return new Set(this.tags);
  }
  clearTags(): void {
    this.tags.clear();
  }

  /** Interrupts all running operations of this session (streaming queries keep running). */
  async interruptAll(): Promise<string[]> {
    return this.client.interrupt({ all: true });
  }
  async interruptTag(tag: string): Promise<string[]> {
    return this.client.interrupt({ tag });
  }
  async interruptOperation(operationId: string): Promise<string[]> {
    return this.client.interrupt({ operationId });
  }

  /**
   * Closes the connection. The server-side session (and its streaming queries) stays alive until the
   * server expires it, so another process can reconnect with the same session id.
   */
  stop(): void {
    this.stopped = true;
    // Eager SQL commands still in flight finish first (PySpark's sql() had returned after them).
    if (this.inFlight === 0) this.client.close();
    else void this.commands.finally(() => this.client.close());
    if (SparkSession.active === this) SparkSession.active = undefined;
  }
  close(): void {
    this.stop();
  }
}

/** Spark's rule for operation tags: non-empty, no comma (the server joins them with commas). */
function validTag(tag: string, method: string): string {
  if (tag === '' || tag.includes(',')) throw new RangeError(`${method}(): a tag must be a non-empty string without ',', got ${JSON.stringify(tag)}`);
  return tag;
}
