import { newClerkId } from './clerk-ids';
import type { Sqlite } from './store';

export interface ActiveSession {
  sessionId: string;
  userId: string;
}

/** A browser session, as the Frontend API lists it. */
export interface BrowserSession extends ActiveSession {
  clientId: string;
  createdAt: number;
  lastActiveAt: number;
  userAgent: string;
  clientIp: string;
  /** The organization chosen in this session (`<OrganizationSwitcher/>`); null: the personal account. */
  activeOrganizationId: string | null;
}

/** Where a browser session was started from: shown in `<UserProfile/>`'s list of devices. */
export interface SessionActivity {
  userAgent: string;
  clientIp: string;
}

interface BrowserSessionRow {
  id: string;
  user_id: string;
  client_id: string;
  created_at: number;
  last_active_at: number | null;
  user_agent: string | null;
  client_ip: string | null;
  active_organization_id: string | null;
}

const browserSessionOf = (row: BrowserSessionRow): BrowserSession => ({
  sessionId: row.id,
  userId: row.user_id,
  clientId: row.client_id,
  createdAt: row.created_at,
  lastActiveAt: row.last_active_at ?? row.created_at,
  userAgent: row.user_agent ?? '',
  clientIp: row.client_ip ?? '',
  activeOrganizationId: row.active_organization_id,
});

/**
 * Sessions, as Clerk's `sess_…` objects. A browser session belongs to one client (one browser,
 * known by its dev browser token); sessions minted through the admin API belong to none.
 * Sessions of a deleted user are never returned.
 */
export class Sessions {
  private readonly statements;

  constructor(db: Sqlite) {
    const columns = 's.id, s.user_id, s.client_id, s.created_at, s.last_active_at, s.user_agent, s.client_ip, s.active_organization_id';
    const live = 'JOIN users u ON u.id = s.user_id WHERE s.ended_at IS NULL';
    this.statements = {
      insert: db.prepare(
        `INSERT INTO sessions (id, user_id, client_id, created_at, last_active_at, user_agent, client_ip, active_organization_id)
         VALUES (@id, @userId, @clientId, @now, @now, @userAgent, @clientIp, @activeOrganizationId)`,
      ),
      forClient: db.prepare<[string], BrowserSessionRow>(`SELECT ${columns} FROM sessions s ${live} AND s.client_id = ? ORDER BY s.created_at`),
      forUser: db.prepare<[string], BrowserSessionRow>(
        `SELECT ${columns} FROM sessions s ${live} AND s.user_id = ? AND s.client_id IS NOT NULL ORDER BY s.last_active_at DESC`,
      ),
      touch: db.prepare('UPDATE sessions SET last_active_at = @now WHERE id = @id AND ended_at IS NULL'),
      setActiveOrganization: db.prepare('UPDATE sessions SET active_organization_id = @organizationId WHERE id = @id AND ended_at IS NULL'),
      endOne: db.prepare('UPDATE sessions SET ended_at = @now WHERE id = @id AND ended_at IS NULL'),
      endForClient: db.prepare('UPDATE sessions SET ended_at = @now WHERE client_id = @clientId AND ended_at IS NULL'),
      endForUser: db.prepare('UPDATE sessions SET ended_at = @now WHERE user_id = @userId AND ended_at IS NULL'),
    };
  }

  /** A session started by signing in (or up) in a browser. */
  startBrowserSession(userId: string, clientId: string, activity: SessionActivity, now = Date.now()): ActiveSession {
    const id = newClerkId('sess', now);
    this.statements.insert.run({ id, userId, clientId, now, userAgent: activity.userAgent, clientIp: activity.clientIp, activeOrganizationId: null });
    return { sessionId: id, userId };
  }

  /** A session for tests and scripts (POST /admin/sessions): no browser. */
  startHeadlessSession(userId: string, activeOrganizationId: string | null = null, now = Date.now()): ActiveSession {
    const id = newClerkId('sess', now);
    this.statements.insert.run({ id, userId, clientId: null, now, userAgent: null, clientIp: null, activeOrganizationId });
    return { sessionId: id, userId };
  }

  /** The live sessions of one browser, oldest first. */
  forClient(clientId: string): BrowserSession[] {
    return this.statements.forClient.all(clientId).map(browserSessionOf);
  }

  /** A user's live browser sessions, most recently active first. */
  forUser(userId: string): BrowserSession[] {
    return this.statements.forUser.all(userId).map(browserSessionOf);
  }

  touch(sessionId: string, now = Date.now()): void {
    this.statements.touch.run({ id: sessionId, now });
  }

  /** Makes an organization (null: the personal account) the session's active one. */
  setActiveOrganization(sessionId: string, organizationId: string | null): void {
    this.statements.setActiveOrganization.run({ id: sessionId, organizationId });
  }

  end(sessionId: string, now = Date.now()): void {
    this.statements.endOne.run({ id: sessionId, now });
  }

  /** Signs a browser out of every session it holds. */
  endForClient(clientId: string, now = Date.now()): void {
    this.statements.endForClient.run({ clientId, now });
  }

  /** Ends every session of a user; called inside the deletion's transaction. */
  endAllForUser(userId: string, now = Date.now()): void {
    this.statements.endForUser.run({ userId, now });
  }
}
