/**
 * The parts of Clerk's webhook events that the mirror stores. The webhook route validates the
 * raw payload against Clerk's shapes before it builds one of these.
 */
export interface ClerkEmailAddress {
  id: string;
  email_address: string;
}

export interface ClerkUser {
  id: string;
  first_name: string | null;
  last_name: string | null;
  username: string | null;
  image_url: string | null;
  primary_email_address_id: string | null;
  email_addresses: readonly ClerkEmailAddress[];
  /** Epoch milliseconds; orders events for the same user. */
  updated_at: number;
}

export type ClerkEvent =
  | { type: 'user.created' | 'user.updated'; timestamp: number; data: ClerkUser }
  | { type: 'user.deleted'; timestamp: number; data: { id: string } }
  | { type: 'other'; originalType: string; timestamp: number; clerkUserId: string | null };

export interface WebhookDelivery {
  /** The `svix-id` header: the same on every retry of one message. */
  svixId: string;
  event: ClerkEvent;
  /** Epoch milliseconds at which this delivery was received. */
  receivedAt: number;
}

export function primaryEmail(user: ClerkUser): string | null {
  if (user.primary_email_address_id === null) return null;
  const match = user.email_addresses.find((address) => address.id === user.primary_email_address_id);
  return match?.email_address ?? null;
}
