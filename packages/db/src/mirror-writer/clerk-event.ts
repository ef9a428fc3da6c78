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

export interface ClerkOrganization {
  id: string;
  name: string;
  slug: string | null;
  image_url: string | null;
  /** Epoch milliseconds; orders events for the same organization. */
  updated_at: number;
}

export interface ClerkOrganizationMembership {
  id: string;
  organization: { id: string };
  public_user_data: { user_id: string };
  /** Clerk's role key, e.g. `org:admin`. */
  role: string;
  /** Epoch milliseconds; between two memberships of one user in one organization, the later is current. */
  created_at: number;
  /** Epoch milliseconds; orders events for the same membership. */
  updated_at: number;
}

export type ClerkUserEvent =
  | { type: 'user.created' | 'user.updated'; timestamp: number; data: ClerkUser }
  | { type: 'user.deleted'; timestamp: number; data: { id: string } };

export type ClerkOrganizationEvent =
  | { type: 'organization.created' | 'organization.updated'; timestamp: number; data: ClerkOrganization }
  /** Clerk sends only the id of a deleted organization. */
  | { type: 'organization.deleted'; timestamp: number; data: { id: string } };

/** Every membership event, deletion included, carries the whole membership. */
export interface ClerkOrganizationMembershipEvent {
  type: 'organizationMembership.created' | 'organizationMembership.updated' | 'organizationMembership.deleted';
  timestamp: number;
  data: ClerkOrganizationMembership;
}

/** An event type the mirror does not keep: recorded as `ignored`. */
export interface ClerkOtherEvent {
  type: 'other';
  originalType: string;
  timestamp: number;
  clerkUserId: string | null;
}

export type ClerkEvent = ClerkUserEvent | ClerkOrganizationEvent | ClerkOrganizationMembershipEvent | ClerkOtherEvent;

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
