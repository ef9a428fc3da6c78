import { afterEach, beforeEach, expect, it } from 'vitest';
import { createQueries, pruneWebhookEvents, type Queries } from '@expectations/db';
import { createTempDatabase, insertExpectations, mirrorMembership, mirrorOrganization, mirrorUser, recordStatements, sqlRows, type TempDatabase } from '@expectations/db/testing';
import { listFilters } from './support/list-filters';

let db: TempDatabase;
let q: Queries;
beforeEach(async () => {
  db = await createTempDatabase();
  q = createQueries(db);
});
afterEach(() => db.destroy());

it('walks an index in id order for every filter of expectations.list, so LIMIT ends the walk after one page', async () => {
  const ada = await mirrorUser(db);
  const bob = await mirrorUser(db);
  for (let n = 0; n < 30; n++) {
    await q.createExpectation({ authorId: n % 2 ? ada.id : bob.id, organizationId: null, assigneeId: n % 3 ? bob.id : null, title: `t${n}`, details: '', dueOn: null });
  }
  const recorder = recordStatements(db);
  for (const filter of listFilters(ada.id, bob.id)) {
    for (const beforeId of [undefined, 20]) {
      recorder.executed.length = 0;
      await q.listExpectations({ scope: 'all', limit: 5, beforeId, ...filter });
      const [statement] = recorder.executed;
      if (!statement) throw new Error('no statement recorded');
      const plan = (await sqlRows<{ detail: string }>(db, `EXPLAIN QUERY PLAN ${statement.sql}`, statement.params)).map((row) => row.detail);
      const expectationsStep = plan.find((detail) => /\bexpectations\b/.test(detail)) ?? '';
      const filtered = Object.keys(filter).length > 0;
      // A filter walks its (filter, id) index; no filter walks the rowid backwards.
      expect(expectationsStep, plan.join('\n')).toMatch(
        filtered ? /^SEARCH expectations USING INDEX expectations_\w+_idx \(\w+=\?( AND id<\?)?\)$/
          : beforeId === undefined ? /^SCAN expectations$/ : /^SEARCH expectations USING INTEGER PRIMARY KEY \(rowid<\?\)$/,
      );
      expect(plan.join('\n')).not.toMatch(/TEMP B-TREE/);
      expect(plan.filter((detail) => /\b(author|assignee)\b/.test(detail)).every((d) => /PRIMARY KEY/.test(d))).toBe(true);
    }
  }
  recorder.stop();
});

it('walks a (organization_id, …, id) index in id order for every filter of a team’s or the personal list, its scope check by unique indexes', async () => {
  const ada = await mirrorUser(db);
  const bob = await mirrorUser(db);
  const team = await mirrorOrganization(db);
  await mirrorMembership(db, { clerkOrganizationId: team.clerkId, clerkUserId: ada.clerkId });
  await insertExpectations(
    db,
    Array.from({ length: 60 }, (_, n) => ({
      authorId: n % 2 ? ada.id : bob.id,
      assigneeId: n % 3 ? bob.id : null,
      organizationId: n % 4 ? team.id : null,
      title: `t${n}`,
      details: '',
      status: (['open', 'met', 'missed', 'withdrawn'] as const)[n % 4]!,
      dueOn: null,
      createdAt: n,
      updatedAt: n,
    })),
  );
  const recorder = recordStatements(db);
  for (const clerkOrganizationId of [team.clerkId, null]) {
    for (const filter of listFilters(ada.id, bob.id)) {
      for (const beforeId of [undefined, 20]) {
        recorder.executed.length = 0;
        await q.listExpectations({ scope: { clerkUserId: ada.clerkId, clerkOrganizationId }, limit: 5, beforeId, ...filter });
        const [statement] = recorder.executed;
        if (!statement) throw new Error('no statement recorded');
        const plan = (await sqlRows<{ detail: string }>(db, `EXPLAIN QUERY PLAN ${statement.sql}`, statement.params)).map((row) => row.detail);
        const described = `${JSON.stringify({ clerkOrganizationId, filter, beforeId })}\n${plan.join('\n')}`;
        expect(plan.find((detail) => /\bexpectations\b/.test(detail)), described).toMatch(
          /^SEARCH expectations USING INDEX expectations_organization_(author_|assignee_|status_)?idx \(organization_id(=\?| IS NULL)( AND \w+=\?)?( AND id<\?)?\)$/,
        );
        expect(plan.join('\n'), described).not.toMatch(/TEMP B-TREE|\bSCAN\b/);
      }
    }
  }
  recorder.stop();
});

it('answers findViewer with a team in one statement of unique-index lookups, whatever the number of teams', async () => {
  const recorder = recordStatements(db);
  await q.findViewer('user_plan', 'org_plan');
  recorder.stop();
  expect(recorder.executed).toHaveLength(1);
  const [statement] = recorder.executed;
  const plan = (await sqlRows<{ detail: string }>(db, `EXPLAIN QUERY PLAN ${statement!.sql}`, statement!.params)).map((row) => row.detail);
  expect(plan, plan.join('\n')).toEqual([
    expect.stringMatching(/^SEARCH users USING INDEX users_clerk_id_unique \(clerk_id=\?\)$/),
    expect.stringMatching(/^SEARCH organization_memberships USING INDEX organization_memberships_organization_user_unique \(clerk_organization_id=\? AND clerk_user_id=\?\)( LEFT-JOIN)?$/),
    expect.stringMatching(/^SEARCH organizations USING INDEX organizations_clerk_id_unique \(clerk_id=\?\)( LEFT-JOIN)?$/),
  ]);
});

it('walks users_list_idx in order for every form of users.list, so LIMIT ends the walk after one page', async () => {
  for (let n = 0; n < 30; n++) await mirrorUser(db, { firstName: `Person ${n % 7}`, lastName: `${n}`, username: `p${n}` });
  const recorder = recordStatements(db);
  for (const search of [undefined, 'person 3']) {
    for (const after of [undefined, { sortKey: 'person 2 9', id: 10 }]) {
      recorder.executed.length = 0;
      await q.listUsers({ limit: 5, search, after });
      const [statement] = recorder.executed;
      if (!statement) throw new Error('no statement recorded');
      const plan = (await sqlRows<{ detail: string }>(db, `EXPLAIN QUERY PLAN ${statement.sql}`, statement.params)).map((row) => row.detail);
      expect(plan, plan.join('\n')).toEqual([expect.stringMatching(/^(SCAN|SEARCH) users USING INDEX users_list_idx\b/)]);
    }
  }
  recorder.stop();
});

it('prunes webhook_events by walking webhook_events_last_delivered_idx from the oldest row, one batch at a time', async () => {
  const recorder = recordStatements(db);
  await pruneWebhookEvents(db, { deliveredBefore: Date.now(), batchSize: 10 });
  recorder.stop();
  const [statement] = recorder.executed;
  if (!statement) throw new Error('no statement recorded');
  const plan = (await sqlRows<{ detail: string }>(db, `EXPLAIN QUERY PLAN ${statement.sql}`, statement.params)).map((row) => row.detail);
  expect(plan.join('\n')).toMatch(/SEARCH webhook_events USING INDEX webhook_events_last_delivered_idx \(last_delivered_at<\?\)/);
  expect(plan.join('\n')).not.toMatch(/TEMP B-TREE|SCAN webhook_events\b/);
});
