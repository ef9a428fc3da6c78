import { createHash, randomBytes } from 'node:crypto';
import { newClerkId } from './clerk-ids';
import type { Sqlite } from './store';

export interface ActiveSession {
  sessionId: string;
  userId: string;
}

const hashOf = (cookieToken: string) => createHash('sha256').update(cookieToken).digest('hex');

/**
 * Sessions, as Clerk's `sess_…` objects. A browser session is found by the secret in its cookie
 * (only its hash is stored); sessions minted through the admin API have no cookie.
 */
export class Sessions {
  private readonly insert;
  private readonly selectByCookie;
  private readonly endOne;
  private readonly endForUser;

  constructor(db: Sqlite) {
    this.insert = db.prepare(
      'INSERT INTO sessions (id, user_id, cookie_token_hash, created_at) VALUES (@id, @userId, @hash, @now)',
    );
    this.selectByCookie = db.prepare<[string], { id: string; user_id: string }>(
      `SELECT s.id, s.user_id FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.cookie_token_hash = ? AND s.ended_at IS NULL`,
    );
    this.endOne = db.prepare('UPDATE sessions SET ended_at = @now WHERE id = @id AND ended_at IS NULL');
    this.endForUser = db.prepare('UPDATE sessions SET ended_at = @now WHERE user_id = @userId AND ended_at IS NULL');
  }

  /** A browser session: returns the cookie's secret, which is never stored. */
  startBrowserSession(userId: string, now = Date.now()): ActiveSession & { cookieToken: string } {
    const id = newClerkId('sess', now);
    const cookieToken = randomBytes(32).toString('base64url');
    this.insert.run({ id, userId, hash: hashOf(cookieToken), now });
    return { sessionId: id, userId, cookieToken };
  }

  /** A session for tests and scripts (POST /admin/sessions): no cookie. */
  startHeadlessSession(userId: string, now = Date.now()): ActiveSession {
    const id = newClerkId('sess', now);
    this.insert.run({ id, userId, hash: null, now });
    return { sessionId: id, userId };
  }

  findByCookie(cookieToken: string | undefined): ActiveSession | undefined {
    if (!cookieToken) return undefined;
    const row = this.selectByCookie.get(hashOf(cookieToken));
    return row ? { sessionId: row.id, userId: row.user_id } : undefined;
  }

  end(sessionId: string, now = Date.now()): void {
    this.endOne.run({ id: sessionId, now });
  }

  /** Ends every session of a user; called inside the deletion's transaction. */
  endAllForUser(userId: string, now = Date.now()): void {
    this.endForUser.run({ userId, now });
  }
}
