import { setTimeout as sleep } from 'node:timers/promises';
import { createClerkClient, type ClerkClient } from '@clerk/backend';
import { isClerkAPIResponseError } from '@clerk/backend/errors';
import { AuditCannotRunError } from './errors';

/** Clerk's largest page of users. */
export const CLERK_PAGE_SIZE = 500;
/** The documented private-metadata key `--resync` sets (to the time of the request) so that Clerk sends `user.updated`. */
export const RESYNC_METADATA_KEY = 'mirrorResyncRequestedAt';
/** Consecutive 429s on one call before the audit stops: Clerk's window is 10 s, so this is minutes. */
const MAX_RATE_LIMITED_RETRIES = 30;
/**
 * Waits before asking again after a request got no answer at all (a connection reset, a refused
 * connection). Every call the audit makes is safe to repeat: reads, and setting one metadata key
 * to the same value.
 */
const NO_ANSWER_RETRY_DELAYS_MS = [250, 1000, 2000];

/** A Clerk user as the audit compares it. */
export interface ClerkUserVersion {
  id: string;
  /** Clerk's `updated_at`, epoch ms. */
  updatedAt: number;
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
 * Clerk's users, read (and touched, for `--resync`) through `@clerk/backend`'s client, backing
 * off on 429 as `Retry-After` says. Failures that retrying cannot fix become AuditCannotRunError.
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

  /** One page of users, oldest first, so that users created meanwhile land on later pages. */
  async page(offset: number, limit = CLERK_PAGE_SIZE): Promise<{ users: ClerkUserVersion[]; totalCount: number }> {
    const { data, totalCount } = await this.call(() => this.client.users.getUserList({ limit, offset, orderBy: '+created_at' }));
    return { users: data.map(versionOf), totalCount };
  }

  /** Those of these users that exist (the `user_id` filter), at most CLERK_PAGE_SIZE ids a call. */
  async findByIds(ids: readonly string[]): Promise<ClerkUserVersion[]> {
    if (ids.length === 0) return [];
    const { data } = await this.call(() => this.client.users.getUserList({ userId: [...ids], limit: CLERK_PAGE_SIZE }));
    return data.map(versionOf);
  }

  /**
   * Sets RESYNC_METADATA_KEY in the user's private metadata: Clerk then sends `user.updated`
   * with the whole user. Returns the user's new version, or null if the user no longer exists.
   */
  async touchForResync(id: string, at: Date): Promise<ClerkUserVersion | null> {
    try {
      const user = await this.call(() => this.client.users.updateUserMetadata(id, { privateMetadata: { [RESYNC_METADATA_KEY]: at.toISOString() } }));
      return versionOf(user);
    } catch (error) {
      if (error instanceof ClerkUserGoneError) return null;
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
    if (error.status === 404) return new ClerkUserGoneError();
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

/** A user that was deleted in Clerk while the audit ran. */
class ClerkUserGoneError extends Error {
  override name = 'ClerkUserGoneError';
}

function versionOf(user: { id: string; updatedAt: number }): ClerkUserVersion {
  return { id: user.id, updatedAt: user.updatedAt };
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
