import { create } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import { ErrorInfoSchema } from '../gen/google/rpc/error_details_pb.js';
import {
  AnalysisException,
  ParseException,
  SparkConnectError,
  SparkConnectUnavailableError,
  StreamingQueryException,
  errorFromErrorInfo,
  toSparkError,
} from './errors.js';

const info = (reason: string, classes: string[], extra: Record<string, string> = {}) =>
  create(ErrorInfoSchema, { reason, domain: 'org.apache.spark', metadata: { classes: JSON.stringify(classes), ...extra } });

describe('error mapping', () => {
  it('maps a Spark 3.5 AnalysisException, reading the error class from the message', () => {
    const msg = '[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name `nope` cannot be resolved.';
    const e = errorFromErrorInfo(
      msg,
      info('org.apache.spark.sql.catalyst.ExtendedAnalysisException', [
        'org.apache.spark.sql.catalyst.ExtendedAnalysisException',
        'org.apache.spark.sql.AnalysisException',
        'java.lang.Exception',
      ]),
      'INTERNAL',
    );
    expect(e).toBeInstanceOf(AnalysisException);
    expect(e.name).toBe('AnalysisException');
    expect(e.errorClass).toBe('UNRESOLVED_COLUMN.WITH_SUGGESTION');
    expect(e.exceptionClass).toBe('org.apache.spark.sql.catalyst.ExtendedAnalysisException');
    expect(e.message).toBe(msg);
    expect(e.grpcCode).toBe('INTERNAL');
  });

  it('prefers Spark 4 metadata (errorClass, sqlState, messageParameters)', () => {
    const e = errorFromErrorInfo(
      'syntax error',
      info(
        'org.apache.spark.sql.catalyst.parser.ParseException',
        ['org.apache.spark.sql.catalyst.parser.ParseException', 'org.apache.spark.sql.AnalysisException'],
        {
          errorClass: 'PARSE_SYNTAX_ERROR',
          sqlState: '42601',
          messageParameters: JSON.stringify({ error: "'SELEC'", hint: '' }),
        },
      ),
    );
    expect(e).toBeInstanceOf(ParseException);
    expect(e).toBeInstanceOf(AnalysisException);
    expect(e.errorClass).toBe('PARSE_SYNTAX_ERROR');
    expect(e.sqlState).toBe('42601');
    expect(e.messageParameters).toEqual({ error: "'SELEC'", hint: '' });
  });

  it('maps StreamingQueryException and parses SQLSTATE from the message', () => {
    const e = errorFromErrorInfo(
      '[STREAM_FAILED] Query [id = 1, runId = 2] terminated with exception: boom SQLSTATE: XXKST',
      info('org.apache.spark.sql.streaming.StreamingQueryException', ['org.apache.spark.sql.streaming.StreamingQueryException']),
    );
    expect(e).toBeInstanceOf(StreamingQueryException);
    expect(e.errorClass).toBe('STREAM_FAILED');
    expect(e.sqlState).toBe('XXKST');
  });

  it('falls back to the base class for unknown exceptions', () => {
    const e = errorFromErrorInfo('x', info('com.example.Boom', ['com.example.Boom']));
    expect(e.constructor).toBe(SparkConnectError);
    expect(e.classes).toEqual(['com.example.Boom']);
  });

  it('reads ErrorInfo out of a ConnectError', () => {
    const ce = new ConnectError('[TABLE_OR_VIEW_NOT_FOUND] nope', Code.Internal, undefined, [
      { desc: ErrorInfoSchema, value: info('org.apache.spark.sql.AnalysisException', ['org.apache.spark.sql.AnalysisException']) },
    ]);
    const e = toSparkError(ce, 'http://h:1');
    expect(e).toBeInstanceOf(AnalysisException);
    expect(e.errorClass).toBe('TABLE_OR_VIEW_NOT_FOUND');
    expect(e.message).toBe('[TABLE_OR_VIEW_NOT_FOUND] nope');
  });

  it('turns UNAVAILABLE into SparkConnectUnavailableError naming the address, in Spark terms only', () => {
    const e = toSparkError(new ConnectError('connect ECONNREFUSED', Code.Unavailable), 'http://127.0.0.1:15002');
    expect(e).toBeInstanceOf(SparkConnectUnavailableError);
    expect((e as SparkConnectUnavailableError).address).toBe('http://127.0.0.1:15002');
    expect(e.message).toContain('http://127.0.0.1:15002');
    expect(e.message).toContain('Spark Connect server');
    expect(e.message).not.toMatch(/make |streamline|\.run/);
  });
});
