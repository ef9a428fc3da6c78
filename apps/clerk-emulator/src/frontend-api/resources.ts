import type { ClerkOrganizationMembershipJson, ClerkUserJson } from '../clerk-json';
import { publicUserDataOf } from '../clerk-json';
import type { BrowserSession } from '../sessions';
import type { ClientRecord, CodeVerification, SignInState, SignUpState } from './clients';
import { frontendMembershipJson } from './organization-resources';

/**
 * The Frontend API's JSON, in the shapes clerk-js 6 reads (`@clerk/shared`'s `ClientJSON`,
 * `SessionJSON`, `SignInJSON`, `SignUpJSON`, `UserJSON`). Times are Unix milliseconds.
 */

/** Clerk lets an idle session live 7 days. */
const SESSION_IDLE_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** A user as the browser sees them: the user and their organization memberships. */
export interface UserView {
  user: ClerkUserJson;
  memberships: ClerkOrganizationMembershipJson[];
}

/** A session as clerk-js sees it: its user, and a fresh token to use until it refreshes one. */
export interface SessionView extends UserView {
  session: BrowserSession;
  jwt: string;
}

/**
 * The Backend API's user JSON, less what a browser must not see (private metadata), with the
 * memberships clerk-js takes `clerk.organization` and its roles and permissions from.
 */
export function frontendUserJson({ user, memberships }: UserView) {
  const { private_metadata: _private, ...visible } = user;
  return {
    ...visible,
    email_addresses: user.email_addresses.map((address) => ({ ...address, matches_sso_connection: false })),
    organization_memberships: memberships.map(frontendMembershipJson),
    profile_image_id: user.has_image ? user.image_url : '',
  };
}

/** The session's active organization, while the user is still one of its members. */
export function activeOrganizationIdOf(session: BrowserSession, memberships: readonly ClerkOrganizationMembershipJson[]): string | null {
  const id = session.activeOrganizationId;
  return id !== null && memberships.some((membership) => membership.organization.id === id) ? id : null;
}

export function tokenJson(jwt: string) {
  return { object: 'token', jwt };
}

/** What every session JSON has; when it lapses if unused is Clerk's `expire_at`. */
function sessionBaseJson(session: BrowserSession, activeOrganizationId: string | null) {
  const expireAt = session.lastActiveAt + SESSION_IDLE_LIFETIME_MS;
  return {
    object: 'session',
    id: session.sessionId,
    status: 'active',
    expire_at: expireAt,
    abandon_at: expireAt,
    last_active_at: session.lastActiveAt,
    last_active_organization_id: activeOrganizationId,
    actor: null,
    tasks: null,
    created_at: session.createdAt,
    updated_at: session.lastActiveAt,
  };
}

export function sessionJson({ session, user, memberships, jwt }: SessionView, now: number) {
  return {
    ...sessionBaseJson(session, activeOrganizationIdOf(session, memberships)),
    last_active_token: tokenJson(jwt),
    // Minutes since the first factor was verified; no second factor exists here.
    factor_verification_age: [Math.floor((now - session.createdAt) / 60_000), -1],
    user: frontendUserJson({ user, memberships }),
    public_user_data: publicUserDataOf(user),
  };
}

function verificationJson(verification: CodeVerification | null) {
  if (!verification) return null;
  return {
    object: 'verification',
    status: verification.status,
    strategy: verification.strategy,
    attempts: verification.attempts,
    expire_at: verification.expireAt,
    verified_at_client: null,
    error: null,
  };
}

export function signInJson(signIn: SignInState | null, user: ClerkUserJson | undefined, hasPassword: boolean) {
  if (!signIn) return null;
  const email = user?.email_addresses.find((address) => address.id === user.primary_email_address_id);
  const emailFactor = email ? [{ strategy: 'email_code', email_address_id: email.id, safe_identifier: email.email_address, primary: true }] : [];
  return {
    object: 'sign_in',
    id: signIn.id,
    status: signIn.status,
    supported_identifiers: ['email_address', 'username'],
    identifier: signIn.identifier,
    // Listed first, the password is the factor <SignIn/> offers first to an account that has one.
    supported_first_factors: [...(hasPassword ? [{ strategy: 'password' }] : []), ...emailFactor],
    supported_second_factors: null,
    first_factor_verification: verificationJson(signIn.firstFactor),
    second_factor_verification: null,
    user_data: user
      ? { first_name: user.first_name ?? undefined, last_name: user.last_name ?? undefined, image_url: user.image_url, has_image: user.has_image }
      : null,
    created_session_id: signIn.createdSessionId,
    timezone: null,
    abandon_at: null,
  };
}

/** The fields a sign-up still needs, in Clerk's terms. */
export function missingSignUpFields(signUp: SignUpState): string[] {
  const missing: string[] = [];
  if (!signUp.emailAddress) missing.push('email_address');
  if (!signUp.firstName) missing.push('first_name');
  if (!signUp.lastName) missing.push('last_name');
  return missing;
}

export function signUpJson(signUp: SignUpState | null) {
  if (!signUp) return null;
  const missing = missingSignUpFields(signUp);
  const emailVerified = signUp.emailVerification?.status === 'verified';
  const complete = signUp.createdSessionId !== null;
  const unverified = signUp.emailAddress && !emailVerified ? ['email_address'] : [];
  const emailVerification = signUp.emailVerification
    ? { ...verificationJson(signUp.emailVerification), next_action: emailVerified ? '' : 'needs_attempt', supported_strategies: ['email_code'] }
    : signUp.emailAddress
      ? { status: 'unverified', strategy: null, attempts: null, expire_at: null, next_action: 'needs_prepare', supported_strategies: ['email_code'], error: null }
      : null;
  return {
    object: 'sign_up',
    id: signUp.id,
    status: complete ? 'complete' : 'missing_requirements',
    required_fields: ['email_address', 'first_name', 'last_name'],
    optional_fields: ['password', 'username'],
    missing_fields: missing,
    unverified_fields: unverified,
    verifications: { email_address: emailVerification, phone_number: null, web3_wallet: null, external_account: null },
    username: signUp.username,
    first_name: signUp.firstName,
    last_name: signUp.lastName,
    email_address: signUp.emailAddress,
    phone_number: null,
    web3_wallet: null,
    external_account_strategy: null,
    external_account: null,
    has_password: signUp.passwordHash !== null,
    unsafe_metadata: {},
    public_metadata: {},
    custom_action: false,
    created_session_id: signUp.createdSessionId,
    created_user_id: signUp.createdUserId,
    abandon_at: null,
    legal_accepted_at: null,
    locale: signUp.locale,
    timezone: signUp.timezone,
  };
}

export function clientJson(
  client: ClientRecord,
  sessions: Array<ReturnType<typeof sessionJson>>,
  signIn: ReturnType<typeof signInJson>,
  now: number,
) {
  return {
    object: 'client',
    id: client.id,
    sessions,
    sign_in: signIn,
    sign_up: signUpJson(client.signUp),
    last_active_session_id: sessions.at(-1)?.id ?? null,
    last_authentication_strategy: null,
    captcha_bypass: false,
    cookie_expires_at: now + 365 * 24 * 60 * 60 * 1000,
    created_at: client.createdAt,
    updated_at: client.updatedAt,
  };
}

/** One entry of `GET /v1/me/sessions/active`: where and when each device was last seen. */
export function sessionWithActivityJson(session: BrowserSession) {
  const { browserName, browserVersion, deviceType, isMobile } = describeUserAgent(session.userAgent);
  return {
    ...sessionBaseJson(session, null),
    last_active_token: null,
    factor_verification_age: null,
    user: null,
    public_user_data: null,
    latest_activity: {
      object: 'session_activity',
      id: `sess_activity_${session.sessionId}`,
      browser_name: browserName,
      browser_version: browserVersion,
      device_type: deviceType,
      ip_address: session.clientIp,
      city: 'Local machine',
      country: '',
      is_mobile: isMobile,
    },
  };
}

/** Enough of a User-Agent header to name the browser in the list of devices. */
export function describeUserAgent(userAgent: string) {
  const browsers: Array<[string, RegExp]> = [
    ['Edge', /Edg\/([\d.]+)/],
    ['Chrome', /(?:HeadlessChrome|Chrome|Chromium)\/([\d.]+)/],
    ['Firefox', /Firefox\/([\d.]+)/],
    ['Safari', /Version\/([\d.]+).*Safari/],
  ];
  const found = browsers.map(([name, pattern]) => [name, pattern.exec(userAgent)?.[1]] as const).find(([, version]) => version);
  const isMobile = /Mobile|Android|iPhone|iPad/.test(userAgent);
  return {
    browserName: found?.[0] ?? 'Browser',
    browserVersion: found?.[1] ?? '',
    deviceType: /Macintosh/.test(userAgent) ? 'Macintosh' : /Windows/.test(userAgent) ? 'Windows' : /Linux/.test(userAgent) ? 'Linux' : '',
    isMobile,
  };
}
