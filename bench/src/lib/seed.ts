import type { Database } from '@expectations/db';
import { clerkMembershipEvent, clerkOrganizationEvent } from '@expectations/api/testing';
import { insertExpectations, sqlRows } from '@expectations/db/testing';
import { benchUserId, clerkUserEvent, signedWebhookRequest } from './deliveries';

/** The Clerk organization id of bench team number `t`. */
export const benchTeamId = (t: number) => `org_bench${String(t).padStart(8, '0')}`;

/** Bench user `n`'s team, of `teams`. */
export const teamOfUser = (n: number, teams: number) => n % teams;

/** The Clerk version every seeded user, team and membership carries. */
const SEED_VERSION = 1_767_225_600_000;

/** Delivers `count` signed webhooks (body `n` from `eventOf(n)`), eight at a time, as Clerk would. */
async function deliverWebhooks(apiUrl: string, signingSecret: string, count: number, eventOf: (n: number) => string): Promise<void> {
  const queue = Array.from({ length: count }, (_, n) => n);
  const worker = async () => {
    for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
      const event = eventOf(n);
      const { method, path, headers, body } = signedWebhookRequest(signingSecret, event);
      const response = await fetch(`${apiUrl}${path}`, { method, headers, body });
      if (!response.ok) throw new Error(`seeding ${event.slice(0, 120)} failed with ${response.status}: ${await response.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** Creates `count` users the only way users are ever created: signed webhooks to the API. */
export async function seedUsersThroughWebhooks(apiUrl: string, signingSecret: string, count: number): Promise<void> {
  await deliverWebhooks(apiUrl, signingSecret, count, (n) => clerkUserEvent('user.created', n, SEED_VERSION));
}

/**
 * `teams` teams and each of the first `users` bench users a member of one of them (teamOfUser),
 * through signed webhooks as Clerk sends them.
 */
export async function seedTeamsThroughWebhooks(apiUrl: string, signingSecret: string, teams: number, users: number): Promise<void> {
  await deliverWebhooks(apiUrl, signingSecret, teams, (t) =>
    JSON.stringify(clerkOrganizationEvent('organization.created', { id: benchTeamId(t), updatedAt: SEED_VERSION, name: `Bench team ${t}` })),
  );
  await deliverWebhooks(apiUrl, signingSecret, users, (n) =>
    JSON.stringify(
      clerkMembershipEvent('organizationMembership.created', {
        id: `orgmem_bench${String(n).padStart(8, '0')}`,
        organizationId: benchTeamId(teamOfUser(n, teams)),
        userId: benchUserId(n),
        updatedAt: SEED_VERSION,
      }),
    ),
  );
}

/** Each mirrored user's team, from the mirror: users mirror id → organizations mirror id. */
export async function teamsOfUsers(db: Database): Promise<Map<number, number>> {
  const rows = await sqlRows<{ user_id: number; organization_id: number }>(
    db,
    `SELECT u.id AS user_id, o.id AS organization_id FROM users u
       JOIN organization_memberships m ON m.clerk_user_id = u.clerk_id
       JOIN organizations o ON o.clerk_id = m.clerk_organization_id`,
  );
  return new Map(rows.map((row) => [Number(row.user_id), Number(row.organization_id)]));
}

/**
 * Expectations `offset` to `offset + count - 1`, in bulk: the large sizes need bulk speed. Given
 * `teams` (users mirror id → organizations mirror id), each belongs to its author's team and is
 * assigned within it; otherwise all are personal.
 */
export async function bulkInsertExpectations(db: Database, userIds: number[], offset: number, count: number, teams?: Map<number, number>): Promise<void> {
  const statuses = ['open', 'met', 'missed', 'withdrawn'] as const;
  const start = 1_767_225_600_000;
  const members = new Map<number | null, number[]>();
  for (const id of userIds) {
    const team = teams?.get(id) ?? null;
    members.set(team, [...(members.get(team) ?? []), id]);
  }
  function* rows() {
    for (let i = offset; i < offset + count; i++) {
      const at = start + i * 1000;
      const authorId = userIds[i % userIds.length]!;
      const organizationId = teams?.get(authorId) ?? null;
      const teammates = members.get(organizationId)!;
      yield {
        authorId,
        organizationId,
        assigneeId: i % 3 === 0 ? null : teammates[(i * 7 + 3) % teammates.length]!,
        title: `Expectation ${i}`,
        details: i % 2 ? 'Some details about it.' : '',
        status: statuses[i % 4]!,
        dueOn: i % 5 ? null : '2027-01-15',
        createdAt: at,
        updatedAt: at,
      };
    }
  }
  await insertExpectations(db, rows());
}
