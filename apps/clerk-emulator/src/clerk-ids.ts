import { randomBytes } from 'node:crypto';

/** The object kinds whose ids the stand-in mints, with Clerk's prefixes. */
export type ClerkIdPrefix = 'user' | 'idn' | 'sess' | 'msg' | 'ins' | 'client' | 'sia' | 'sua' | 'img' | 'org' | 'orgmem' | 'orginv';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KSUID_EPOCH_SECONDS = 1_400_000_000;
const KSUID_LENGTH = 27;

/**
 * A Clerk-shaped id: the prefix, `_`, and a 27-character base62 KSUID (4 bytes of seconds, 16
 * random bytes), as Clerk and Svix mint them. Ids sort roughly by creation time.
 */
export function newClerkId(prefix: ClerkIdPrefix, now: number = Date.now()): string {
  const bytes = Buffer.alloc(20);
  bytes.writeUInt32BE(Math.max(0, Math.floor(now / 1000) - KSUID_EPOCH_SECONDS), 0);
  randomBytes(16).copy(bytes, 4);
  let value = BigInt(`0x${bytes.toString('hex')}`);
  let encoded = '';
  while (value > 0n) {
    encoded = BASE62[Number(value % 62n)] + encoded;
    value /= 62n;
  }
  return `${prefix}_${encoded.padStart(KSUID_LENGTH, '0')}`;
}

export const CLERK_USER_ID_PATTERN = /^user_[0-9A-Za-z]{27}$/;
