import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

export type Sqlite = BetterSqlite3.Database;

/** The stand-in's own database: Clerk's side of the world, never the API's. */
export interface EmulatorStore {
  readonly db: Sqlite;
  readonly path: string;
  close(): void;
}

export const STORE_FILE_NAME = 'clerk-emulator.db';

// Each entry moves the schema one version forward; `PRAGMA user_version` records how far a file has come.
const migrations: readonly string[] = [
  `
  CREATE TABLE instance (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    instance_id TEXT NOT NULL,
    jwt_private_key_pem TEXT NOT NULL,
    jwt_public_key_pem TEXT NOT NULL,
    webhook_signing_secret TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    -- The primary email address and username, kept apart from the JSON to enforce uniqueness as Clerk does.
    email TEXT NOT NULL COLLATE NOCASE UNIQUE,
    username TEXT COLLATE NOCASE UNIQUE,
    json TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX users_created_at ON users (created_at);
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    -- sha256 of the browser cookie's secret; NULL for sessions minted through the admin API.
    cookie_token_hash TEXT UNIQUE,
    created_at INTEGER NOT NULL,
    ended_at INTEGER
  );
  CREATE INDEX sessions_user_id ON sessions (user_id);
  CREATE TABLE webhook_outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    msg_id TEXT NOT NULL UNIQUE,
    event_type TEXT NOT NULL,
    user_id TEXT NOT NULL,
    -- The exact bytes that are signed and posted on every attempt.
    payload TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    held INTEGER NOT NULL DEFAULT 0,
    last_attempt_at INTEGER,
    last_status INTEGER,
    last_error TEXT,
    delivered_at INTEGER
  );
  CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at, seq) WHERE delivered_at IS NULL;
  `,
  // The Frontend API: browsers (clerk-js "clients") and their sessions, and password sign-in.
  // sessions.cookie_token_hash, from the retired account pages, is no longer written.
  `
  ALTER TABLE users ADD COLUMN password_hash TEXT;
  CREATE TABLE clients (
    id TEXT PRIMARY KEY,
    -- sha256 of the dev browser token clerk-js sends as __clerk_db_jwt; the token itself is never stored.
    dev_browser_hash TEXT NOT NULL UNIQUE,
    -- The sign-in and the sign-up in progress, as JSON (at most one of each per browser, as in Clerk).
    sign_in TEXT,
    sign_up TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  ALTER TABLE sessions ADD COLUMN client_id TEXT REFERENCES clients (id);
  ALTER TABLE sessions ADD COLUMN last_active_at INTEGER;
  ALTER TABLE sessions ADD COLUMN user_agent TEXT;
  ALTER TABLE sessions ADD COLUMN client_ip TEXT;
  CREATE INDEX sessions_client_id ON sessions (client_id) WHERE ended_at IS NULL;
  -- Profile pictures uploaded in <UserProfile/>, served at /images/<id>.
  CREATE TABLE images (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    content_type TEXT NOT NULL,
    bytes BLOB NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX images_user_id ON images (user_id);
  `,
  // Svix gives a message up after its last attempt; its recover call sends it again with a fresh
  // budget of attempts: failed_before_recovery is where that budget starts.
  `
  ALTER TABLE webhook_outbox ADD COLUMN given_up_at INTEGER;
  ALTER TABLE webhook_outbox ADD COLUMN failed_before_recovery INTEGER NOT NULL DEFAULT 0;
  DROP INDEX webhook_outbox_due;
  CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at, seq) WHERE delivered_at IS NULL AND given_up_at IS NULL;
  CREATE INDEX webhook_outbox_given_up ON webhook_outbox (created_at) WHERE given_up_at IS NOT NULL AND delivered_at IS NULL;
  `,
  // Organizations and their memberships. Events are now about organizations and memberships too.
  `
  ALTER TABLE webhook_outbox RENAME COLUMN user_id TO object_id;
  CREATE TABLE organizations (
    id TEXT PRIMARY KEY,
    -- Kept apart from the JSON to enforce uniqueness as Clerk does.
    slug TEXT NOT NULL COLLATE NOCASE UNIQUE,
    -- Clerk's organization JSON, without what is counted on reading (members_count).
    json TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX organizations_created_at ON organizations (created_at);
  CREATE TABLE organization_memberships (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL,
    public_metadata TEXT NOT NULL DEFAULT '{}',
    private_metadata TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (organization_id, user_id)
  );
  CREATE INDEX organization_memberships_user_id ON organization_memberships (user_id);
  CREATE INDEX organization_memberships_created_at ON organization_memberships (created_at);
  `,
  // Clerk's organization components: the organization a browser session has chosen, and invitations.
  `
  ALTER TABLE sessions ADD COLUMN active_organization_id TEXT;
  CREATE TABLE organization_invitations (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    email_address TEXT NOT NULL COLLATE NOCASE,
    role TEXT NOT NULL,
    -- pending, then accepted or revoked.
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX organization_invitations_organization_id ON organization_invitations (organization_id, status);
  CREATE INDEX organization_invitations_email_address ON organization_invitations (email_address, status);
  `,
];

/** Opens (creating if needed) the store in `dataDir` and brings its schema up to date. */
export function openEmulatorStore(dataDir: string): EmulatorStore {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, STORE_FILE_NAME);
  const db = new BetterSqlite3(path, { timeout: 5000 });
  // WAL: readers never wait for the writer. FULL: a committed change (and its outbox row) survives power loss.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');

  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > migrations.length) {
    db.close();
    throw new Error(
      `${path} was written by a newer version of the Clerk stand-in (schema ${version}, this one knows ${migrations.length}). ` +
        'Update the code or delete the data folder.',
    );
  }
  for (let next = version; next < migrations.length; next += 1) {
    db.transaction(() => {
      db.exec(migrations[next] ?? '');
      db.pragma(`user_version = ${next + 1}`);
    }).immediate();
  }

  return {
    db,
    path,
    close: () => {
      if (db.open) db.close();
    },
  };
}
