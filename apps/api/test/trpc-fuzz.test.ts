import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { databaseSnapshot } from '@expectations/db/testing';
import { startTrpcApi, type TrpcApi } from './support/trpc-http';

/**
 * Random inputs for every procedure, over real HTTP: every answer is 2xx or 4xx, never 5xx, and a
 * 4xx leaves the database as it was, byte for byte.
 */
let t: TrpcApi;
/**
 * A token minted per call: a session token lives 60 s, and on a busy machine the 600 calls take
 * longer, after which every call would be a 401 that proves nothing.
 */
let token: () => string;
let ids: { user: number; other: number; expectation: number };
const statuses = new Map<number, number>();

beforeAll(async () => {
  t = await startTrpcApi({ MUTATION_RATE_LIMIT_PER_MINUTE: '1000000' });
  const me = await t.member({ firstName: 'Fuzz' });
  const other = await t.member({ firstName: 'Other' });
  token = () => t.token({ sub: me.clerkId });
  const created = await t.call('expectations.create', { method: 'POST', token: token(), input: { title: 'seed', assigneeId: other.id } });
  ids = { user: me.id, other: other.id, expectation: (created.body as { result: { data: { id: number } } }).result.data.id };
});
afterAll(() => t.stop());

const anyJson = fc.jsonValue({ maxDepth: 3 });
const oddNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER, 1e308, -0, 0.5));
const oddString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ minLength: 4_990, maxLength: 5_010 }),
  fc.constantFrom('', ' ', '2025-02-30', '2024-02-29', '2027-13-01', '9999-12-31', 'open', 'met', 'done', '\u0000', '💥', 'eyJ2IjoxfQ'),
);
const maybe = <T>(value: fc.Arbitrary<T>) => fc.option(value, { nil: undefined });
const idLike = fc.oneof(oddNumber, fc.constantFrom(1, 2, 3), oddString);

const procedures: Array<[string, 'GET' | 'POST', fc.Arbitrary<unknown>]> = [
  ['users.ensureExists', 'GET', fc.oneof(fc.constant(undefined), anyJson)],
  ['users.byId', 'GET', fc.oneof(anyJson, fc.record({ id: idLike }))],
  ['users.list', 'GET', fc.oneof(anyJson, fc.record({ query: maybe(oddString), cursor: maybe(oddString), limit: maybe(oddNumber) }))],
  [
    'expectations.list',
    'GET',
    fc.oneof(
      anyJson,
      fc.record({
        cursor: maybe(oddString),
        limit: maybe(oddNumber),
        authorId: maybe(idLike),
        assigneeId: maybe(idLike),
        status: maybe(oddString),
      }),
    ),
  ],
  ['expectations.byId', 'GET', fc.oneof(anyJson, fc.record({ id: idLike }))],
  [
    'expectations.create',
    'POST',
    fc.oneof(
      anyJson,
      fc.record({ title: oddString, details: maybe(oddString), assigneeId: maybe(idLike), dueOn: maybe(oddString) }),
      fc.record({ title: oddString, extra: anyJson }),
    ),
  ],
  ['expectations.setStatus', 'POST', fc.oneof(anyJson, fc.record({ id: idLike, status: oddString }))],
];

const calls = fc
  .constantFrom(...procedures)
  .chain(([path, method, inputs]) => inputs.map((input) => ({ path, method, input })));

it('answers random input to every procedure with 2xx or 4xx, and a 4xx changes nothing', async () => {
  await fc.assert(
    fc.asyncProperty(calls, async ({ path, method, input }) => {
      const before = await databaseSnapshot(t.api.db);
      const response = await t.call(path, { method, token: token(), input: input === undefined ? undefined : input });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      expect(response.status, `${path} answered ${response.status}: ${JSON.stringify(response.body)}`).toBeLessThan(500);
      if (response.status >= 400) expect(await databaseSnapshot(t.api.db)).toBe(before);
    }),
    { numRuns: 600, seed: 42 },
  );
  console.log(`tRPC fuzzing: 600 random inputs over 7 procedures; answers ${JSON.stringify(Object.fromEntries(statuses))}`);
  expect(statuses.get(200)).toBeGreaterThan(50);
  expect(statuses.get(400)).toBeGreaterThan(50);
  // Every call carries a valid session: a 401 would mean the property tested nothing past auth.
  expect(statuses.get(401)).toBeUndefined();
}, 120_000);

it('also survives known-good inputs with every id, so the successes above are real', async () => {
  const good = await t.call('expectations.setStatus', { method: 'POST', token: token(), input: { id: ids.expectation, status: 'met' } });
  expect(good.status).toBe(200);
  expect((await t.call('users.byId', { token: token(), input: { id: ids.other } })).status).toBe(200);
});
