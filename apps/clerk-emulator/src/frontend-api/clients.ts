import { createHash, randomBytes } from 'node:crypto';
import { newClerkId } from '../clerk-ids';
import type { Sqlite } from '../store';

/** A one-time email code, as it stands in a sign-in or sign-up. */
export interface CodeVerification {
  strategy: 'email_code' | 'password';
  status: 'unverified' | 'verified' | 'failed';
  attempts: number;
  expireAt: number;
}

/** The sign-in in progress in one browser (Clerk keeps one per client). */
export interface SignInState {
  id: string;
  userId: string;
  identifier: string;
  status: 'needs_first_factor' | 'complete';
  firstFactor: CodeVerification | null;
  createdSessionId: string | null;
}

/** The sign-up in progress in one browser. The password, if any, is already a hash. */
export interface SignUpState {
  id: string;
  emailAddress: string | null;
  firstName: string | null;
  lastName: string | null;
  username: string | null;
  passwordHash: string | null;
  emailVerification: CodeVerification | null;
  createdUserId: string | null;
  createdSessionId: string | null;
  locale: string | null;
  timezone: string | null;
}

/** One browser, as clerk-js's `client` resource. */
export interface ClientRecord {
  id: string;
  signIn: SignInState | null;
  signUp: SignUpState | null;
  createdAt: number;
  updatedAt: number;
}

interface ClientRow {
  id: string;
  sign_in: string | null;
  sign_up: string | null;
  created_at: number;
  updated_at: number;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

const recordOf = (row: ClientRow): ClientRecord => ({
  id: row.id,
  signIn: row.sign_in ? (JSON.parse(row.sign_in) as SignInState) : null,
  signUp: row.sign_up ? (JSON.parse(row.sign_up) as SignUpState) : null,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/**
 * Browsers, keyed by the dev browser token that clerk-js sends as `__clerk_db_jwt` on every
 * request in development (so no third-party cookie is needed). Only the token's hash is stored.
 */
export class Clients {
  private readonly statements;

  constructor(db: Sqlite) {
    this.statements = {
      insert: db.prepare(
        'INSERT INTO clients (id, dev_browser_hash, created_at, updated_at) VALUES (@id, @hash, @now, @now) ON CONFLICT (dev_browser_hash) DO NOTHING',
      ),
      byToken: db.prepare<[string], ClientRow>('SELECT id, sign_in, sign_up, created_at, updated_at FROM clients WHERE dev_browser_hash = ?'),
      saveSignIn: db.prepare('UPDATE clients SET sign_in = @json, updated_at = @now WHERE id = @id'),
      saveSignUp: db.prepare('UPDATE clients SET sign_up = @json, updated_at = @now WHERE id = @id'),
    };
  }

  /** A new browser: returns the token clerk-js keeps, which is never stored. */
  createDevBrowser(now = Date.now()): { token: string; client: ClientRecord } {
    const token = randomBytes(32).toString('base64url');
    return { token, client: this.forDevBrowser(token, now) };
  }

  /**
   * The client a dev browser token names. A token the stand-in does not know (its data folder was
   * deleted since) gets a fresh, signed-out client rather than an error the browser cannot act on.
   */
  forDevBrowser(token: string, now = Date.now()): ClientRecord {
    const hash = hashOf(token);
    this.statements.insert.run({ id: newClerkId('client', now), hash, now });
    const row = this.statements.byToken.get(hash);
    if (!row) throw new Error('The Clerk stand-in could not store a browser client.');
    return recordOf(row);
  }

  saveSignIn(client: ClientRecord, signIn: SignInState | null, now = Date.now()): void {
    client.signIn = signIn;
    this.statements.saveSignIn.run({ id: client.id, json: signIn ? JSON.stringify(signIn) : null, now });
  }

  saveSignUp(client: ClientRecord, signUp: SignUpState | null, now = Date.now()): void {
    client.signUp = signUp;
    this.statements.saveSignUp.run({ id: client.id, json: signUp ? JSON.stringify(signUp) : null, now });
  }
}
