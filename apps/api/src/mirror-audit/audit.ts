import { setTimeout as sleep } from 'node:timers/promises';
import type { MirrorAuditQueries } from '@expectations/db';
import { CLERK_PAGE_SIZE, type ClerkDirectory, type ClerkUserVersion } from './clerk-directory';
import { compareWithMirror, type AuditResult, type DriftEntry } from './compare';
import type { Progress } from './progress';

/** Metadata changes in flight at once during `--resync`: enough to keep Clerk's rate limit busy. */
const RESYNC_CONCURRENCY = 8;
const WEBHOOK_POLL_MS = 250;

/**
 * Pages through every Clerk user (oldest first), compares each page with the mirror, then looks
 * for ghosts among the mirror's live users that no page listed. Offsets shift when users are
 * deleted mid-run, so every ghost candidate is asked for by id before it is called a ghost.
 */
export async function auditMirror(clerk: ClerkDirectory, mirror: MirrorAuditQueries, progress: Progress): Promise<AuditResult> {
  const result: AuditResult = { checked: 0, missing: [], stale: [], ghosts: [] };
  const seen = new Set<string>();
  const compare = async (users: ClerkUserVersion[]) => {
    const fresh = users.filter((user) => !seen.has(user.id));
    for (const user of fresh) seen.add(user.id);
    const { missing, stale } = compareWithMirror(fresh, await mirror.findMirrorVersions(fresh.map((user) => user.id)));
    result.checked += fresh.length;
    result.missing.push(...missing);
    result.stale.push(...stale);
  };

  for (let offset = 0; ; ) {
    const { users, totalCount } = await clerk.page(offset);
    await compare(users);
    progress.update(`checked ${result.checked.toLocaleString('en')} of ${totalCount.toLocaleString('en')} Clerk users`);
    offset += users.length;
    if (users.length < CLERK_PAGE_SIZE) break;
  }

  for (let after: string | undefined; ; ) {
    const live = await mirror.listLiveMirrorClerkIds({ after, limit: CLERK_PAGE_SIZE });
    const candidates = live.filter((id) => !seen.has(id));
    if (candidates.length > 0) {
      const found = await clerk.findByIds(candidates);
      await compare(found);
      const foundIds = new Set(found.map((user) => user.id));
      result.ghosts.push(...candidates.filter((id) => !foundIds.has(id)).map((clerkId) => ({ clerkId })));
    }
    if (live.length < CLERK_PAGE_SIZE) break;
    after = live.at(-1);
  }
  progress.done();
  return result;
}

/**
 * Repairs missing and stale users without writing the mirror: touches each one's private
 * metadata in Clerk, so that Clerk sends `user.updated`, then waits (at most `waitSeconds`) until
 * the webhook has applied a version at least that new. Returns what is still open; ghosts are
 * passed through, since Clerk cannot send a lost `user.deleted` again.
 */
export async function resyncMirror(
  clerk: ClerkDirectory,
  mirror: MirrorAuditQueries,
  found: AuditResult,
  options: { waitSeconds: number; progress: Progress },
): Promise<AuditResult> {
  const { progress } = options;
  const targets = [...found.missing, ...found.stale];
  const expected = new Map<string, number>();
  let touched = 0;
  const queue = [...targets];
  const requestedAt = new Date();
  await Promise.all(
    Array.from({ length: Math.min(RESYNC_CONCURRENCY, queue.length) }, async () => {
      for (let entry = queue.shift(); entry; entry = queue.shift()) {
        const version = await clerk.touchForResync(entry.clerkId, requestedAt);
        // Deleted in Clerk since the audit: nothing to bring in (a later audit sees any ghost).
        if (version) expected.set(entry.clerkId, version.updatedAt);
        touched += 1;
        progress.update(`asked Clerk to resend ${touched.toLocaleString('en')} of ${targets.length.toLocaleString('en')} users`);
      }
    }),
  );

  const deadline = Date.now() + options.waitSeconds * 1000;
  for (;;) {
    const open = [...expected.keys()];
    for (let start = 0; start < open.length; start += CLERK_PAGE_SIZE) {
      for (const held of await mirror.findMirrorVersions(open.slice(start, start + CLERK_PAGE_SIZE))) {
        if (held.deleted || held.clerkUpdatedAt >= (expected.get(held.clerkId) ?? Infinity)) expected.delete(held.clerkId);
      }
    }
    const applied = targets.length - expected.size;
    progress.update(`waiting for the webhook: ${applied.toLocaleString('en')} of ${targets.length.toLocaleString('en')} users applied`);
    if (expected.size === 0 || Date.now() >= deadline) break;
    await sleep(WEBHOOK_POLL_MS);
  }
  progress.done();

  const stillOpen = (entries: DriftEntry[]) => entries.filter((entry) => expected.has(entry.clerkId));
  return { checked: found.checked, missing: stillOpen(found.missing), stale: stillOpen(found.stale), ghosts: found.ghosts };
}
