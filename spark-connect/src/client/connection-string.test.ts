import { describe, expect, it } from 'vitest';
import { InvalidConnectionStringError, parseConnectionString, resolveRemote } from './connection-string.js';

describe('parseConnectionString', () => {
  it('defaults the port to 15002', () => {
    const o = parseConnectionString('sc://localhost');
    expect(o).toMatchObject({ host: 'localhost', port: 15002, useSsl: false });
  });

  it('parses host, port and the known parameters', () => {
    const sid = '0b6a5b36-5f11-4b8e-9a2a-3f0f5c1e9d10';
    const o = parseConnectionString(`sc://spark.example:443/;user_id=alice;use_ssl=true;session_id=${sid};user_agent=job`);
    expect(o.host).toBe('spark.example');
    expect(o.port).toBe(443);
    expect(o.useSsl).toBe(true);
    expect(o.userId).toBe('alice');
    expect(o.sessionId).toBe(sid);
    expect(o.userAgent).toBe('job');
    expect(o.metadata).toEqual({});
  });

  it('a token implies TLS, and unknown params become request metadata', () => {
    const o = parseConnectionString('sc://h:1/;token=abc;x-custom=1');
    expect(o.token).toBe('abc');
    expect(o.useSsl).toBe(true);
    expect(o.metadata).toEqual({ 'x-custom': '1' });
  });

  it('never sends a token in plaintext: use_ssl=false next to a token is refused, in either order', () => {
    for (const url of ['sc://h:1/;token=abc;use_ssl=false', 'sc://h:1/;use_ssl=false;token=abc']) {
      expect(() => parseConnectionString(url)).toThrow(InvalidConnectionStringError);
      expect(() => parseConnectionString(url)).toThrow(/token requires TLS/);
    }
    expect(parseConnectionString('sc://h:1/;use_ssl=true;token=abc').useSsl).toBe(true);
  });

  it('accepts IPv6 hosts and a trailing slash', () => {
    expect(parseConnectionString('sc://[::1]:15003/')).toMatchObject({ host: '[::1]', port: 15003 });
  });

  it.each([
    ['http://localhost:15002', "must start with 'sc://'"],
    ['sc://', 'missing host'],
    ['sc://h:99999', 'out of range'],
    ['sc://h:1/user_id=a', "must follow '/;'"],
    ['sc://h:1/;user_id', 'not key=value'],
    ['sc://h:1/;session_id=nope', 'not a UUID'],
  ])('rejects %s', (url, why) => {
    expect(() => parseConnectionString(url)).toThrow(InvalidConnectionStringError);
    expect(() => parseConnectionString(url)).toThrow(why);
  });
});

describe('resolveRemote', () => {
  it('prefers the explicit value, then SPARK_REMOTE, then the default', () => {
    expect(resolveRemote('sc://a', { SPARK_REMOTE: 'sc://b' })).toBe('sc://a');
    expect(resolveRemote(undefined, { SPARK_REMOTE: 'sc://b' })).toBe('sc://b');
    expect(resolveRemote(undefined, {})).toBe('sc://localhost:15002');
  });
});
