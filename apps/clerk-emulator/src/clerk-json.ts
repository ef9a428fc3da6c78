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

export interface ClerkEventAttributes {
  http_request: { client_ip: string; user_agent: string };
}

/** The envelope Clerk posts through Svix. */
export interface ClerkWebhookEvent {
  data: ClerkUserJson | DeletedUserJson;
  event_attributes: ClerkEventAttributes;
  instance_id: string;
  object: 'event';
  timestamp: number;
  type: ClerkUserEventType;
}

export function primaryEmailOf(user: ClerkUserJson): string | null {
  return user.email_addresses.find((address) => address.id === user.primary_email_address_id)?.email_address ?? null;
}

/** "Ada Lovelace", else the username, else the primary email: how Clerk's components name a user. */
export function displayNameOf(user: ClerkUserJson): string {
  const fullName = [user.first_name, user.last_name].filter(Boolean).join(' ');
  return fullName || user.username || primaryEmailOf(user) || user.id;
}
