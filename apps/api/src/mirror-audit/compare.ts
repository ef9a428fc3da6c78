import type { ClerkMembershipVersion, ClerkVersion } from './clerk-directory';

/** What the mirror holds of one Clerk user, organization or membership. Times are epoch ms. */
export interface HeldVersion {
  /** Clerk's `updated_at` of the last event applied to it. */
  clerkUpdatedAt: number;
  /**
   * No event of it can change the mirror any more: deleted there (deletion is final and Clerk
   * never reuses an id), or a membership the mirror has moved past or ended with its organization.
   */
  final: boolean;
}

/** Something Clerk has that the mirror lacks or holds an older version of. */
export interface ClerkDrift<Version extends ClerkVersion = ClerkVersion> {
  /** Clerk's version, which `--resync` touches. */
  clerk: Version;
  /** The version the mirror holds (stale entries), epoch ms. */
  mirrorUpdatedAt?: number;
}

/** Live in the mirror, gone from Clerk: the Clerk id the mirror holds. */
export interface Ghost {
  clerkId: string;
}

/** The drift of one kind (users, organizations or memberships). */
export interface KindAudit<Version extends ClerkVersion = ClerkVersion> {
  /** Clerk's users, organizations or memberships compared with the mirror. */
  checked: number;
  /** In Clerk, not in the mirror. */
  missing: ClerkDrift<Version>[];
  /** Clerk's `updated_at` is newer than the mirror's. */
  stale: ClerkDrift<Version>[];
  /** Live in the mirror, gone from Clerk. */
  ghosts: Ghost[];
}

/** The whole audit: each mirrored kind. */
export interface MirrorAudit {
  users: KindAudit;
  organizations: KindAudit;
  memberships: KindAudit<ClerkMembershipVersion>;
}

export const MIRRORED_KINDS = ['users', 'organizations', 'memberships'] as const satisfies readonly (keyof MirrorAudit)[];

/**
 * Classifies Clerk's versions against what the mirror holds of them (by Clerk id). What the
 * mirror holds as final is left alone, even if Clerk still lists it: no webhook could change it.
 */
export function compareWithMirror<Version extends ClerkVersion>(
  clerk: readonly Version[],
  held: ReadonlyMap<string, HeldVersion>,
): Pick<KindAudit<Version>, 'missing' | 'stale'> {
  const missing: ClerkDrift<Version>[] = [];
  const stale: ClerkDrift<Version>[] = [];
  for (const version of clerk) {
    const mirror = held.get(version.id);
    if (!mirror) missing.push({ clerk: version });
    else if (!mirror.final && version.updatedAt > mirror.clerkUpdatedAt) stale.push({ clerk: version, mirrorUpdatedAt: mirror.clerkUpdatedAt });
  }
  return { missing, stale };
}

export const kindHasDrift = (result: KindAudit) => result.missing.length + result.stale.length + result.ghosts.length > 0;
export const kindNeedsResync = (result: KindAudit) => result.missing.length + result.stale.length > 0;
export const hasDrift = (audit: MirrorAudit) => MIRRORED_KINDS.some((kind) => kindHasDrift(audit[kind]));
export const needsResync = (audit: MirrorAudit) => MIRRORED_KINDS.some((kind) => kindNeedsResync(audit[kind]));
