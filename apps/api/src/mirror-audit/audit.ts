import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditedKind, LiveRow, MirroredKinds } from './audited-kinds';
import { CLERK_PAGE_SIZE, type ClerkVersion } from './clerk-directory';
import { compareWithMirror, type ClerkDrift, type KindAudit, type MirrorAudit } from './compare';
import type { Progress } from './progress';

/** Metadata changes in flight at once during `--resync`: enough to keep Clerk's rate limit busy. */
const RESYNC_CONCURRENCY = 8;
const WEBHOOK_POLL_MS = 250;

/** Compares each mirrored kind with Clerk, one after the other. */
export async function auditMirror(kinds: MirroredKinds, progress: Progress): Promise<MirrorAudit> {
  return {
    users: await auditKind(kinds.users, progress),
    organizations: await auditKind(kinds.organizations, progress),
    memberships: await auditKind(kinds.memberships, progress),
  };
}

/**
 * Repairs every kind's missing and stale entries through the webhook (requestResync), then
 * waits (at most `waitSeconds`, for all kinds together) until the mirror holds what Clerk sent.
 * Returns what is still open.
 */
export async function resyncMirror(kinds: MirroredKinds, found: MirrorAudit, options: { waitSeconds: number; progress: Progress }): Promise<MirrorAudit> {
  const requestedAt = new Date();
  const users = await requestResync(kinds.users, found.users, { requestedAt, progress: options.progress });
  const organizations = await requestResync(kinds.organizations, found.organizations, { requestedAt, progress: options.progress });
  const memberships = await requestResync(kinds.memberships, found.memberships, { requestedAt, progress: options.progress });
  await waitForWebhook([users, organizations, memberships], options);
  return { users: users.stillOpen(), organizations: organizations.stillOpen(), memberships: memberships.stillOpen() };
}

/**
 * Pages through Clerk's list of one kind (oldest first), compares each page with the mirror,
 * then looks for ghosts among the mirror's live rows that no page listed. Offsets shift when
 * something is deleted mid-run, so every ghost candidate is asked for by id before it is called
 * a ghost.
 */
async function auditKind<Version extends ClerkVersion, Row extends LiveRow>(
  kind: AuditedKind<Version, Row>,
  progress: Progress,
): Promise<KindAudit<Version>> {
  const result: KindAudit<Version> = { checked: 0, missing: [], stale: [], ghosts: [] };
  const seen = new Set<string>();
  const compare = async (versions: Version[]) => {
    const fresh = versions.filter((version) => !seen.has(kind.keyOf(version)));
    for (const version of fresh) seen.add(kind.keyOf(version));
    const { missing, stale } = compareWithMirror(fresh, await kind.heldVersions(fresh));
    result.checked += fresh.length;
    result.missing.push(...missing);
    result.stale.push(...stale);
  };

  for (let offset = 0; ; ) {
    const { versions, totalCount } = await kind.page(offset);
    await compare(versions);
    progress.update(`checked ${result.checked.toLocaleString('en')} of ${totalCount.toLocaleString('en')} Clerk ${kind.noun}`);
    offset += versions.length;
    if (versions.length < CLERK_PAGE_SIZE) break;
  }

  for (let after: Row | undefined; ; ) {
    const live = await kind.listLive({ after, limit: CLERK_PAGE_SIZE });
    const candidates = live.filter((row) => !seen.has(row.key));
    if (candidates.length > 0) {
      const found = await kind.findInClerk(candidates);
      await compare(found);
      const foundKeys = new Set(found.map((version) => kind.keyOf(version)));
      result.ghosts.push(...candidates.filter((row) => !foundKeys.has(row.key)).map((row) => ({ clerkId: row.clerkId })));
    }
    if (live.length < CLERK_PAGE_SIZE) break;
    after = live.at(-1);
  }
  progress.done();
  return result;
}

/** A kind's missing and stale entries, touched in Clerk, until the webhook has applied them. */
interface PendingResync<Version extends ClerkVersion> {
  /** How many were asked for. */
  readonly requested: number;
  /** Looks in the mirror again; how many are still open. */
  check(): Promise<number>;
  /** The kind's audit with only what is still open left in `missing` and `stale`. */
  stillOpen(): KindAudit<Version>;
}

/**
 * Repairs a kind's missing and stale entries without writing the mirror: touches each one's
 * private metadata in Clerk, so that Clerk sends its `….updated` event; waitForWebhook() then
 * waits until the mirror holds a version at least that new. Ghosts are passed through, since
 * Clerk cannot send a lost deletion again.
 */
async function requestResync<Version extends ClerkVersion, Row extends LiveRow>(
  kind: AuditedKind<Version, Row>,
  found: KindAudit<Version>,
  options: { requestedAt: Date; progress: Progress },
): Promise<PendingResync<Version>> {
  const { progress } = options;
  const targets = [...found.missing, ...found.stale];
  const expected = new Map<string, Version>();
  let touched = 0;
  const queue = [...targets];
  await Promise.all(
    Array.from({ length: Math.min(RESYNC_CONCURRENCY, queue.length) }, async () => {
      for (let entry = queue.shift(); entry; entry = queue.shift()) {
        const version = await kind.touch(entry.clerk, options.requestedAt);
        // Deleted in Clerk since the audit: nothing to bring in (a later audit sees any ghost).
        if (version) expected.set(version.id, version);
        touched += 1;
        progress.update(`asked Clerk to resend ${touched.toLocaleString('en')} of ${targets.length.toLocaleString('en')} ${kind.noun}`);
      }
    }),
  );
  progress.done();

  return {
    requested: targets.length,
    async check() {
      const open = [...expected.values()];
      for (let start = 0; start < open.length; start += CLERK_PAGE_SIZE) {
        const page = open.slice(start, start + CLERK_PAGE_SIZE);
        const held = await kind.heldVersions(page);
        for (const version of page) {
          const mirror = held.get(version.id);
          if (mirror && (mirror.final || mirror.clerkUpdatedAt >= version.updatedAt)) expected.delete(version.id);
        }
      }
      return expected.size;
    },
    stillOpen() {
      const open = (entries: ClerkDrift<Version>[]) => entries.filter((entry) => expected.has(entry.clerk.id));
      return { checked: found.checked, missing: open(found.missing), stale: open(found.stale), ghosts: found.ghosts };
    },
  };
}

/** Polls the mirror until every pending resync is applied, or `waitSeconds` have passed. */
async function waitForWebhook(pending: readonly PendingResync<ClerkVersion>[], options: { waitSeconds: number; progress: Progress }): Promise<void> {
  const { progress } = options;
  const requested = pending.reduce((sum, resync) => sum + resync.requested, 0);
  const deadline = Date.now() + options.waitSeconds * 1000;
  for (;;) {
    let open = 0;
    for (const resync of pending) open += await resync.check();
    progress.update(`waiting for the webhook: ${(requested - open).toLocaleString('en')} of ${requested.toLocaleString('en')} applied`);
    if (open === 0 || Date.now() >= deadline) break;
    await sleep(WEBHOOK_POLL_MS);
  }
  progress.done();
}
