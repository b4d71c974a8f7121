// Structured Streaming over Spark Connect.
//
//   spark.readStream...load()        -> Read{data_source, is_streaming: true}   (pure)
//   df.writeStream...command()       -> Command.write_stream_operation_start    (pure)
//   df.writeStream...start()         -> ExecutePlan(command) -> StreamingQuery handle
//   query.status()/stop()/...        -> Command.streaming_query_command
//   spark.streams.active()/get()/... -> Command.streaming_query_manager_command
//
// A query lives in the server-side *session* (user id + session id), not in this process: a later
// process that builds a SparkSession with the same session id (and user id) sees it in
// `spark.streams.active()` and can stop it.
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import {
  CommandSchema,
  WriteStreamOperationStartSchema,
  type Command,
  type StreamingQueryCommandResult,
  type StreamingQueryManagerCommandResult,
  type StreamingQueryManagerCommandResult_StreamingQueryInstance,
  type WriteStreamOperationStart,
} from '../gen/spark/connect/commands_pb.js';
import { StreamingQueryException, errorFromErrorInfo } from '../client/errors.js';
import { actionSignal, type ActionOptions } from './arrow.js';
import { DataFrame } from './dataframe.js';
import { parseProgress, type StreamingQueryProgress } from './progress.js';
import type { SparkSession } from './session.js';
import { FormatAndOptions, type OptionValue, SchemaReader } from './options.js';

export type { OptionValue } from './options.js';

/** `spark.readStream`: builds a streaming Read relation. */
export class DataStreamReader extends SchemaReader {
  constructor(private readonly session: SparkSession) {
    super();
  }

  /** The streaming DataFrame (no I/O). */
  load(path?: string): DataFrame {
    return new DataFrame(
      this.session,
      DataFrame.newRelation(this.session, {
        case: 'read',
        value: {
          isStreaming: true,
          readType: {
            case: 'dataSource',
            value: this.dataSource(path !== undefined ? [path] : []),
          },
        },
      }),
    );
  }

  // PySpark's shorthands: the format, its options (PySpark's keyword arguments), then load(path).
  csv(path: string, options: Readonly<Record<string, OptionValue>> = {}): DataFrame {
    return this.format('csv').options(options).load(path);
  }
  json(path: string, options: Readonly<Record<string, OptionValue>> = {}): DataFrame {
    return this.format('json').options(options).load(path);
  }
  parquet(path: string, options: Readonly<Record<string, OptionValue>> = {}): DataFrame {
    return this.format('parquet').options(options).load(path);
  }
  orc(path: string, options: Readonly<Record<string, OptionValue>> = {}): DataFrame {
    return this.format('orc').options(options).load(path);
  }
  text(path: string, options: Readonly<Record<string, OptionValue>> = {}): DataFrame {
    return this.format('text').options(options).load(path);
  }

  /** A streaming read of a catalog table. */
  table(tableName: string): DataFrame {
    return new DataFrame(
      this.session,
      DataFrame.newRelation(this.session, {
        case: 'read',
        value: { isStreaming: true, readType: { case: 'namedTable', value: { unparsedIdentifier: tableName, options: { ...this.opts } } } },
      }),
    );
  }
}

export type Trigger = { processingTime: string } | { availableNow: true } | { once: true } | { continuous: string };

export type OutputMode = 'append' | 'complete' | 'update';

/** `df.writeStream`: builds (and starts) a WriteStreamOperationStart command. */
export class DataStreamWriter extends FormatAndOptions {
  private mode = '';
  private name = '';
  private trig: Trigger | undefined;
  private partitioning: string[] = [];

  constructor(private readonly df: DataFrame) {
    super();
  }

  outputMode(mode: OutputMode): this {
    this.mode = mode;
    return this;
  }
  /** `{processingTime: '10 seconds'}`, `{availableNow: true}`, `{once: true}` or `{continuous: '1 second'}`. */
  trigger(trigger: Trigger): this {
    this.trig = trigger;
    return this;
  }
  queryName(name: string): this {
    this.name = name;
    return this;
  }
  partitionBy(...cols: string[]): this {
    this.partitioning = cols;
    return this;
  }

  /**
   * The WriteStreamOperationStart message `start(path)` / `toTable(table)` would send — no I/O. This
   * is how a job's unit tests check format, options (checkpointLocation...), trigger and mode.
   */
  command(sink: { path?: string; tableName?: string } = {}): WriteStreamOperationStart {
    const trigger: MessageInitShape<typeof WriteStreamOperationStartSchema>['trigger'] =
      this.trig === undefined
        ? { case: undefined }
        : 'processingTime' in this.trig
          ? { case: 'processingTimeInterval', value: this.trig.processingTime }
          : 'availableNow' in this.trig
            ? { case: 'availableNow', value: true }
            : 'once' in this.trig
              ? { case: 'once', value: true }
              : { case: 'continuousCheckpointInterval', value: this.trig.continuous };
    return create(WriteStreamOperationStartSchema, {
      input: this.df.relation,
      format: this.fmt ?? '',
      options: { ...this.opts },
      partitioningColumnNames: [...this.partitioning],
      trigger,
      outputMode: this.mode,
      queryName: this.name,
      sinkDestination:
        sink.path !== undefined
          ? { case: 'path', value: sink.path }
          : sink.tableName !== undefined
            ? { case: 'tableName', value: sink.tableName }
            : { case: undefined },
    });
  }

  /** The full Command (`Command{write_stream_operation_start}`) — no I/O. */
  toCommand(sink: { path?: string; tableName?: string } = {}): Command {
    return create(CommandSchema, { commandType: { case: 'writeStreamOperationStart', value: this.command(sink) } });
  }

  /** Starts the query on the server; resolves once it is running (not when it ends). */
  async start(path?: string): Promise<StreamingQuery> {
    return this.startCommand(this.toCommand(path !== undefined ? { path } : {}));
  }

  async toTable(tableName: string): Promise<StreamingQuery> {
    return this.startCommand(this.toCommand({ tableName }));
  }

  private async startCommand(command: Command): Promise<StreamingQuery> {
    const session = this.df.session;
    for (const r of await session.executeCommand(command)) {
      if (r.responseType.case === 'writeStreamOperationStartResult') {
        const res = r.responseType.value;
        return new StreamingQuery(session, res.queryId?.id ?? '', res.queryId?.runId ?? '', res.name || null);
      }
    }
    throw new Error('WriteStreamOperationStart returned no query id');
  }
}

export interface StreamingQueryStatus {
  message: string;
  isDataAvailable: boolean;
  isTriggerActive: boolean;
  isActive: boolean;
}

function queryCommand(q: { id: string; runId: string }, command: StreamingQueryCommandInit): Command {
  return create(CommandSchema, {
    commandType: { case: 'streamingQueryCommand', value: { queryId: { id: q.id, runId: q.runId }, command } },
  });
}
/** One StreamingQueryCommand operation (the `command` oneof). */
export type StreamingQueryCommandInit =
  | { case: 'status'; value: true }
  | { case: 'lastProgress'; value: true }
  | { case: 'recentProgress'; value: true }
  | { case: 'stop'; value: true }
  | { case: 'processAllAvailable'; value: true }
  | { case: 'explain'; value: { extended: boolean } }
  | { case: 'exception'; value: true }
  | { case: 'awaitTermination'; value: { timeoutMs?: bigint } };

/** A handle on a streaming query running in a server-side session. Every method is one RPC. */
export class StreamingQuery {
  constructor(
    private readonly session: SparkSession,
    /** Stable across restarts from the same checkpoint. */
    readonly id: string,
    /** Unique to this run. */
    readonly runId: string,
    readonly name: string | null,
  ) {}

  /** The command a given operation sends (pure; for tests). */
  commandFor(command: StreamingQueryCommandInit): Command {
    return queryCommand(this, command);
  }

  private async run(command: StreamingQueryCommandInit, signal?: AbortSignal): Promise<StreamingQueryCommandResult['resultType']> {
    const responses = await this.session.executeCommand(queryCommand(this, command), signal ? { signal } : {});
    for (const r of responses) {
      if (r.responseType.case === 'streamingQueryCommandResult') return r.responseType.value.resultType;
    }
    return { case: undefined };
  }

  async status(options: ActionOptions = {}): Promise<StreamingQueryStatus> {
    const r = await this.run({ case: 'status', value: true }, actionSignal(options));
    if (r.case !== 'status') throw new Error(`unexpected streaming query result ${String(r.case)}`);
    return {
      message: r.value.statusMessage,
      isDataAvailable: r.value.isDataAvailable,
      isTriggerActive: r.value.isTriggerActive,
      isActive: r.value.isActive,
    };
  }

  async isActive(options: ActionOptions = {}): Promise<boolean> {
    return (await this.status(options)).isActive;
  }

  /** Progress of recent triggers, oldest first (the server keeps spark.sql.streaming.numRecentProgressUpdates). */
  async recentProgress(options: ActionOptions = {}): Promise<StreamingQueryProgress[]> {
    const r = await this.run({ case: 'recentProgress', value: true }, actionSignal(options));
    return r.case === 'recentProgress' ? r.value.recentProgressJson.map(parseProgress) : [];
  }

  /** The most recent trigger's progress, or null before the first trigger completes. */
  async lastProgress(options: ActionOptions = {}): Promise<StreamingQueryProgress | null> {
    const r = await this.run({ case: 'lastProgress', value: true }, actionSignal(options));
    if (r.case !== 'recentProgress') return null;
    const last = r.value.recentProgressJson.at(-1);
    return last !== undefined ? parseProgress(last) : null;
  }

  async stop(options: ActionOptions = {}): Promise<void> {
    await this.run({ case: 'stop', value: true }, actionSignal(options));
  }

  /**
   * Waits for the query to end. With a timeout, resolves `false` if it is still running after
   * `timeoutMs`. Rejects with StreamingQueryException if the query failed.
   */
  async awaitTermination(timeoutMs?: number, signal?: AbortSignal): Promise<boolean> {
    const r = await this.run(
      { case: 'awaitTermination', value: timeoutMs !== undefined ? { timeoutMs: BigInt(Math.max(0, Math.floor(timeoutMs))) } : {} },
      signal,
    );
    return r.case === 'awaitTermination' ? r.value.terminated : true;
  }

  /** Blocks until all data available in the sources at call time has been processed (tests). */
  async processAllAvailable(options: ActionOptions = {}): Promise<void> {
    await this.run({ case: 'processAllAvailable', value: true }, actionSignal(options));
  }

  /** The exception the query failed with, or null if it has not failed. */
  async exception(options: ActionOptions = {}): Promise<StreamingQueryException | null> {
    const r = await this.run({ case: 'exception', value: true }, actionSignal(options));
    if (r.case !== 'exception' || r.value.exceptionMessage === undefined) return null;
    const e = errorFromErrorInfo(r.value.exceptionMessage, undefined);
    return new StreamingQueryException({
      message: r.value.exceptionMessage,
      exceptionClass: 'org.apache.spark.sql.streaming.StreamingQueryException',
      classes: ['org.apache.spark.sql.streaming.StreamingQueryException'],
      ...(r.value.errorClass !== undefined ? { errorClass: r.value.errorClass } : e.errorClass !== undefined ? { errorClass: e.errorClass } : {}),
      ...(r.value.stackTrace !== undefined ? { serverStackTrace: r.value.stackTrace } : {}),
    });
  }

  /** The physical plan of the latest execution, as text. */
  async explain(extended = false, options: ActionOptions = {}): Promise<string> {
    const r = await this.run({ case: 'explain', value: { extended } }, actionSignal(options));
    return r.case === 'explain' ? r.value.result : '';
  }

  toString(): string {
    return `StreamingQuery(id=${this.id}, runId=${this.runId}, name=${this.name ?? ''})`;
  }
}

/** One StreamingQueryManagerCommand operation. */
export type ManagerCommandInit =
  | { case: 'active'; value: true }
  | { case: 'getQuery'; value: string }
  | { case: 'awaitAnyTermination'; value: { timeoutMs?: bigint } }
  | { case: 'resetTerminated'; value: true };

/** `spark.streams`: the session's streaming queries. */
export class StreamingQueryManager {
  constructor(private readonly session: SparkSession) {}

  /** The command a manager operation sends (pure; for tests). */
  commandFor(command: ManagerCommandInit): Command {
    return create(CommandSchema, { commandType: { case: 'streamingQueryManagerCommand', value: { command } } });
  }

  private async run(command: ManagerCommandInit, signal?: AbortSignal): Promise<StreamingQueryManagerCommandResult['resultType']> {
    for (const r of await this.session.executeCommand(this.commandFor(command), signal ? { signal } : {})) {
      if (r.responseType.case === 'streamingQueryManagerCommandResult') return r.responseType.value.resultType;
    }
    return { case: undefined };
  }

  private handle(q: StreamingQueryManagerCommandResult_StreamingQueryInstance): StreamingQuery {
    return new StreamingQuery(this.session, q.id?.id ?? '', q.id?.runId ?? '', q.name ?? null);
  }

  /** Queries currently running in this session. */
  async active(options: ActionOptions = {}): Promise<StreamingQuery[]> {
    const r = await this.run({ case: 'active', value: true }, actionSignal(options));
    return r.case === 'active' ? r.value.activeQueries.map((q) => this.handle(q)) : [];
  }

  /** The active query with this id (the `id`, not the `runId`), or null. */
  async get(id: string, options: ActionOptions = {}): Promise<StreamingQuery | null> {
    const r = await this.run({ case: 'getQuery', value: id }, actionSignal(options));
    return r.case === 'query' ? this.handle(r.value) : null;
  }

  /** Waits until any query of the session terminates (or the timeout passes: resolves false). */
  async awaitAnyTermination(timeoutMs?: number): Promise<boolean> {
    const r = await this.run({
      case: 'awaitAnyTermination',
      value: timeoutMs !== undefined ? { timeoutMs: BigInt(Math.max(0, Math.floor(timeoutMs))) } : {},
    });
    return r.case === 'awaitAnyTermination' ? r.value.terminated : true;
  }

  /** Forgets terminated queries so awaitAnyTermination waits for a new one. */
  async resetTerminated(): Promise<void> {
    await this.run({ case: 'resetTerminated', value: true });
  }
}
