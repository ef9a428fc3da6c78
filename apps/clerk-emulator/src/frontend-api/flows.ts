import type { z } from 'zod';
import { newClerkId } from '../clerk-ids';
import type { ClerkUserJson } from '../clerk-json';
import { IdentifierTakenError } from '../errors';
import { hashPassword, verifyPassword } from '../passwords';
import type { EmulatorContext } from '../http/context';
import type { SessionActivity } from '../sessions';
import type { ChangeContext } from '../user-directory';
import { emailAddress, password as passwordSchema, selfUpdateInput, username as usernameSchema } from '../user-input';
import type { ClientRecord, CodeVerification, SignInState, SignUpState } from './clients';
import {
  codeIncorrect,
  FrontendApiError,
  identifierNotFound,
  identifierTaken,
  invalidParam,
  missingParam,
  passwordIncorrect,
  signedOut,
  verificationNotPrepared,
} from './errors';
import { missingSignUpFields } from './resources';

/** Clerk's test-mode code: every email code the stand-in "sends" is this one. */
export const EMAIL_CODE = '424242';
const CODE_LIFETIME_MS = 10 * 60_000;

/** Form fields as clerk-js posts them (`application/x-www-form-urlencoded`). */
export type FormFields = Record<string, string | undefined>;

/** Who is asking, for the account's event and its list of devices. */
export interface Requester extends SessionActivity {
  change: ChangeContext;
  /** The session the request was made in, when there is one. */
  sessionId?: string;
}

function parseField<T>(schema: z.ZodType<T>, value: unknown, param: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw invalidParam(param, result.error.issues[0]?.message ?? `${param} is invalid`);
}

function newCode(strategy: CodeVerification['strategy'], now: number): CodeVerification {
  return { strategy, status: 'unverified', attempts: 0, expireAt: now + CODE_LIFETIME_MS };
}

/** Checks a typed code against a prepared email code; a wrong one counts as an attempt. */
function checkCode(verification: CodeVerification | null, code: string | undefined, now: number): CodeVerification {
  if (!verification || verification.strategy !== 'email_code' || verification.expireAt < now) throw verificationNotPrepared();
  if (verification.status === 'verified') return verification;
  if ((code ?? '').trim() !== EMAIL_CODE) {
    verification.attempts += 1;
    throw codeIncorrect();
  }
  return { ...verification, attempts: verification.attempts + 1, status: 'verified' };
}

/** Sign-in, sign-up and the account's own changes, as clerk-js drives them. */
export class AuthFlows {
  constructor(private readonly ctx: EmulatorContext) {}

  private logCodeSent(what: string, id: string) {
    this.ctx.log.info({ [what]: id, code: EMAIL_CODE }, `email code "sent": enter ${EMAIL_CODE}`);
  }

  /** A session for a browser that just signed in or up; one account per browser, as the environment says. */
  private startSession(client: ClientRecord, userId: string, requester: Requester): string {
    this.ctx.sessions.endForClient(client.id);
    return this.ctx.sessions.startBrowserSession(userId, client.id, requester).sessionId;
  }

  // Sign-in

  async createSignIn(client: ClientRecord, fields: FormFields, requester: Requester): Promise<void> {
    const identifier = fields.identifier?.trim();
    if (!identifier) {
      throw fields.strategy && fields.strategy !== 'password'
        ? new FrontendApiError(422, 'strategy_for_user_invalid', `The Clerk stand-in does not offer ${fields.strategy}.`, undefined, 'strategy')
        : missingParam('identifier');
    }
    const user = this.ctx.directory.findByIdentifier(identifier);
    if (!user) throw identifierNotFound();
    const signIn: SignInState = {
      id: newClerkId('sia'),
      userId: user.id,
      identifier,
      status: 'needs_first_factor',
      firstFactor: null,
      createdSessionId: null,
    };
    this.ctx.clients.saveSignIn(client, signIn);
    // A password manager may fill the password on the first screen already.
    if (fields.strategy === 'password' && fields.password) await this.attemptFirstFactor(client, signIn.id, fields, requester);
  }

  private currentSignIn(client: ClientRecord, signInId: string): SignInState {
    if (client.signIn?.id !== signInId) throw new FrontendApiError(404, 'resource_not_found', 'This sign-in is over. Start again.');
    return client.signIn;
  }

  prepareFirstFactor(client: ClientRecord, signInId: string, fields: FormFields): void {
    const signIn = this.currentSignIn(client, signInId);
    if (fields.strategy === 'password') return;
    if (fields.strategy !== 'email_code') throw this.unsupportedStrategy(fields.strategy);
    this.ctx.clients.saveSignIn(client, { ...signIn, firstFactor: newCode('email_code', Date.now()) });
    this.logCodeSent('signInId', signIn.id);
  }

  async attemptFirstFactor(client: ClientRecord, signInId: string, fields: FormFields, requester: Requester): Promise<void> {
    const signIn = this.currentSignIn(client, signInId);
    if (signIn.status === 'complete') return;
    const now = Date.now();
    let firstFactor: CodeVerification;
    if (fields.strategy === 'password') {
      const stored = this.ctx.directory.passwordHashOf(signIn.userId);
      if (!stored) throw this.unsupportedStrategy('password');
      if (!(await verifyPassword(fields.password ?? '', stored))) throw passwordIncorrect();
      firstFactor = { strategy: 'password', status: 'verified', attempts: 1, expireAt: now };
    } else if (fields.strategy === 'email_code') {
      try {
        firstFactor = checkCode(signIn.firstFactor, fields.code, now);
      } finally {
        // A wrong code still counts as an attempt.
        this.ctx.clients.saveSignIn(client, signIn);
      }
    } else {
      throw this.unsupportedStrategy(fields.strategy);
    }
    if (!this.ctx.directory.get(signIn.userId)) throw identifierNotFound();
    const createdSessionId = this.startSession(client, signIn.userId, requester);
    this.ctx.clients.saveSignIn(client, { ...signIn, status: 'complete', firstFactor, createdSessionId });
    this.ctx.log.info({ userId: signIn.userId, sessionId: createdSessionId, strategy: fields.strategy }, 'signed in');
  }

  private unsupportedStrategy(strategy: string | undefined) {
    return new FrontendApiError(
      422,
      'strategy_for_user_invalid',
      'This sign-in method is not available for this account.',
      `The Clerk stand-in signs in with an email code, or a password for accounts that have one; not with ${strategy ?? 'no strategy'}.`,
      'strategy',
    );
  }

  // Sign-up

  async createSignUp(client: ClientRecord, fields: FormFields): Promise<void> {
    const signUp: SignUpState = {
      id: newClerkId('sua'),
      emailAddress: null,
      firstName: null,
      lastName: null,
      username: null,
      passwordHash: null,
      emailVerification: null,
      createdUserId: null,
      createdSessionId: null,
      locale: fields.locale ?? null,
      timezone: fields.timezone ?? null,
    };
    await this.applySignUpFields(signUp, fields);
    this.ctx.clients.saveSignUp(client, signUp);
  }

  private currentSignUp(client: ClientRecord, signUpId: string): SignUpState {
    if (client.signUp?.id !== signUpId) throw new FrontendApiError(404, 'resource_not_found', 'This sign-up is over. Start again.');
    return client.signUp;
  }

  async updateSignUp(client: ClientRecord, signUpId: string, fields: FormFields): Promise<void> {
    const signUp = structuredClone(this.currentSignUp(client, signUpId));
    await this.applySignUpFields(signUp, fields);
    this.ctx.clients.saveSignUp(client, signUp);
  }

  private async applySignUpFields(signUp: SignUpState, fields: FormFields): Promise<void> {
    if (fields.email_address !== undefined) {
      const address = parseField(emailAddress, fields.email_address, 'email_address');
      if (this.ctx.directory.findByIdentifier(address)) throw identifierTaken('email_address');
      if (address !== signUp.emailAddress) signUp.emailVerification = null;
      signUp.emailAddress = address;
    }
    if (fields.username !== undefined) {
      const username = parseField(usernameSchema, fields.username, 'username');
      if (username !== null && this.ctx.directory.findByIdentifier(username)) throw identifierTaken('username');
      signUp.username = username;
    }
    if (fields.first_name !== undefined) signUp.firstName = fields.first_name.trim() || null;
    if (fields.last_name !== undefined) signUp.lastName = fields.last_name.trim() || null;
    if (fields.password) signUp.passwordHash = await hashPassword(parseField(passwordSchema, fields.password, 'password'));
  }

  prepareVerification(client: ClientRecord, signUpId: string, fields: FormFields): void {
    const signUp = this.currentSignUp(client, signUpId);
    if (fields.strategy !== 'email_code') throw this.unsupportedStrategy(fields.strategy);
    if (!signUp.emailAddress) throw missingParam('email_address');
    this.ctx.clients.saveSignUp(client, { ...signUp, emailVerification: newCode('email_code', Date.now()) });
    this.logCodeSent('signUpId', signUp.id);
  }

  /** The right code creates the user (its `user.created` webhook is queued with it) and signs in. */
  attemptVerification(client: ClientRecord, signUpId: string, fields: FormFields, requester: Requester): void {
    const signUp = this.currentSignUp(client, signUpId);
    if (signUp.createdSessionId) return;
    let emailVerification: CodeVerification;
    try {
      emailVerification = checkCode(signUp.emailVerification, fields.code, Date.now());
    } finally {
      this.ctx.clients.saveSignUp(client, signUp);
    }
    const next: SignUpState = { ...signUp, emailVerification };
    if (missingSignUpFields(next).length === 0 && next.emailAddress) {
      let user: ClerkUserJson;
      try {
        user = this.ctx.directory.create(
          { email_address: next.emailAddress, first_name: next.firstName, last_name: next.lastName, username: next.username },
          { ...requester.change, verification: 'email_code' },
          next.passwordHash,
        );
      } catch (error) {
        if (error instanceof IdentifierTakenError) throw identifierTaken(error.field === 'username' ? 'username' : 'email_address');
        throw error;
      }
      next.createdUserId = user.id;
      next.createdSessionId = this.startSession(client, user.id, requester);
      this.ctx.log.info({ userId: user.id, sessionId: next.createdSessionId, via: 'sign-up' }, 'user created');
    }
    this.ctx.clients.saveSignUp(client, next);
  }

  // The signed-in user's own account

  updateProfile(userId: string, fields: FormFields, requester: Requester): ClerkUserJson {
    const unsupported = Object.keys(fields).filter((key) => !['first_name', 'last_name', 'username'].includes(key));
    if (unsupported.length > 0) {
      throw new FrontendApiError(422, 'form_param_unknown', `The Clerk stand-in cannot change ${unsupported.join(', ')}.`, undefined, unsupported[0]);
    }
    const result = selfUpdateInput.safeParse(fields);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw invalidParam(String(issue?.path[0] ?? 'first_name'), issue?.message ?? 'invalid value');
    }
    try {
      return this.ctx.directory.update(userId, result.data, requester.change);
    } catch (error) {
      if (error instanceof IdentifierTakenError) throw identifierTaken('username');
      throw error;
    }
  }

  /** `<UserProfile/>`'s "Set password" and "Update password". */
  async changePassword(userId: string, fields: FormFields, requester: Requester): Promise<ClerkUserJson> {
    const stored = this.ctx.directory.passwordHashOf(userId);
    if (stored && !(await verifyPassword(fields.current_password ?? '', stored))) {
      throw new FrontendApiError(422, 'form_password_incorrect', 'Password is incorrect. Try again.', undefined, 'current_password');
    }
    const hash = await hashPassword(parseField(passwordSchema, fields.new_password, 'new_password'));
    const user = this.ctx.directory.setPassword(userId, hash, requester.change);
    if (fields.sign_out_of_other_sessions === 'true') this.endOtherSessions(userId, requester);
    return user;
  }

  async removePassword(userId: string, fields: FormFields, requester: Requester): Promise<ClerkUserJson> {
    const stored = this.ctx.directory.passwordHashOf(userId);
    if (stored && !(await verifyPassword(fields.current_password ?? '', stored))) {
      throw new FrontendApiError(422, 'form_password_incorrect', 'Password is incorrect. Try again.', undefined, 'current_password');
    }
    return this.ctx.directory.setPassword(userId, null, requester.change);
  }

  private endOtherSessions(userId: string, requester: Requester) {
    for (const session of this.ctx.sessions.forUser(userId)) {
      if (session.sessionId !== requester.sessionId) this.ctx.sessions.end(session.sessionId);
    }
  }

  /** A session of this user's, on any device: `<UserProfile/>`'s "Sign out of device". */
  revokeSession(userId: string, sessionId: string): void {
    if (!this.ctx.sessions.forUser(userId).some((session) => session.sessionId === sessionId)) throw signedOut();
    this.ctx.sessions.end(sessionId);
  }
}
