import { primaryEmailOf, type ClerkUserJson } from '@expectations/clerk-emulator';

/** A row of the API's users mirror, in its own column names. */
export interface MirrorRow {
  clerk_id: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  username: string | null;
  image_url: string | null;
  clerk_updated_at: number;
  deleted_at: number | null;
}

export const MIRROR_ROW_QUERY =
  'SELECT clerk_id, email, first_name, last_name, username, image_url, clerk_updated_at, deleted_at FROM users';

export interface MirrorComparison {
  rowsCompared: number;
  liveUsers: number;
  deletedUsers: number;
  /** One sentence per difference; empty when the mirror equals Clerk's side. */
  divergences: string[];
}

/**
 * Compares the mirror with Clerk's truth field by field: every live user has a row equal to it,
 * every deleted user a tombstone (personal fields erased, `deleted_at` set), and there is no
 * other row.
 */
export function compareMirror(rows: readonly MirrorRow[], liveUsers: readonly ClerkUserJson[], deletedIds: readonly string[]): MirrorComparison {
  const divergences: string[] = [];
  const byClerkId = new Map<string, MirrorRow>();
  for (const row of rows) {
    if (byClerkId.has(row.clerk_id)) divergences.push(`${row.clerk_id}: more than one mirror row`);
    byClerkId.set(row.clerk_id, row);
  }
  const expected = new Set<string>();

  for (const user of liveUsers) {
    expected.add(user.id);
    const row = byClerkId.get(user.id);
    if (!row) {
      divergences.push(`${user.id}: live in Clerk but has no mirror row`);
      continue;
    }
    const want: Partial<MirrorRow> = {
      email: primaryEmailOf(user),
      first_name: user.first_name,
      last_name: user.last_name,
      username: user.username,
      image_url: user.image_url,
      clerk_updated_at: user.updated_at,
      deleted_at: null,
    };
    for (const [field, value] of Object.entries(want)) {
      const actual = row[field as keyof MirrorRow];
      if (actual !== value) divergences.push(`${user.id}: ${field} is ${JSON.stringify(actual)} in the mirror, ${JSON.stringify(value)} in Clerk`);
    }
  }

  for (const id of deletedIds) {
    if (expected.has(id)) divergences.push(`${id}: deleted, yet Clerk still lists the user`);
    expected.add(id);
    const row = byClerkId.get(id);
    if (!row) {
      divergences.push(`${id}: deleted in Clerk but has no tombstone in the mirror`);
      continue;
    }
    if (row.deleted_at === null) divergences.push(`${id}: deleted in Clerk but deleted_at is null in the mirror`);
    for (const field of ['email', 'first_name', 'last_name', 'username', 'image_url'] as const) {
      if (row[field] !== null) divergences.push(`${id}: deleted in Clerk but ${field} is still ${JSON.stringify(row[field])} in the mirror`);
    }
  }

  for (const row of rows) {
    if (!expected.has(row.clerk_id)) divergences.push(`${row.clerk_id}: in the mirror but unknown to Clerk`);
  }

  return { rowsCompared: rows.length, liveUsers: liveUsers.length, deletedUsers: deletedIds.length, divergences };
}
