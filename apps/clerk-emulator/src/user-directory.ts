import type BetterSqlite3 from 'better-sqlite3';
import { newClerkId } from './clerk-ids';
import type { ClerkEmailAddressJson, ClerkUserJson, ClerkVerificationJson, DeletedUserJson } from './clerk-json';
import { primaryEmailOf } from './clerk-json';
import { mergeMetadata } from './metadata';
import { IdentifierTakenError, UserNotFoundError } from './errors';
import type { Sessions } from './sessions';
import type { Sqlite } from './store';
import type { UpdateUserInput, UserFields } from './user-input';
import type { ChangeOrigin, WebhookEventQueue } from './webhook-events';

/** Who asked for a change: recorded in the event's `event_attributes`, as Clerk does. Never logged. */
export interface ChangeContext extends ChangeOrigin {
  /** Sign-up in the browser verifies by email code; the admin API, like Clerk's Backend API, by admin. */
  verification: 'admin' | 'email_code';
}

export interface UserDirectoryOptions {
  db: Sqlite;
  events: WebhookEventQueue;
  sessions: Sessions;
  /** Base URL of the stand-in, for the generated avatars' absolute URLs. */
  publicUrl: string;
  /** Called after a change and its event have committed. */
  onEventQueued: () => void;
  /**
   * Called inside a user's deletion, before the user goes, with the deletion's time: removes what
   * belongs to the user elsewhere (organization memberships), each with its own event.
   */
  onDeleting?: (userId: string, now: number, context: ChangeContext) => void;
  now?: () => number;
}

/** A page of users as the Backend API's `GET /v1/users` lists them. */
export interface UserPageOptions {
  orderBy: UserOrder;
  offset: number;
  limit: number;
  /** Only these ids (the `user_id` filter); undefined for every user. */
  userIds?: readonly string[];
}

export const USER_ORDERS = ['created_at', '-created_at', 'updated_at', '-updated_at'] as const;
export type UserOrder = (typeof USER_ORDERS)[number];

/** `PATCH /v1/users/{id}/metadata`: each given object is merged into the stored one. */
export interface MetadataPatch {
  public_metadata?: Record<string, unknown>;
  private_metadata?: Record<string, unknown>;
  unsafe_metadata?: Record<string, unknown>;
}

export interface ListUsersOptions {
  /** Case-insensitive match on name, email address or username. */
  query?: string;
  limit?: number;
}

/**
 * Clerk's user store. Every change runs in one IMMEDIATE transaction together with the outbox row
 * of its webhook event; `updated_at` strictly increases for each change of one user.
 */
export class UserDirectory {
  private readonly db: Sqlite;
  private readonly options: UserDirectoryOptions;
  private readonly now: () => number;
  private readonly statements;
  /** One prepared statement per order of `page`. */
  private readonly pageStatements = new Map<string, BetterSqlite3.Statement<[PageParameters], { json: string }>>();

  constructor(options: UserDirectoryOptions) {
    this.options = options;
    this.db = options.db;
    this.now = options.now ?? Date.now;
    this.statements = {
      byId: this.db.prepare<[string], { json: string }>('SELECT json FROM users WHERE id = ?'),
      emailOwner: this.db.prepare<[string], { id: string }>('SELECT id FROM users WHERE email = ?'),
      passwordHash: this.db.prepare<[string], { password_hash: string | null }>('SELECT password_hash FROM users WHERE id = ?'),
      setPasswordHash: this.db.prepare('UPDATE users SET password_hash = @passwordHash WHERE id = @id'),
      usernameOwner: this.db.prepare<[string], { id: string }>('SELECT id FROM users WHERE username = ?'),
      insert: this.db.prepare(
        `INSERT INTO users (id, email, username, json, password_hash, created_at, updated_at)
         VALUES (@id, @email, @username, @json, @passwordHash, @createdAt, @updatedAt)`,
      ),
      update: this.db.prepare('UPDATE users SET email = @email, username = @username, json = @json, updated_at = @updatedAt WHERE id = @id'),
      remove: this.db.prepare('DELETE FROM users WHERE id = ?'),
      count: this.db.prepare<[{ ids: string | null }], { count: number }>(`SELECT count(*) AS count FROM users WHERE ${USER_ID_FILTER}`),
      removeImages: this.db.prepare('DELETE FROM images WHERE user_id = ?'),
      list: this.db.prepare<[{ pattern: string | null; limit: number }], { json: string }>(
        `SELECT json FROM users
         WHERE @pattern IS NULL OR email LIKE @pattern ESCAPE '\\' OR coalesce(username, '') LIKE @pattern ESCAPE '\\'
           OR (coalesce(json_extract(json, '$.first_name'), '') || ' ' || coalesce(json_extract(json, '$.last_name'), '')) LIKE @pattern ESCAPE '\\'
         ORDER BY created_at DESC, id DESC LIMIT @limit`,
      ),
    };
  }

  get(id: string): ClerkUserJson | undefined {
    const row = this.statements.byId.get(id);
    return row ? (JSON.parse(row.json) as ClerkUserJson) : undefined;
  }

  /** Users in the Backend API's order, ties broken by id so that offsets page stably. */
  page({ orderBy, offset, limit, userIds }: UserPageOptions): ClerkUserJson[] {
    const column = orderBy.endsWith('created_at') ? 'created_at' : 'updated_at';
    const direction = orderBy.startsWith('-') ? 'DESC' : 'ASC';
    const statement = this.pageStatement(`${column} ${direction}, id ${direction}`);
    return statement
      .all({ ids: userIds === undefined ? null : JSON.stringify(userIds), limit, offset })
      .map((row) => JSON.parse(row.json) as ClerkUserJson);
  }

  /** How many users `page` would list with no limit. */
  count(userIds?: readonly string[]): number {
    return this.statements.count.get({ ids: userIds === undefined ? null : JSON.stringify(userIds) })?.count ?? 0;
  }

  private pageStatement(order: string) {
    let statement = this.pageStatements.get(order);
    if (!statement) {
      // `order` comes from USER_ORDERS only: never from a request's text.
      statement = this.db.prepare<[PageParameters], { json: string }>(
        `SELECT json FROM users WHERE ${USER_ID_FILTER} ORDER BY ${order} LIMIT @limit OFFSET @offset`,
      );
      this.pageStatements.set(order, statement);
    }
    return statement;
  }

  /** Newest first, as Clerk lists users. */
  list({ query, limit = -1 }: ListUsersOptions = {}): ClerkUserJson[] {
    const text = query?.trim() ? query.trim() : null;
    const pattern = text === null ? null : `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    return this.statements.list.all({ pattern, limit }).map((row) => JSON.parse(row.json) as ClerkUserJson);
  }

  /** The user whose primary email address or username this is (case-insensitive), if any. */
  findByIdentifier(identifier: string): ClerkUserJson | undefined {
    const text = identifier.trim();
    const owner = this.statements.emailOwner.get(text) ?? this.statements.usernameOwner.get(text);
    return owner ? this.get(owner.id) : undefined;
  }

  /** The stored password hash, or null when the user has no password. */
  passwordHashOf(id: string): string | null {
    return this.statements.passwordHash.get(id)?.password_hash ?? null;
  }

  /** `passwordHash`: the hash of the account's password (see passwords.ts), never the password. */
  create(input: UserFields, context: ChangeContext, passwordHash: string | null = null): ClerkUserJson {
    const user = this.db
      .transaction(() => {
        const now = this.now();
        this.assertAvailable(input.email_address, input.username ?? null, null);
        const id = newClerkId('user', now);
        const email = emailAddressJson(input.email_address, context.verification, now);
        const imageUrl = input.image_url ?? null;
        const created: ClerkUserJson = {
          id,
          object: 'user',
          username: input.username ?? null,
          first_name: input.first_name,
          last_name: input.last_name,
          image_url: imageUrl ?? this.avatarUrl(id),
          has_image: imageUrl !== null,
          primary_email_address_id: email.id,
          primary_phone_number_id: null,
          primary_web3_wallet_id: null,
          password_enabled: passwordHash !== null,
          two_factor_enabled: false,
          totp_enabled: false,
          backup_code_enabled: false,
          email_addresses: [email],
          phone_numbers: [],
          web3_wallets: [],
          passkeys: [],
          external_accounts: [],
          enterprise_accounts: [],
          saml_accounts: [],
          public_metadata: {},
          private_metadata: {},
          unsafe_metadata: {},
          external_id: null,
          last_sign_in_at: null,
          banned: false,
          locked: false,
          lockout_expires_in_seconds: null,
          verification_attempts_remaining: 100,
          created_at: now,
          updated_at: now,
          last_active_at: null,
          create_organization_enabled: true,
          create_organizations_limit: null,
          delete_self_enabled: true,
          legal_accepted_at: null,
          locale: null,
          timezone: null,
        };
        this.statements.insert.run({
          id,
          email: input.email_address,
          username: created.username,
          json: JSON.stringify(created),
          passwordHash,
          createdAt: now,
          updatedAt: now,
        });
        this.options.events.queue('user.created', created, id, created.updated_at, context);
        return created;
      })
      .immediate();
    this.options.onEventQueued();
    return user;
  }

  /** Applies the given fields; a change that alters nothing is no change (no event, same updated_at). */
  update(id: string, patch: UpdateUserInput, context: ChangeContext): ClerkUserJson {
    return this.applyChange(id, context, (next, current, now) => {
      if (patch.first_name !== undefined) next.first_name = patch.first_name;
      if (patch.last_name !== undefined) next.last_name = patch.last_name;
      if (patch.username !== undefined) next.username = patch.username;
      if (patch.image_url !== undefined) {
        next.image_url = patch.image_url ?? this.avatarUrl(id);
        next.has_image = patch.image_url !== null;
      }
      if (patch.email_address !== undefined && patch.email_address !== primaryEmailOf(current)) {
        // As when a Clerk user adds an address, verifies it and makes it primary; the stand-in
        // then removes the old one, so each user has exactly one address.
        const email = emailAddressJson(patch.email_address, context.verification, now);
        next.email_addresses = [email];
        next.primary_email_address_id = email.id;
      }
    });
  }

  /**
   * Runs `change` on a copy of the user inside one IMMEDIATE transaction; when the JSON changed,
   * stores it with a newer `updated_at` and queues its `user.updated` event.
   */
  private applyChange(
    id: string,
    context: ChangeContext,
    change: (next: ClerkUserJson, current: ClerkUserJson, now: number) => void,
  ): ClerkUserJson {
    let changed = false;
    const user = this.db
      .transaction(() => {
        const current = this.get(id);
        if (!current) throw new UserNotFoundError(id);
        const now = this.now();
        const next = structuredClone(current);
        change(next, current, now);
        this.assertAvailable(primaryEmailOf(next) ?? '', next.username, id);
        if (JSON.stringify(next) === JSON.stringify(current)) return current;

        // The API treats an event whose updated_at is not newer than what it stored as stale.
        next.updated_at = Math.max(now, current.updated_at + 1);
        this.statements.update.run({
          id,
          email: primaryEmailOf(next),
          username: next.username,
          json: JSON.stringify(next),
          updatedAt: next.updated_at,
        });
        this.options.events.queue('user.updated', next, id, next.updated_at, context);
        changed = true;
        return next;
      })
      .immediate();
    if (changed) this.options.onEventQueued();
    return user;
  }

  /** Sets (or, with null, removes) the user's password; `password_enabled` follows, with its event. */
  setPassword(id: string, passwordHash: string | null, context: ChangeContext): ClerkUserJson {
    return this.applyChange(id, context, (next) => {
      // The hash changes even when password_enabled does not (a new password): no event then.
      this.statements.setPasswordHash.run({ id, passwordHash });
      next.password_enabled = passwordHash !== null;
    });
  }

  /**
   * Merges metadata as Clerk's `PATCH /v1/users/{id}/metadata` does: objects merge deeply, any
   * other value replaces, and `null` removes the key. A change emits `user.updated`.
   */
  updateMetadata(id: string, patch: MetadataPatch, context: ChangeContext): ClerkUserJson {
    return this.applyChange(id, context, (next) => {
      for (const key of ['public_metadata', 'private_metadata', 'unsafe_metadata'] as const) {
        const given = patch[key];
        if (given !== undefined) next[key] = mergeMetadata(next[key], given);
      }
    });
  }

  /** Deletes the user for good (Clerk never reuses an id), with its memberships, and ends its sessions. */
  delete(id: string, context: ChangeContext): DeletedUserJson {
    const deleted = this.db
      .transaction(() => {
        const current = this.get(id);
        if (!current) throw new UserNotFoundError(id);
        const now = Math.max(this.now(), current.updated_at + 1);
        this.options.onDeleting?.(id, now, context);
        this.statements.remove.run(id);
        this.statements.removeImages.run(id);
        this.options.sessions.endAllForUser(id, now);
        const data: DeletedUserJson = { deleted: true, id, object: 'user' };
        this.options.events.queue('user.deleted', data, id, now, context);
        return data;
      })
      .immediate();
    this.options.onEventQueued();
    return deleted;
  }

  private avatarUrl(userId: string): string {
    return `${this.options.publicUrl}/avatars/${userId}.svg`;
  }

  private assertAvailable(email: string, username: string | null, exceptUserId: string | null): void {
    const emailOwner = this.statements.emailOwner.get(email);
    if (emailOwner && emailOwner.id !== exceptUserId) throw new IdentifierTakenError('email_address');
    if (username !== null) {
      const usernameOwner = this.statements.usernameOwner.get(username);
      if (usernameOwner && usernameOwner.id !== exceptUserId) throw new IdentifierTakenError('username');
    }
  }
}

function emailAddressJson(address: string, verification: ChangeContext['verification'], now: number): ClerkEmailAddressJson {
  const verified: ClerkVerificationJson =
    verification === 'admin'
      ? { object: 'verification_admin', status: 'verified', strategy: 'admin', attempts: null, expire_at: null }
      : { object: 'verification_email_code', status: 'verified', strategy: 'email_code', attempts: 1, expire_at: now + 10 * 60_000 };
  return {
    id: newClerkId('idn', now),
    object: 'email_address',
    email_address: address,
    verification: verified,
    linked_to: [],
    reserved: false,
    created_at: now,
    updated_at: now,
  };
}

interface PageParameters {
  /** JSON array of user ids, or null for no filter. */
  ids: string | null;
  limit: number;
  offset: number;
}

const USER_ID_FILTER = '(@ids IS NULL OR id IN (SELECT value FROM json_each(@ids)))';
