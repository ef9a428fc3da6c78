import { is, Table } from 'drizzle-orm';
import { expect, it } from 'vitest';
import * as main from '@expectations/db';
import * as constants from '@expectations/db/constants';
import * as writer from '@expectations/db/mirror-writer';

// What each entry point hands out at run time. The main entry is what product code imports: no
// table (a writable `users` with an ORM handle is a create-if-missing waiting to happen) and
// nothing that returns a connection.
it('exports from the main entry only constants, errors and the functions that open, query (reads only), limit, prune webhook_events and feed_events, and watch the feed', () => {
  expect(Object.keys(main).sort()).toEqual(
    [
      ...Object.keys(constants),
      'createFeedQueries',
      'createMirrorAuditQueries',
      'createMutationLimiter',
      'createQueries',
      'DatabaseConnectionError',
      'DatabasePrivilegeError',
      'DatabaseUrlError',
      'DEFAULT_POOL_SIZE',
      'describePostgresUrl',
      'migrationsFolder',
      'openDatabase',
      'parseDatabaseUrl',
      'parseMirrorWriterUrl',
      'pruneFeedEvents',
      'pruneWebhookEvents',
      'watchFeedEvents',
    ].sort(),
  );
  expect(Object.values(main).filter((value) => is(value, Table))).toEqual([]);
});

it('exports from the writer entry only the function that applies an event', () => {
  expect(Object.keys(writer)).toEqual(['applyClerkEvent']);
});

it('keeps constants free of imports, so a browser bundle can take them', async () => {
  const { readFileSync } = await import('node:fs');
  const source = readFileSync(new URL('../src/constants.ts', import.meta.url), 'utf8');
  expect(source).not.toMatch(/^import /m);
});
