// randomuser.me misbehaving: 429 with Retry-After, 503, timeouts, resets, {"results":[]}, HTML and
// error bodies, and users that do not fit the record. The producer CLI (a child process, as users run
// it) must back off, say what happened in clear log lines, and never let anything malformed reach
// Kafka: every message in the topic is read back and validated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordProblem } from '@streamline/producer';
import { generateUsers, startFakeRandomUserApi, type FakeFault, type FakeRandomUserApi } from '@streamline/producer/testing';
import { CLI, lines, runCli } from './support/cli.js';
import { BOOTSTRAP, deleteTopics, readTopic, topicMessageCount } from '../support/kafka.js';
import { faultRun } from './support/pipeline.js';
import { restoreStack } from './support/stack.js';

const run = faultRun('api');
let api: FakeRandomUserApi;

/** Four clean fetches of 50 after their faults, then the odd batch's 40 valid users. */
const COUNT = 240;
const RESULTS = 50;
const OK: FakeFault = { kind: 'delay', ms: 0 };

/** 50 users of which 10 are broken in ways the transform must catch (and so never send). */
function oddUsers(): { users: unknown[]; brokenIds: string[] } {
  // biome-ignore lint/suspicious/noExplicitAny: the test deletes and retypes arbitrary nested fields of randomuser's JSON
  const users = generateUsers('api-odd-users', 1, RESULTS) as unknown as Record<string, any>[];
  const brokenIds: string[] = [];
  // biome-ignore lint/suspicious/noExplicitAny: as above
  const breakers: ((u: Record<string, any>) => void)[] = [
    (u) => delete u.login.uuid,
    (u) => (u.login.uuid = 'not-a-uuid'),
    (u) => (u.location.coordinates.latitude = 'north'),
    (u) => (u.location.coordinates.longitude = '999'),
    (u) => (u.dob.date = 'yesterday'),
    (u) => (u.name = null),
    (u) => (u.email = 42),
    (u) => delete u.location,
    (u) => (u.registered = { date: '' }),
    (u) => (u.picture = 'not-an-object'),
  ];
  breakers.forEach((breakIt, i) => {
    const u = users[i * 5]!;
    if (typeof u.login?.uuid === 'string') brokenIds.push(u.login.uuid);
    breakIt(u);
  });
  return { users, brokenIds };
}

function produce(args: string[]) {
  return runCli(
    CLI.producer,
    ['--randomuser-url', api.url, '--topic', run.topic, '--partitions', '3', '--request-timeout', '1', '--report-interval', '0', ...args],
    { env: { KAFKA_BOOTSTRAP_SERVERS: BOOTSTRAP }, timeoutMs: 120_000 },
  );
}

beforeAll(async () => {
  api = await startFakeRandomUserApi();
});

afterAll(async () => {
  await api.close();
  await deleteTopics([run.topic]);
  await restoreStack();
});

describe('randomuser API faults (producer CLI against a misbehaving API)', () => {
  const odd = oddUsers();

  it('backs off, logs each fault clearly, and sends only valid records', async () => {
    api.enqueue(
      { kind: 'status', status: 429, retryAfter: '1' },
      OK, // fetch 1
      { kind: 'status', status: 503, body: '<html>Service Unavailable</html>' },
      { kind: 'delay', ms: 2_500 },
      OK, // fetch 2
      { kind: 'empty' },
      { kind: 'malformed' },
      OK, // fetch 3
      { kind: 'error-body' },
      { kind: 'reset' },
      OK, // fetch 4
      { kind: 'results', results: odd.users }, // fetch 5: 40 valid, 10 broken
    );
    const result = await produce(['--count', String(COUNT), '--results', String(RESULTS), '--interval', '0', '--max-retries', '10', '--seed', 'api-faults']);
    console.log(`[api] exit ${result.code} in ${result.ms} ms\n--- stderr ---\n${result.stderr}--- stdout ---\n${result.stdout}`);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`done \\(count\\): sent=${COUNT} `));

    const warn = lines(result.stderr).filter((l) => / WARN /.test(l));
    const expectLine = (what: string, re: RegExp): void =>
      expect(
        warn.some((l) => re.test(l)),
        `a WARN line for ${what}`,
      ).toBe(true);
    // Retry-After is honoured exactly; the others back off exponentially.
    expectLine('429 + Retry-After', /\[randomuser\] HTTP 429 .*; retry 1\/10 in 1000 ms/);
    expectLine('503', /\[randomuser\] HTTP 503 .*; retry 1\/10 in \d+ ms/);
    expectLine('timeout', /\[randomuser\] no answer within 1000 ms; retry 2\/10/);
    expectLine('{"results":[]}', /\[randomuser\] unexpected answer: empty "results".*; retry 1\/10/);
    expectLine('HTML body', /\[randomuser\] malformed JSON body: "<html>.*; retry 2\/10/);
    expectLine('error body', /\[randomuser\] unexpected answer: API error: Uh oh.*; retry 1\/10/);
    expectLine('reset', /\[randomuser\] network error: .*; retry 2\/10/);
    expect(warn.filter((l) => /invalid user not sent/.test(l))).toHaveLength(10);

    // Every request went to the pinned API version; the retries are all there.
    expect(api.requests.map((r) => r.path).every((p) => p === '/api/1.4/')).toBe(true);
    expect(api.requests).toHaveLength(12);

    // Nothing malformed reached Kafka: read every message back and validate it.
    const messages = await readTopic(run.topic);
    expect(messages).toHaveLength(COUNT);
    const ids = new Set<string>();
    for (const m of messages) {
      const record = JSON.parse(m.value!.toString('utf8')) as Record<string, unknown>;
      expect(recordProblem(record), `message ${m.partition}/${m.offset}`).toBeUndefined();
      expect(m.key).toBe(record.id);
      ids.add(record.id as string);
    }
    expect(ids.size).toBe(COUNT);
    for (const broken of odd.brokenIds) expect(ids.has(broken), `broken user ${broken} was sent`).toBe(false);
  });

  it('gives up on a persistent outage with one clear error and exit code 3, sending nothing', async () => {
    const before = await topicMessageCount(run.topic);
    api.setPersistentFault({ kind: 'status', status: 503 });
    try {
      const result = await produce(['--once', '--results', '10', '--max-retries', '2']);
      console.log(`[api] persistent 503: exit ${result.code} in ${result.ms} ms\n${result.stderr}`);
      expect(result.code).toBe(3);
      const errors = lines(result.stderr).filter((l) => / ERROR /.test(l));
      expect(errors.at(-1)).toMatch(/randomuser API at .* failed 3 time\(s\); last problem: HTTP 503.*--source synthetic/);
      expect(lines(result.stderr).filter((l) => /retry \d\/2 in/.test(l))).toHaveLength(2);
    } finally {
      api.setPersistentFault(undefined);
    }
    expect(await topicMessageCount(run.topic)).toBe(before);
  });

  it('does not sit out an absurd Retry-After: fails at once, saying why', async () => {
    api.enqueue({ kind: 'status', status: 429, retryAfter: '3600' });
    const result = await produce(['--once', '--results', '10', '--max-retries', '5']);
    console.log(`[api] Retry-After 3600: exit ${result.code} in ${result.ms} ms\n${result.stderr}`);
    expect(result.code).toBe(3);
    expect(result.ms).toBeLessThan(30_000);
    expect(lines(result.stderr).at(-1)).toMatch(/HTTP 429 .*Retry-After 3600s is longer than we wait/);
  });
});
