/**
 * Clerk's Backend API shapes, in Clerk's snake_case, as they appear in webhook payloads and in
 * the Frontend API. Field for field the shape of a real `user.created` payload's `data`.
 */
export interface ClerkVerificationJson {
  object: string;
  status: 'verified';
  strategy: 'admin' | 'email_code';
  attempts: number | null;
  expire_at: number | null;
}

export interface ClerkEmailAddressJson {
  id: string;
  object: 'email_address';
  email_address: string;
  verification: ClerkVerificationJson;
  linked_to: unknown[];
  reserved: boolean;
  created_at: number;
  updated_at: number;
}

export interface ClerkUserJson {
  id: string;
  object: 'user';
  username: string | null;
  first_name: string | null;
  last_name: string | null;
  image_url: string;
  has_image: boolean;
  primary_email_address_id: string | null;
  primary_phone_number_id: string | null;
  primary_web3_wallet_id: string | null;
  password_enabled: boolean;
  two_factor_enabled: boolean;
  totp_enabled: boolean;
  backup_code_enabled: boolean;
  email_addresses: ClerkEmailAddressJson[];
  phone_numbers: unknown[];
  web3_wallets: unknown[];
  passkeys: unknown[];
  external_accounts: unknown[];
  enterprise_accounts: unknown[];
  saml_accounts: unknown[];
  public_metadata: Record<string, unknown>;
  private_metadata: Record<string, unknown>;
  unsafe_metadata: Record<string, unknown>;
  external_id: string | null;
  last_sign_in_at: number | null;
  banned: boolean;
  locked: boolean;
  lockout_expires_in_seconds: number | null;
  verification_attempts_remaining: number;
  created_at: number;
  updated_at: number;
  last_active_at: number | null;
  create_organization_enabled: boolean;
  create_organizations_limit: number | null;
  delete_self_enabled: boolean;
  legal_accepted_at: number | null;
  locale: string | null;
  timezone: string | null;
}

export interface DeletedUserJson {
  deleted: true;
  id: string;
  object: 'user';
}

export type ClerkUserEventType = 'user.created' | 'user.updated' | 'user.deleted';

/** The stand-in's organization roles: Clerk's two default ones. */
export type OrganizationRoleKey = 'org:admin' | 'org:member';

/**
 * An organization as Clerk's Backend API and webhooks carry it. The Frontend API shows the same
 * without `private_metadata` and `created_by`.
 */
export interface ClerkOrganizationJson {
  object: 'organization';
  id: string;
  name: string;
  slug: string;
  /** Empty until a logo is uploaded: Clerk's components then draw the name's initials. */
  image_url: string;
  has_image: boolean;
  members_count: number;
  pending_invitations_count: number;
  /** 0: no limit. */
  max_allowed_memberships: number;
  admin_delete_enabled: boolean;
  public_metadata: Record<string, unknown>;
  private_metadata: Record<string, unknown>;
  /** The user who created it; null when created through the Backend API without one. */
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface DeletedOrganizationJson {
  object: 'organization';
  id: string;
  deleted: true;
}

/** What an organization shows of a member: Clerk's `public_user_data`. */
export interface ClerkPublicUserDataJson {
  first_name: string | null;
  last_name: string | null;
  image_url: string;
  has_image: boolean;
  /** The primary email address, else the username. */
  identifier: string;
  user_id: string;
  username?: string;
}

/** A user's membership in an organization, with both inside, as Clerk sends it. */
export interface ClerkOrganizationMembershipJson {
  object: 'organization_membership';
  id: string;
  organization: ClerkOrganizationJson;
  /** The role's system permissions (`org:sys_memberships:read`, …). */
  permissions: string[];
  public_metadata: Record<string, unknown>;
  private_metadata: Record<string, unknown>;
  public_user_data: ClerkPublicUserDataJson;
  role: OrganizationRoleKey;
  role_name: string;
  created_at: number;
  updated_at: number;
}

/** An invitation to join an organization, as the Backend API and webhooks carry it. */
export interface ClerkOrganizationInvitationJson {
  object: 'organization_invitation';
  id: string;
  email_address: string;
  organization_id: string;
  role: OrganizationRoleKey;
  role_name: string;
  status: 'pending' | 'accepted' | 'revoked';
  public_metadata: Record<string, unknown>;
  private_metadata: Record<string, unknown>;
  /** The stand-in sends no email, so there is no link to accept by. */
  url: null;
  expires_at: number;
  created_at: number;
  updated_at: number;
}

export type ClerkOrganizationEventType = 'organization.created' | 'organization.updated' | 'organization.deleted';
export type ClerkMembershipEventType =
  | 'organizationMembership.created'
  | 'organizationMembership.updated'
  | 'organizationMembership.deleted';
export type ClerkInvitationEventType = 'organizationInvitation.created' | 'organizationInvitation.accepted' | 'organizationInvitation.revoked';
export type ClerkEventType = ClerkUserEventType | ClerkOrganizationEventType | ClerkMembershipEventType | ClerkInvitationEventType;

/** Each event type with the `data` it carries. Deleting a membership sends the whole membership. */
export interface ClerkEventDataByType {
  'user.created': ClerkUserJson;
  'user.updated': ClerkUserJson;
  'user.deleted': DeletedUserJson;
  'organization.created': ClerkOrganizationJson;
  'organization.updated': ClerkOrganizationJson;
  'organization.deleted': DeletedOrganizationJson;
  'organizationMembership.created': ClerkOrganizationMembershipJson;
  'organizationMembership.updated': ClerkOrganizationMembershipJson;
  'organizationMembership.deleted': ClerkOrganizationMembershipJson;
  'organizationInvitation.created': ClerkOrganizationInvitationJson;
  'organizationInvitation.accepted': ClerkOrganizationInvitationJson;
  'organizationInvitation.revoked': ClerkOrganizationInvitationJson;
}

export interface ClerkEventAttributes {
  http_request: { client_ip: string; user_agent: string };
}

/** The envelope Clerk posts through Svix. */
export interface ClerkWebhookEvent<Type extends ClerkEventType = ClerkEventType> {
  data: ClerkEventDataByType[Type];
  event_attributes: ClerkEventAttributes;
  instance_id: string;
  object: 'event';
  timestamp: number;
  type: Type;
}

export function primaryEmailOf(user: ClerkUserJson): string | null {
  return user.email_addresses.find((address) => address.id === user.primary_email_address_id)?.email_address ?? null;
}

/** "Ada Lovelace", else the username, else the primary email: how Clerk's components name a user. */
export function displayNameOf(user: ClerkUserJson): string {
  const fullName = [user.first_name, user.last_name].filter(Boolean).join(' ');
  return fullName || user.username || primaryEmailOf(user) || user.id;
}

/** A member as an organization shows them (`public_user_data`). */
export function publicUserDataOf(user: ClerkUserJson): ClerkPublicUserDataJson {
  return {
    first_name: user.first_name,
    last_name: user.last_name,
    image_url: user.image_url,
    has_image: user.has_image,
    identifier: primaryEmailOf(user) ?? user.username ?? '',
    user_id: user.id,
    ...(user.username ? { username: user.username } : {}),
  };
}
