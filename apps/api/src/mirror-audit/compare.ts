import type { MirrorVersion } from '@expectations/db';
import type { ClerkUserVersion } from './clerk-directory';

/** One user that differs between Clerk and the mirror. Times are epoch ms. */
export interface DriftEntry {
  clerkId: string;
  /** Clerk's `updated_at` (missing and stale users). */
  clerkUpdatedAt?: number;
  /** The version the mirror holds (stale users). */
  mirrorUpdatedAt?: number;
}

export interface AuditResult {
  /** Clerk users compared with the mirror. */
  checked: number;
  /** In Clerk, not in the mirror. */
  missing: DriftEntry[];
  /** Clerk's `updated_at` is newer than the mirror's. */
  stale: DriftEntry[];
  /** Live in the mirror, gone from Clerk. */
  ghosts: DriftEntry[];
}

/**
 * Classifies Clerk users against the mirror's versions of them. A user the mirror holds as
 * deleted but Clerk still lists is left alone: deletion is final in the mirror and Clerk never
 * reuses an id, so no webhook could change that row.
 */
export function compareWithMirror(
  clerkUsers: readonly ClerkUserVersion[],
  mirror: readonly MirrorVersion[],
): Pick<AuditResult, 'missing' | 'stale'> {
  const byId = new Map(mirror.map((version) => [version.clerkId, version]));
  const missing: DriftEntry[] = [];
  const stale: DriftEntry[] = [];
  for (const user of clerkUsers) {
    const held = byId.get(user.id);
    if (!held) missing.push({ clerkId: user.id, clerkUpdatedAt: user.updatedAt });
    else if (!held.deleted && user.updatedAt > held.clerkUpdatedAt) {
      stale.push({ clerkId: user.id, clerkUpdatedAt: user.updatedAt, mirrorUpdatedAt: held.clerkUpdatedAt });
    }
  }
  return { missing, stale };
}

export const hasDrift = (result: AuditResult) => result.missing.length + result.stale.length + result.ghosts.length > 0;
