import { defineExpectations } from './expectations';
import { defineFeedEvents } from './feed-events';
import type { ColumnKit } from './kit';
import { defineOrganizationMemberships, defineOrganizations } from './organizations';
import { defineUsers } from './users';
import { defineWebhookEvents } from './webhook-events';

/** Every table both engines have, built with one engine's kit. */
export function defineTables(kit: ColumnKit) {
  const users = defineUsers(kit);
  const organizations = defineOrganizations(kit);
  return {
    users,
    organizations,
    organizationMemberships: defineOrganizationMemberships(kit),
    expectations: defineExpectations(kit, users, organizations),
    webhookEvents: defineWebhookEvents(kit),
    feedEvents: defineFeedEvents(kit),
  };
}

export type Tables = ReturnType<typeof defineTables>;
