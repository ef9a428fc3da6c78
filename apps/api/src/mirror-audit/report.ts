import Table from 'cli-table3';
import { hasDrift, type AuditResult, type DriftEntry } from './compare';

/** Rows of each kind shown on a terminal; --json always carries every id. */
const ROWS_PER_KIND = 25;

/** The `--json` report: one object, Clerk user ids only. */
export function jsonReport(result: AuditResult): string {
  const ids = (entries: DriftEntry[]) => entries.map((entry) => entry.clerkId);
  return JSON.stringify({ checked: result.checked, missing: ids(result.missing), stale: ids(result.stale), ghosts: ids(result.ghosts) });
}

const time = (ms: number | undefined) => (ms === undefined ? '?' : new Date(ms).toISOString().replace('.000Z', 'Z'));

const KINDS = [
  { kind: 'missing', key: 'missing', detail: (entry: DriftEntry) => `in Clerk (updated ${time(entry.clerkUpdatedAt)}), not in the mirror` },
  { kind: 'stale', key: 'stale', detail: (entry: DriftEntry) => `Clerk ${time(entry.clerkUpdatedAt)}, mirror ${time(entry.mirrorUpdatedAt)}` },
  { kind: 'ghost', key: 'ghosts', detail: () => 'live in the mirror, gone from Clerk' },
] as const;

/** The report for a person: a table of what differs and what to do about it. */
export function textReport(result: AuditResult, context: { clerkApiUrl: string; database: string; resynced: boolean }): string {
  const lines = [`Checked ${result.checked.toLocaleString('en')} Clerk users (${context.clerkApiUrl}) against the mirror (${context.database}).`];
  const counts = `${result.missing.length} missing, ${result.stale.length} stale, ${result.ghosts.length} ghost${result.ghosts.length === 1 ? '' : 's'}`;
  if (!hasDrift(result)) {
    lines.push(context.resynced ? 'No drift left: the mirror matches Clerk.' : 'No drift: the mirror matches Clerk.');
    return `${lines.join('\n')}\n`;
  }

  const table = new Table({ head: ['drift', 'Clerk user id', 'detail'], style: { head: [], border: [], compact: true } });
  for (const { kind, key, detail } of KINDS) {
    const entries = result[key];
    for (const entry of entries.slice(0, ROWS_PER_KIND)) table.push([kind, entry.clerkId, detail(entry)]);
    if (entries.length > ROWS_PER_KIND) table.push([kind, `… and ${(entries.length - ROWS_PER_KIND).toLocaleString('en')} more`, 'all ids: --json']);
  }
  lines.push(table.toString(), context.resynced ? `Still open after the resync: ${counts}.` : `Drift: ${counts}.`);

  if (result.missing.length + result.stale.length > 0) {
    lines.push(
      context.resynced
        ? '- Missing and stale users left: their user.updated did not arrive in time. Check the webhook endpoint (logs, "clerk webhook refused"), then run with --resync again.'
        : '- Missing and stale users: run again with --resync. Clerk then sends a fresh user.updated for each, and the webhook brings them in.',
    );
  }
  if (result.ghosts.length > 0) {
    lines.push(
      '- Ghosts: their user.deleted was lost, and Clerk cannot send it again on request. In Clerk\'s dashboard, Webhooks → your endpoint →',
      '  Recover failed messages, since before the outage; locally: curl -X POST <stand-in>/admin/webhooks/recover. Never edit the mirror by hand.',
    );
  }
  return `${lines.join('\n')}\n`;
}
