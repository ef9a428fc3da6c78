import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTrpcApi, WEB_ORIGIN, type TrpcApi } from './support/trpc-http';

/**
 * The query fast path must answer exactly as tRPC's own adapter would. An unknown query
 * parameter makes the fast path step aside (tRPC ignores it), so each request is sent twice:
 * once as is, once with `&via=adapter`, and the two answers are compared.
 */
let t: TrpcApi;
let token: string;
let strangerToken: string;

beforeAll(async () => {
  t = await startTrpcApi();
  const author = await t.member({ firstName: 'Ada', lastName: 'Lovelace' });
  const other = await t.member({ firstName: 'Grace', lastName: 'Hopper' });
  token = author.token;
  strangerToken = t.token({ sub: 'user_nomirrorrow' });
  for (let i = 0; i < 5; i++) {
    const created = await t.call('expectations.create', {
      method: 'POST',
      token,
      input: { title: `Expectation ${i}`, assigneeId: i % 2 ? other.id : undefined, dueOn: '2027-01-15' },
    });
    expect(created.status).toBe(200);
  }
});

afterAll(() => t.stop());

async function get(pathAndQuery: string, bearer: string | undefined, origin = WEB_ORIGIN) {
  const response = await fetch(`${t.api.url}/trpc/${pathAndQuery}`, {
    headers: { origin, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    allowOrigin: response.headers.get('access-control-allow-origin'),
    security: ['content-security-policy', 'x-content-type-options', 'x-frame-options', 'strict-transport-security', 'referrer-policy'].map(
      (name) => response.headers.get(name),
    ),
    vary: response.headers.get('vary'),
    cacheControl: response.headers.get('cache-control'),
    body: JSON.parse(await response.text()) as unknown,
  };
}

const input = (value: unknown) => `input=${encodeURIComponent(JSON.stringify(value))}`;

const cases: Array<[string, string, 'member' | 'stranger' | 'none']> = [
  ['a list with no input', 'expectations.list', 'member'],
  ['a list page of 2', `expectations.list?${input({ limit: 2 })}`, 'member'],
  ['a list filtered by status', `expectations.list?${input({ status: 'open', limit: 3 })}`, 'member'],
  ['a list with a limit out of bounds', `expectations.list?${input({ limit: 0 })}`, 'member'],
  ['a list with an unknown field', `expectations.list?${input({ bogus: 1 })}`, 'member'],
  ['a list with a forged cursor', `expectations.list?${input({ cursor: 'not-a-cursor' })}`, 'member'],
  ['an unknown expectation', `expectations.byId?${input({ id: 99_999 })}`, 'member'],
  ['a query without a session', `expectations.byId?${input({ id: 1 })}`, 'none'],
  ['a caller whose webhook has not landed', 'users.ensureExists', 'stranger'],
  ['users.list with a search', `users.list?${input({ query: 'grace' })}`, 'member'],
  ['a batch of two queries', `expectations.list,users.ensureExists?batch=1&${input({ 0: { limit: 1 } })}`, 'member'],
  ['a batch with a success and a failure (207)', `expectations.byId,users.list?batch=1&${input({ 0: { id: 99_999 }, 1: {} })}`, 'member'],
  ['a batch with no input', 'users.ensureExists,users.list?batch=1', 'member'],
];

describe('the GET query fast path answers exactly as the tRPC adapter', () => {
  it.each(cases)('%s', async (_name, pathAndQuery, who) => {
    const bearer = who === 'member' ? token : who === 'stranger' ? strangerToken : undefined;
    const separator = pathAndQuery.includes('?') ? '&' : '?';
    const fast = await get(pathAndQuery, bearer);
    const adapter = await get(`${pathAndQuery}${separator}via=adapter`, bearer);

    expect(fast.status).toBe(adapter.status);
    expect(fast.body).toEqual(adapter.body);
    expect(fast.contentType).toBe(adapter.contentType);
    expect(fast.allowOrigin).toBe(WEB_ORIGIN);
    expect(adapter.allowOrigin).toBe(WEB_ORIGIN);
    expect(fast.security).toEqual(adapter.security);
    expect(fast.security.every((value) => value !== null)).toBe(true);
    expect(fast.cacheControl).toBe('no-store');
    // Only the fast path keeps `Origin` in Vary (tRPC's adapter replaces the header): this is how
    // the test knows that the first answer really came from the fast path.
    expect(fast.vary).toContain('Origin');
    expect(adapter.vary).not.toContain('Origin');
  });

  it('grants CORS only to the SPA’s origin', async () => {
    const foreign = await get('expectations.list', token, 'https://evil.example');
    expect(foreign.status).toBe(200);
    expect(foreign.allowOrigin).toBeNull();
    expect(foreign.vary).toContain('Origin');
  });

  it('covers successes and every error status on the way', async () => {
    const statuses = new Set<number>();
    for (const [, pathAndQuery, who] of cases) {
      statuses.add((await get(pathAndQuery, who === 'member' ? token : who === 'stranger' ? strangerToken : undefined)).status);
    }
    expect([...statuses].sort()).toEqual([200, 207, 400, 401, 404, 412]);
  });
});

describe('requests the fast path leaves to the adapter', () => {
  it.each([
    ['a mutation sent as GET', 'expectations.create', 405],
    ['an unknown procedure', 'expectations.nope', 404],
    ['input that is not JSON', 'expectations.list?input=%7Bnope', 400],
    ['a batch over the limit', `${Array.from({ length: 11 }, () => 'users.list').join(',')}?batch=1`, 400],
  ])('%s gets tRPC’s own answer', async (_name, pathAndQuery, status) => {
    const answer = await get(pathAndQuery, token);
    expect(answer.status).toBe(status);
    expect(answer.vary).not.toContain('Origin');
  });
});
