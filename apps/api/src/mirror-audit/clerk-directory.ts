import { setTimeout as sleep } from 'node:timers/promises';
import { createClerkClient, type ClerkClient, type OrganizationMembership } from '@clerk/backend';
import { isClerkAPIResponseError } from '@clerk/backend/errors';
import { AuditCannotRunError } from './errors';

/** Clerk's largest page of users, organizations or memberships. */
export const CLERK_PAGE_SIZE = 500;
/** The most ids Clerk's `organization_id` and `user_id` list filters of organizations and memberships take. */
const CLERK_ID_FILTER_LIMIT = 100;
/**
 * The documented private-metadata key `--resync` sets (to the time of the request) so that Clerk
 * sends `user.updated`, `organization.updated` or `organizationMembership.updated`.
 */
export const RESYNC_METADATA_KEY = 'mirrorResyncRequestedAt';
/** Consecutive 429s on one call before the audit stops: Clerk's window is 10 s, so this is minutes. */
const MAX_RATE_LIMITED_RETRIES = 30;
/**
 * Waits before asking again after a request got no answer at all (a connection reset, a refused
 * connection). Every call the audit makes is safe to repeat: reads, and setting one metadata key
 * to the same value.
 */
const NO_ANSWER_RETRY_DELAYS_MS = [250, 1000, 2000];

/** A Clerk user or organization as the audit compares it. */
export interface ClerkVersion {
  id: string;
  /** Clerk's `updated_at`, epoch ms. */
  updatedAt: number;
}

/** A Clerk organization membership as the audit compares it: the mirror keeps one row per organization and user. */
export interface ClerkMembershipVersion extends ClerkVersion {
  organizationId: string;
  userId: string;
  /** Clerk's `created_at`, epoch ms: the later of two memberships of one pair is the current one. */
  createdAt: number;
}

/** One page of a Clerk list, and how long the whole list is. */
export interface ClerkPage<Version> {
  versions: Version[];
  totalCount: number;
}

/**
 * Every request waits here first. A 429 closes the gate for its `Retry-After`, so that the
 * calls running beside it wait too instead of spending the next window's budget on refusals.
 */
class RateGate {
  private openAt = 0;
  rateLimitedResponses = 0;

  async pass(): Promise<void> {
    for (let wait = this.openAt - Date.now(); wait > 0; wait = this.openAt - Date.now()) await sleep(wait);
  }

  close(seconds: number): void {
    this.rateLimitedResponses += 1;
    this.openAt = Math.max(this.openAt, Date.now() + seconds * 1000);
  }
}

/**
 * Clerk's users, organizations and memberships, read (and touched, for `--resync`) through
 * `@clerk/backend`'s client, backing off on 429 as `Retry-After` says. Failures that retrying
 * cannot fix become AuditCannotRunError.
 */
export class ClerkDirectory {
  private readonly client: ClerkClient;
  private readonly gate = new RateGate();

  constructor(private readonly options: { secretKey: string; apiUrl: string }) {
    this.client = createClerkClient({ secretKey: options.secretKey, apiUrl: options.apiUrl });
  }

  /** How many 429s Clerk answered so far. */
  get rateLimitedResponses(): number {
    return this.gate.rateLimitedResponses;
  }

  // Every list is read oldest first, so that what is created meanwhile lands on later pages.

  async pageUsers(offset: number, limit = CLERK_PAGE_SIZE): Promise<ClerkPage<ClerkVersion>> {
    const { data, totalCount } = await this.call(() => this.client.users.getUserList({ limit, offset, orderBy: '+created_at' }));
    return { versions: data.map(versionOf), totalCount };
  }

  /** Those of these users that exist (the `user_id` filter), at most CLERK_PAGE_SIZE ids a call. */
  async findUsers(ids: readonly string[]): Promise<ClerkVersion[]> {
    if (ids.length === 0) return [];
    const { data } = await this.call(() => this.client.users.getUserList({ userId: [...ids], limit: CLERK_PAGE_SIZE }));
    return data.map(versionOf);
  }

  /** Sets RESYNC_METADATA_KEY on the user, so Clerk sends `user.updated`; null if the user no longer exists. */
  async touchUser(id: string, at: Date): Promise<ClerkVersion | null> {
    const touched = await this.unlessGone(() => this.client.users.updateUserMetadata(id, { privateMetadata: resyncMark(at) }));
    return touched && versionOf(touched);
  }

  async pageOrganizations(offset: number, limit = CLERK_PAGE_SIZE): Promise<ClerkPage<ClerkVersion>> {
    const { data, totalCount } = await this.call(() => this.client.organizations.getOrganizationList({ limit, offset, orderBy: '+created_at' }));
    return { versions: data.map(versionOf), totalCount };
  }

  /** Those of these organizations that exist (the `organization_id` filter, CLERK_ID_FILTER_LIMIT ids a call). */
  async findOrganizations(ids: readonly string[]): Promise<ClerkVersion[]> {
    const found: ClerkVersion[] = [];
    for (const chunk of chunksOf(ids, CLERK_ID_FILTER_LIMIT)) {
      const { data } = await this.call(() => this.client.organizations.getOrganizationList({ organizationId: chunk, limit: CLERK_PAGE_SIZE }));
      found.push(...data.map(versionOf));
    }
    return found;
  }

  /** Sets RESYNC_METADATA_KEY on the organization, so Clerk sends `organization.updated`; null if it no longer exists. */
  async touchOrganization(id: string, at: Date): Promise<ClerkVersion | null> {
    const touched = await this.unlessGone(() => this.client.organizations.updateOrganizationMetadata(id, { privateMetadata: resyncMark(at) }));
    return touched && versionOf(touched);
  }

  /** One page of the whole instance's memberships. */
  async pageMemberships(offset: number, limit = CLERK_PAGE_SIZE): Promise<ClerkPage<ClerkMembershipVersion>> {
    const { data, totalCount } = await this.call(() => this.client.organizations.getInstanceOrganizationMembershipList({ limit, offset, orderBy: '+created_at' }));
    return { versions: data.map(membershipVersionOf), totalCount };
  }

  /**
   * The memberships these users hold in the organization (the `user_id` filter,
   * CLERK_ID_FILTER_LIMIT ids a call); none if the organization no longer exists.
   */
  async findMemberships(organizationId: string, userIds: readonly string[]): Promise<ClerkMembershipVersion[]> {
    const found: ClerkMembershipVersion[] = [];
    for (const chunk of chunksOf(userIds, CLERK_ID_FILTER_LIMIT)) {
      const page = await this.unlessGone(() => this.client.organizations.getOrganizationMembershipList({ organizationId, userId: chunk, limit: CLERK_PAGE_SIZE }));
      if (!page) return [];
      found.push(...page.data.map(membershipVersionOf));
    }
    return found;
  }

  /** Sets RESYNC_METADATA_KEY on the membership, so Clerk sends `organizationMembership.updated`; null if it no longer exists. */
  async touchMembership(membership: ClerkMembershipVersion, at: Date): Promise<ClerkMembershipVersion | null> {
    const { organizationId, userId } = membership;
    const touched = await this.unlessGone(() => this.client.organizations.updateOrganizationMembershipMetadata({ organizationId, userId, privateMetadata: resyncMark(at) }));
    return touched && membershipVersionOf(touched);
  }

  /** `request` through call(); null if Clerk answers 404: it was deleted in Clerk while the audit ran. */
  private async unlessGone<T>(request: () => Promise<T>): Promise<T | null> {
    try {
      return await this.call(request);
    } catch (error) {
      if (error instanceof ClerkResourceGoneError) return null;
      throw error;
    }
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    for (let rateLimited = 0, unanswered = 0; ; ) {
      await this.gate.pass();
      try {
        return await request();
      } catch (error) {
        if (isClerkAPIResponseError(error) && error.status === 429 && rateLimited < MAX_RATE_LIMITED_RETRIES) {
          rateLimited += 1;
          // Clerk always sends Retry-After with a 429; a second is the floor if it ever does not.
          this.gate.close(Math.max(error.retryAfter ?? 1, 1));
          continue;
        }
        const delay = NO_ANSWER_RETRY_DELAYS_MS[unanswered];
        if (isClerkAPIResponseError(error) && error.status === undefined && delay !== undefined) {
          unanswered += 1;
          await sleep(delay);
          continue;
        }
        throw await this.explain(error);
      }
    }
  }

  private async explain(error: unknown): Promise<Error> {
    const where = this.options.apiUrl;
    if (!isClerkAPIResponseError(error)) return error instanceof Error ? error : new Error(String(error));
    const code = error.errors[0]?.code;
    if (error.status === 404) {
      return new ClerkResourceGoneError(
        `Clerk's Backend API at ${where} answered 404${code ? ` ${code}` : ''} to a list: is CLERK_API_URL the Backend API (https://api.clerk.com)?`,
      );
    }
    if (error.status === 401 || error.status === 403) {
      return new AuditCannotRunError(
        `Clerk's Backend API at ${where} refused CLERK_SECRET_KEY (${error.status}${code ? ` ${code}` : ''}): set it to the secret key (sk_…) of the instance whose webhook feeds this mirror.`,
      );
    }
    if (error.status === 429) {
      return new AuditCannotRunError(`Clerk's Backend API at ${where} kept answering 429 (rate limited) after ${MAX_RATE_LIMITED_RETRIES} waits; run the audit again later.`);
    }
    if (error.status === undefined) {
      return new AuditCannotRunError(
        `could not reach Clerk's Backend API at ${where} (CLERK_API_URL) in ${NO_ANSWER_RETRY_DELAYS_MS.length + 1} tries: ${await reachability(this.options.apiUrl)}.`,
      );
    }
    return new AuditCannotRunError(
      `Clerk's Backend API at ${where} answered ${error.status}${code ? ` ${code}` : ''}: ${error.errors[0]?.longMessage ?? error.errors[0]?.message ?? 'no detail'}.`,
    );
  }
}

/**
 * A 404: the user, organization or membership asked for was deleted in Clerk while the audit ran
 * (unlessGone() expects that); a 404 to a list means CLERK_API_URL is not the Backend API.
 */
class ClerkResourceGoneError extends AuditCannotRunError {
  override name = 'ClerkResourceGoneError';
}

function versionOf(resource: { id: string; updatedAt: number }): ClerkVersion {
  return { id: resource.id, updatedAt: resource.updatedAt };
}

function membershipVersionOf(membership: OrganizationMembership): ClerkMembershipVersion {
  const userId = membership.publicUserData?.userId;
  // Clerk always names the member; without it the membership could neither be compared nor touched.
  if (!userId) throw new AuditCannotRunError(`Clerk's Backend API answered membership ${membership.id} without public_user_data.user_id; the audit cannot tell whose it is.`);
  return { id: membership.id, updatedAt: membership.updatedAt, createdAt: membership.createdAt, organizationId: membership.organization.id, userId };
}

function resyncMark(at: Date): Record<string, string> {
  return { [RESYNC_METADATA_KEY]: at.toISOString() };
}

function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/** @clerk/backend reports a network failure as "fetch failed"; ask once more to learn why. */
async function reachability(apiUrl: string): Promise<string> {
  try {
    await fetch(apiUrl, { method: 'HEAD', signal: AbortSignal.timeout(5000) });
    return 'the request failed without an answer';
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown } }).cause;
    if (typeof cause?.code === 'string') return `${cause.code} (is the URL right, and the service up?)`;
    return (error as Error).name === 'TimeoutError' ? 'no answer within 5 s' : 'the request failed without an answer';
  }
}
