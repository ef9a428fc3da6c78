import Table from 'cli-table3';
import type { ClerkMembershipVersion, ClerkVersion } from './clerk-directory';
import { hasDrift, kindHasDrift, MIRRORED_KINDS, type KindAudit, type MirrorAudit } from './compare';

/** Rows of each drift of each kind shown on a terminal; --json always carries every id. */
const ROWS_PER_KIND = 25;

type MirroredKind = (typeof MIRRORED_KINDS)[number];

/** How each kind is named, and the events that bring it in or take it out. */
const KIND_NAMES: Record<MirroredKind, { title: string; noun: string; updated: string; deleted: string }> = {
  users: { title: 'Users', noun: 'user', updated: 'user.updated', deleted: 'user.deleted' },
  organizations: { title: 'Organizations', noun: 'organization', updated: 'organization.updated', deleted: 'organization.deleted' },
  memberships: { title: 'Memberships', noun: 'membership', updated: 'organizationMembership.updated', deleted: 'organizationMembership.deleted' },
};

const idsOf = (result: KindAudit) => ({
  checked: result.checked,
  missing: result.missing.map((entry) => entry.clerk.id),
  stale: result.stale.map((entry) => entry.clerk.id),
  ghosts: result.ghosts.map((entry) => entry.clerkId),
});

/**
 * The `--json` report: one object of Clerk ids. The users' drift stays at the top level, as it
 * was before organizations were audited, so that scripts reading it keep working.
 */
export function jsonReport(audit: MirrorAudit): string {
  return JSON.stringify({ ...idsOf(audit.users), organizations: idsOf(audit.organizations), memberships: idsOf(audit.memberships) });
}

const time = (ms: number | undefined) => (ms === undefined ? '?' : new Date(ms).toISOString().replace('.000Z', 'Z'));

/** "a", "a or b", "a, b or c". */
function eitherOf(names: string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

function counts(result: KindAudit): string {
  return `${result.missing.length} missing, ${result.stale.length} stale, ${result.ghosts.length} ghost${result.ghosts.length === 1 ? '' : 's'}`;
}

/** Adds up to ROWS_PER_KIND rows of one drift to the table, and how many more there are. */
function addRows<Entry>(table: Table.Table, drift: string, entries: readonly Entry[], row: (entry: Entry) => [id: string, detail: string]): void {
  for (const entry of entries.slice(0, ROWS_PER_KIND)) table.push([drift, ...row(entry)]);
  if (entries.length > ROWS_PER_KIND) table.push([drift, `… and ${(entries.length - ROWS_PER_KIND).toLocaleString('en')} more`, 'all ids: --json']);
}

/** One kind's heading and table; `whose` names what an id alone does not tell a person (a membership's user and organization). */
function section<Version extends ClerkVersion>(kind: MirroredKind, result: KindAudit<Version>, resynced: boolean, whose: (version: Version) => string = () => ''): string[] {
  const { title, noun } = KIND_NAMES[kind];
  if (!kindHasDrift(result)) return [`${title}: ${resynced ? 'no drift left' : 'no drift'}.`];
  const table = new Table({ head: ['drift', `Clerk ${noun} id`, 'detail'], style: { head: [], border: [], compact: true } });
  addRows(table, 'missing', result.missing, ({ clerk }) => [clerk.id, `${whose(clerk)}in Clerk (updated ${time(clerk.updatedAt)}), not in the mirror`]);
  addRows(table, 'stale', result.stale, ({ clerk, mirrorUpdatedAt }) => [clerk.id, `${whose(clerk)}Clerk ${time(clerk.updatedAt)}, mirror ${time(mirrorUpdatedAt)}`]);
  addRows(table, 'ghost', result.ghosts, ({ clerkId }) => [clerkId, 'live in the mirror, gone from Clerk']);
  return [`${title}: ${counts(result)}${resynced ? ', still open after the resync' : ''}.`, table.toString()];
}

/** The report for a person: a section of what differs for each kind, and what to do about it. */
export function textReport(audit: MirrorAudit, context: { clerkApiUrl: string; database: string; resynced: boolean }): string {
  const checked = (kind: MirroredKind) => audit[kind].checked.toLocaleString('en');
  const lines = [
    `Checked ${checked('users')} Clerk users, ${checked('organizations')} organizations and ${checked('memberships')} memberships (${context.clerkApiUrl}) against the mirror (${context.database}).`,
  ];
  if (!hasDrift(audit)) {
    lines.push(context.resynced ? 'No drift left: the mirror matches Clerk.' : 'No drift: the mirror matches Clerk.');
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    ...section('users', audit.users, context.resynced),
    ...section('organizations', audit.organizations, context.resynced),
    ...section('memberships', audit.memberships, context.resynced, (membership: ClerkMembershipVersion) => `${membership.userId} in ${membership.organizationId}: `),
  );

  const withOpenVersions = MIRRORED_KINDS.filter((kind) => audit[kind].missing.length + audit[kind].stale.length > 0);
  if (withOpenVersions.length > 0) {
    const events = eitherOf(withOpenVersions.map((kind) => KIND_NAMES[kind].updated));
    lines.push(
      context.resynced
        ? `- Missing and stale entries left: their ${events} did not arrive in time. Check the webhook endpoint (logs, "clerk webhook refused"), then run with --resync again.`
        : `- Missing and stale entries: run again with --resync. Clerk then sends a fresh ${events} for each, and the webhook brings them in.`,
    );
  }
  const withGhosts = MIRRORED_KINDS.filter((kind) => audit[kind].ghosts.length > 0);
  if (withGhosts.length > 0) {
    const events = eitherOf(withGhosts.map((kind) => KIND_NAMES[kind].deleted));
    lines.push(
      `- Ghosts: their ${events} was lost, and Clerk cannot send it again on request. In Clerk's dashboard, Webhooks → your endpoint →`,
      '  Recover failed messages, since before the outage; locally: curl -X POST <stand-in>/admin/webhooks/recover. Never edit the mirror by hand.',
    );
  }
  return `${lines.join('\n')}\n`;
}
