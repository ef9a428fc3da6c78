import { createHmac, createPrivateKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { newClerkId } from './clerk-ids';
import { STAND_IN_PUBLISHABLE_KEY } from './publishable-key';
import type { Sqlite } from './store';

/** The stand-in instance's identity: what Clerk's dashboard shows as API keys and the webhook secret. */
export interface InstanceIdentity {
  /** `ins_…`, also the `kid` of every session token, as in Clerk. */
  readonly instanceId: string;
  readonly jwtPrivateKey: KeyObject;
  /** SPKI PEM: what the API takes as CLERK_JWT_KEY. */
  readonly jwtPublicKeyPem: string;
  /** `whsec_…`: what the API takes as CLERK_WEBHOOK_SIGNING_SECRET. */
  readonly webhookSigningSecret: string;
  /** `sk_test_…`: the Bearer key the Backend API accepts, what the API takes as CLERK_SECRET_KEY. */
  readonly secretKey: string;
}

/** What the API and its tools need to trust and call the stand-in, as served by GET /admin/config. */
export interface EmulatorPublicConfig {
  jwtPublicKeyPem: string;
  webhookSigningSecret: string;
  publishableKey: string;
  /** The Backend API's Bearer key (CLERK_SECRET_KEY). */
  secretKey: string;
}

interface InstanceRow {
  instance_id: string;
  jwt_private_key_pem: string;
  jwt_public_key_pem: string;
  webhook_signing_secret: string;
}

/**
 * Reads the instance's keys, generating them on first start. The insert is guarded by the
 * singleton row, so two processes starting on a fresh data folder still agree on one identity.
 */
export function loadOrCreateInstance(db: Sqlite, now = Date.now()): InstanceIdentity {
  const select = db.prepare<[], InstanceRow>(
    'SELECT instance_id, jwt_private_key_pem, jwt_public_key_pem, webhook_signing_secret FROM instance WHERE singleton = 1',
  );
  let row = select.get();
  if (!row) {
    // RSA-2048 with e=65537: the key Clerk issues, and the only size Clerk's SDKs accept as a PEM jwtKey.
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicExponent: 0x10001,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    db.prepare(
      `INSERT OR IGNORE INTO instance (singleton, instance_id, jwt_private_key_pem, jwt_public_key_pem, webhook_signing_secret, created_at)
       VALUES (1, ?, ?, ?, ?, ?)`,
    ).run(newClerkId('ins', now), privateKey, publicKey, `whsec_${randomBytes(24).toString('base64')}`, now);
    row = select.get();
    if (!row) throw new Error('The Clerk stand-in could not store its keys in its data folder.');
  }
  return {
    instanceId: row.instance_id,
    jwtPrivateKey: createPrivateKey(row.jwt_private_key_pem),
    jwtPublicKeyPem: row.jwt_public_key_pem.trim(),
    webhookSigningSecret: row.webhook_signing_secret,
    secretKey: secretKeyOf(row.jwt_private_key_pem),
  };
}

/**
 * The secret key is derived from the instance's private key rather than stored: it stays the
 * same across restarts, differs between data folders, and needs no column of its own.
 */
function secretKeyOf(privateKeyPem: string): string {
  return `sk_test_${createHmac('sha256', privateKeyPem).update('clerk-emulator backend api secret key').digest('base64url').slice(0, 40)}`;
}

export function publicConfigOf(identity: InstanceIdentity): EmulatorPublicConfig {
  return {
    jwtPublicKeyPem: identity.jwtPublicKeyPem,
    webhookSigningSecret: identity.webhookSigningSecret,
    publishableKey: STAND_IN_PUBLISHABLE_KEY,
    secretKey: identity.secretKey,
  };
}
