export { startClerkEmulator, apiEnvironmentFor, type ClerkEmulatorOptions, type RunningClerkEmulator } from './emulator';
export { loadEmulatorEnv, assertNotProduction, EmulatorConfigError, RefusedInProductionError, type EmulatorEnv } from './config';
export { parseWebhookFaults, WebhookFaultsError, type WebhookFaults } from './webhook-faults';
export type { EmulatorPublicConfig } from './instance';
export type { WebhookStats } from './outbox';
export type {
  ClerkUserJson,
  DeletedUserJson,
  ClerkWebhookEvent,
  ClerkEventType,
  ClerkEmailAddressJson,
  ClerkOrganizationJson,
  ClerkOrganizationMembershipJson,
  ClerkPublicUserDataJson,
  DeletedOrganizationJson,
  OrganizationRoleKey,
} from './clerk-json';
export { primaryEmailOf } from './clerk-json';
export { SESSION_TOKEN_LIFETIME_SECONDS, type SessionTokenClaims } from './session-tokens';
export { EMAIL_CODE } from './frontend-api/flows';
export { STAND_IN_PUBLISHABLE_KEY } from './publishable-key';
export { clerkScriptPackages, type ClerkScriptPackage } from './frontend-api/clerk-scripts';
export { BAPI_RATE_WINDOW_MS } from './http/backend-api';
