import { afterEach, beforeEach, expect, it } from 'vitest';
import { createQueries, type Queries } from '@expectations/db';
import { createTempDatabase, explainPrepared, insertExpectations, mirrorUser, recordStatements, sqlRows, sqlRun, type TempDatabase } from '@expectations/db/testing';
import { listFilters } from './support/list-filters';

let db: TempDatabase;
let q: Queries;
beforeEach(async () => {
  db = await createTempDatabase();
  q = createQueries(db);
});
afterEach(() => db.destroy());

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/**
 * The plan of the one statement `call` runs, as the API runs it: prepared by name and planned
 * generically, whatever the cursor's value. It must end in a Limit with no Sort below it, so that
 * LIMIT ends an index walk after one page.
 */
async function pagedPlanOf(call: () => Promise<unknown>): Promise<{ all: PlanNode[]; described: string }> {
  const recorder = recordStatements(db);
  try {
    await call();
  } finally {
    recorder.stop();
  }
  const [statement] = recorder.executed;
  if (!statement) throw new Error('no statement recorded');
  const [{ Plan: plan }] = (await explainPrepared(db, statement.sql, statement.params, 'json')) as [{ Plan: PlanNode }];
  const all = nodes(plan);
  const described = JSON.stringify(all.map((node) => [node['Node Type'], node['Relation Name'], node['Index Name']]));
  expect(plan['Node Type'], described).toBe('Limit');
  expect(all.filter((node) => node['Node Type'] === 'Sort'), described).toEqual([]);
  return { all, described };
}

it('walks an index in id order for every filter of expectations.list, with no sort, so LIMIT ends the walk after one page, whatever the cursor', async () => {
  const ada = await mirrorUser(db);
  const bob = await mirrorUser(db);
  // Enough rows, with statistics, that the planner chooses as it would in production.
  await insertExpectations(
    db,
    Array.from({ length: 20_000 }, (_, n) => ({
      authorId: n % 2 ? ada.id : bob.id,
      assigneeId: n % 3 ? bob.id : null,
      title: `t${n}`,
      details: '',
      status: (['open', 'met', 'missed', 'withdrawn'] as const)[n % 4]!,
      dueOn: null,
      createdAt: n,
      updatedAt: n,
    })),
  );
  await sqlRun(db, 'ANALYZE');
  for (const filter of listFilters(ada.id, bob.id)) {
    for (const beforeId of [undefined, 10_000, 22]) {
      const { all, described } = await pagedPlanOf(() => q.listExpectations({ scope: 'all', limit: 20, beforeId, ...filter }));
      const onExpectations = all.filter((node) => node['Relation Name'] === 'expectations');
      expect(onExpectations.map((node) => node['Node Type']), described).toEqual([expect.stringMatching(/^Index (Only )?Scan/)]);
    }
  }
});

it('walks a (organization_id, …, id) index for one team’s page of expectations.list, its scope check included, with no sort', async () => {
  const ada = await mirrorUser(db);
  const bob = await mirrorUser(db);
  // Many teams, each a small part of the table, as on a server that serves many: with a few
  // large ones, walking the ids and skipping other teams' rows is as cheap, and PostgreSQL may
  // rightly prefer it. In one statement as the writer, as for users below.
  await sqlRun(
    db,
    `BEGIN;
     SELECT set_config('expectations.mirror_writer', 'on', true);
     INSERT INTO organizations (clerk_id, name, clerk_updated_at, created_at, updated_at)
       SELECT 'org_plan' || n, 'Team ' || n, 1, 1, 1 FROM generate_series(0, 99) AS n;
     COMMIT;`,
  );
  const teams = (await sqlRows<{ id: number }>(db, 'SELECT id FROM organizations ORDER BY id')).map((row) => ({ id: row.id }));
  await insertExpectations(
    db,
    Array.from({ length: 100_000 }, (_, n) => ({
      authorId: n % 2 ? ada.id : bob.id,
      assigneeId: n % 3 ? bob.id : null,
      organizationId: n % 101 === 100 ? null : teams[n % 101]!.id,
      title: `t${n}`,
      details: '',
      status: (['open', 'met', 'missed', 'withdrawn'] as const)[n % 4]!,
      dueOn: null,
      createdAt: n,
      updatedAt: n,
    })),
  );
  await sqlRun(db, 'ANALYZE');
  // One team's pages. The personal page (organization_id IS NULL) is planned by how many rows
  // are personal, which no fixed data here can stand for: it may walk the ids as the
  // unfiltered list does (the SQLite test shows it can walk the twins).
  for (const team of ['org_plan0', 'org_plan57']) {
    for (const filter of listFilters(ada.id, bob.id)) {
      for (const beforeId of [undefined, 50_000]) {
        const scope = { clerkUserId: ada.clerkId, clerkOrganizationId: team };
        const { all, described } = await pagedPlanOf(() => q.listExpectations({ scope, limit: 20, beforeId, ...filter }));
        const onExpectations = all.filter((node) => node['Relation Name'] === 'expectations');
        expect(onExpectations.map((node) => node['Node Type']), described).toEqual([expect.stringMatching(/^Index (Only )?Scan/)]);
        expect(onExpectations.map((node) => node['Index Name']), described).toEqual([expect.stringMatching(/^expectations_organization_(author_|assignee_|status_)?idx$/)]);
        // The scope check runs once, not per row: the mirror's tables appear once each. (Here they
        // hold a few rows, which PostgreSQL rightly scans; the SQLite test shows the index lookups.)
        for (const relation of ['organizations', 'organization_memberships']) {
          expect(all.filter((node) => node['Relation Name'] === relation), described).toHaveLength(1);
        }
      }
    }
  }
});

it('walks users_list_idx in order for users.list, first page and next, with no sort', async () => {
  // Enough users, with statistics, that the planner chooses as it would for a large team.
  // In one statement, as the writer (its transaction-local flag): 3,000 webhook transactions took
  // over 30 s on a loaded machine, and what is tested here is the plan, not the writer.
  await sqlRun(
    db,
    `BEGIN;
     SELECT set_config('expectations.mirror_writer', 'on', true);
     INSERT INTO users (clerk_id, first_name, last_name, username, clerk_updated_at, created_at, updated_at)
       SELECT 'user_plan' || n, 'Person ' || (n % 97), n::text, 'p' || n, 1, 1, 1 FROM generate_series(0, 2999) AS n;
     COMMIT;`,
  );
  await sqlRun(db, 'ANALYZE');
  for (const after of [undefined, { sortKey: 'person 2 9', id: 10 }]) {
    const { all, described } = await pagedPlanOf(() => q.listUsers({ limit: 20, after }));
    expect(all.filter((node) => node['Relation Name'] === 'users').map((node) => node['Index Name']), described).toEqual(['users_list_idx']);
  }
});
