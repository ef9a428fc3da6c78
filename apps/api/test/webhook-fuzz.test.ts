import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../src/logger';
import { startApi, type RunningApi } from '../src/server';
import { clerkFixture, type ClerkFixture } from '../testing/clerk-fixtures';
import { createTempDatabaseUrl, databaseSnapshot, type TempDatabaseUrl } from '@expectations/db/testing';
import { testConfig } from '../testing/test-config';
import { newSigningSecret, signDelivery } from '../testing/webhook-signing';

const secret = newSigningSecret();
let database: TempDatabaseUrl;
let api: RunningApi;
const statuses = new Map<number, number>();

beforeAll(async () => {
  database = await createTempDatabaseUrl();
  api = await startApi(testConfig({ DATABASE_URL: database.url, CLERK_WEBHOOK_SIGNING_SECRET: secret }), createLogger('silent'));
});

afterAll(async () => {
  await api.close();
  await database.destroy();
});

/** Values of every JSON kind, including the awkward ones: huge strings, unicode, nulls, deep nesting. */
const jsonValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.string({ minLength: 300, maxLength: 20_000 }),
  fc.constantFrom(
    '', 'user_', 'user_29w83sxmDNGwOuEthce5gg56FcC', 'idn_29w83yL7CwVlJXylYLxcslromF1', '\u0000', '💥', '\ud800',
    'org_2aFqS8tWyKnL3pXbV7mRcZ1dHe9', 'org_2otherTeamAAAAAAAAAAAAAAAA', 'orgmem_2aFqSBk3nVxQ7LmTzR4pWcY8dJ1', 'org:admin',
  ),
  fc.jsonValue({ maxDepth: 4 }),
);

type Mutation =
  | { kind: 'set'; path: string[]; value: unknown }
  | { kind: 'delete'; path: string[] }
  | { kind: 'extra'; key: string; value: unknown };

const knownPaths = [
  ['type'], ['timestamp'], ['object'], ['data'], ['data', 'id'], ['data', 'first_name'], ['data', 'last_name'],
  ['data', 'username'], ['data', 'image_url'], ['data', 'updated_at'], ['data', 'created_at'], ['data', 'deleted'],
  ['data', 'primary_email_address_id'], ['data', 'email_addresses'], ['data', 'email_addresses', '0'],
  ['data', 'email_addresses', '0', 'id'], ['data', 'email_addresses', '0', 'email_address'], ['data', 'public_metadata'],
  ['data', 'name'], ['data', 'slug'], ['data', 'role'], ['data', 'organization'], ['data', 'organization', 'id'],
  ['data', 'public_user_data'], ['data', 'public_user_data', 'user_id'],
];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), path: fc.constantFrom(...knownPaths), value: jsonValue }),
  fc.record({ kind: fc.constant('delete' as const), path: fc.constantFrom(...knownPaths) }),
  fc.record({ kind: fc.constant('extra' as const), key: fc.string({ minLength: 1, maxLength: 20 }), value: jsonValue }),
);

function mutate(body: Record<string, any>, change: Mutation): void {
  if (change.kind === 'extra') {
    body[change.key] = change.value;
    return;
  }
  let target: any = body;
  for (const key of change.path.slice(0, -1)) {
    if (typeof target !== 'object' || target === null) return;
    target = target[key];
  }
  if (typeof target !== 'object' || target === null) return;
  const last = change.path.at(-1)!;
  if (change.kind === 'set') target[last] = change.value;
  else delete target[last];
}

it('answers every validly signed, randomly mutated Clerk event with 2xx or 4xx, and 4xx changes nothing', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom<ClerkFixture>(
        'user.created', 'user.updated', 'user.deleted',
        'organization.created', 'organization.updated', 'organization.deleted',
        'organizationMembership.created', 'organizationMembership.updated', 'organizationMembership.deleted',
      ),
      fc.array(mutation, { minLength: 1, maxLength: 4 }),
      async (fixture, mutations) => {
        const body = clerkFixture(fixture);
        for (const change of mutations) mutate(body, change);
        const before = await databaseSnapshot(api.db);
        const signed = signDelivery(secret, body);
        const response = await fetch(`${api.url}/api/webhooks/clerk`, { method: 'POST', headers: signed.headers, body: signed.body });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expect(response.status === 200 || (response.status >= 400 && response.status < 500)).toBe(true);
        if (response.status >= 400) expect(await databaseSnapshot(api.db)).toBe(before);
      },
    ),
    { numRuns: 400, seed: 20261130 },
  );
  console.log(`webhook fuzzing: 400 signed, mutated Clerk events; answers ${JSON.stringify(Object.fromEntries(statuses))}`);
  // The generator must exercise both sides, or the property proves nothing.
  expect(statuses.get(200)).toBeGreaterThan(20);
  expect(statuses.get(400)).toBeGreaterThan(20);
}, 120_000);

it('answers arbitrary signed bytes with 2xx or 4xx', async () => {
  await fc.assert(
    fc.asyncProperty(fc.oneof(fc.string(), fc.json(), fc.string({ unit: 'binary' })), async (text) => {
      const before = await databaseSnapshot(api.db);
      const signed = signDelivery(secret, text === '' ? ' ' : text);
      const response = await fetch(`${api.url}/api/webhooks/clerk`, { method: 'POST', headers: signed.headers, body: signed.body });
      expect(response.status === 200 || (response.status >= 400 && response.status < 500)).toBe(true);
      if (response.status >= 400) expect(await databaseSnapshot(api.db)).toBe(before);
    }),
    { numRuns: 200, seed: 1130 },
  );
}, 60_000);
