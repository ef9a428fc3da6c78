import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi, type BuiltApp } from '@expectations/api/testing';
import { createTempDatabaseUrl, testDialect, type TempDatabaseUrl } from '@expectations/db/testing';
import { summaryLine } from '../src/report';
import { runChaosScenario } from '../src/scenario';

// On SQLite one API process serves the file; on PostgreSQL two replicas share the database,
// take webhooks round-robin, and serve readers and writers, while one of them is killed.
const dialect = testDialect();
const replicas = dialect === 'postgres' ? 2 : 1;

let database: TempDatabaseUrl;
// The production build, as operators run it: the scenario starts the API six or seven times, and
// from TypeScript source each start took 12-24 s on a loaded 2-core machine.
let api: BuiltApp | undefined;
beforeAll(async () => {
  database = await createTempDatabaseUrl();
  api = buildApi();
});
afterAll(async () => {
  await database.destroy();
  api?.remove();
});

describe(`chaos convergence on ${dialect} with ${replicas} API process${replicas === 1 ? '' : 'es'}`, () => {
  it('with faulty webhooks and an API process killed mid-stream, the mirror equals Clerk’s users, teams and memberships and nothing answers 5xx', async () => {
    const report = await runChaosScenario({
      changes: 150,
      databaseUrl: database.url,
      apiMain: api!.main,
      replicas,
      kills: 4,
      readers: 3,
      expectations: 10,
      seed: 20_240_611,
      faults: 'duplicate=0.25,drop=0.25,reorder=0.25,delay_ms=50',
      changeIntervalMs: 20,
      convergenceTimeoutMs: 40_000,
      // Printed as it happens: if the test's timeout stops the run, the last line names the phase.
      progress: (line) => console.log(`chaos ${dialect}: ${line}`),
    });
    console.log(`chaos convergence: ${summaryLine(report)}`);

    expect(report.problems).toEqual([]);
    expect(report.serverErrors).toBe(0);
    expect(report.mirror.users.divergences).toEqual([]);
    expect(report.mirror.organizations.divergences).toEqual([]);
    expect(report.mirror.memberships.divergences).toEqual([]);
    expect(report.webhooks.pendingAtEnd).toBe(0);
    expect(report.webhooks.delivered).toBe(report.changes.webhookMessages);
    expect(report.changes.total).toBe(150);
    expect(report.kills).toBe(4);
    expect(report.replicas).toBe(replicas);
    // Every kind of change happened, including members added back to a team they had left,
    // memberships ended by their user's deletion, and the refusal of a team's only admin's
    // demotion or removal.
    const { users, teams, memberships } = report.changes;
    for (const count of [users.creates, users.updates, users.deletes, teams.creates, teams.renames, teams.deletes]) expect(count).toBeGreaterThan(0);
    for (const count of [memberships.adds, memberships.rejoins, memberships.roleChanges, memberships.removals, memberships.endedWithUser]) {
      expect(count).toBeGreaterThan(0);
    }
    expect(report.changes.refused).toBeGreaterThan(0);
    expect(report.answers.standInAdmin.byStatus['403']).toBe(report.changes.refused);
    // Every live and deleted user and team, and every membership pair, was compared, and nothing
    // else is in the mirror.
    expect(report.mirror.users.rowsCompared).toBe(users.creates);
    expect(report.mirror.users.deleted).toBe(users.deletes);
    expect(report.mirror.organizations.rowsCompared).toBe(teams.creates);
    expect(report.mirror.organizations.deleted).toBe(teams.deletes);
    expect(report.mirror.memberships.rowsCompared).toBe(report.mirror.memberships.live + report.mirror.memberships.deleted);
    expect(report.mirror.memberships.deleted).toBeGreaterThan(0);
    // The faults really happened, and the kills really cut readers off: the run is not vacuous.
    expect(report.webhooks.duplicated).toBeGreaterThan(0);
    expect(report.webhooks.dropped).toBeGreaterThan(0);
    expect(report.webhooks.heldBack).toBeGreaterThan(0);
    expect(report.webhooks.redeliveriesRecognised).toBeGreaterThan(0);
    expect(report.answers.reads.connectionErrors).toBeGreaterThan(0);
    expect(report.answers.reads.byStatus['200']).toBeGreaterThan(0);
    expect(report.expectations.acknowledged).toBe(10);
    expect(report.expectations.inTeam).toBeGreaterThan(0);
    expect(report.expectations.missingAfterAcknowledgement).toBe(0);
    expect(report.expectations.lastPageWithAssignee).toBeGreaterThan(0);
  });
});
