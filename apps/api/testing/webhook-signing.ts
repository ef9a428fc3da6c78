import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'svix';

/** A fresh `whsec_` secret, as Clerk's dashboard shows for a webhook endpoint. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export interface SignedDelivery {
  headers: Record<string, string>;
  body: string;
}

// One signer per secret: load generators sign every request.
const signers = new Map<string, Webhook>();

/** Signs a body exactly as Svix does (the same library Svix publishes for verification). */
export function signDelivery(
  secret: string,
  body: string | object,
  options: { svixId?: string; at?: Date } = {},
): SignedDelivery {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  const svixId = options.svixId ?? `msg_${randomUUID().replaceAll('-', '')}`;
  const at = options.at ?? new Date();
  return {
    body: payload,
    headers: {
      'content-type': 'application/json',
      'svix-id': svixId,
      'svix-timestamp': String(Math.floor(at.getTime() / 1000)),
      'svix-signature': signerFor(secret).sign(svixId, at, payload),
    },
  };
}

function signerFor(secret: string): Webhook {
  let signer = signers.get(secret);
  if (!signer) {
    signer = new Webhook(secret);
    signers.set(secret, signer);
  }
  return signer;
}
