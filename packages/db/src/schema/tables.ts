import { defineExpectations } from './expectations';
import type { ColumnKit } from './kit';
import { defineUsers } from './users';
import { defineWebhookEvents } from './webhook-events';

/** Every table both engines have, built with one engine's kit. */
export function defineTables(kit: ColumnKit) {
  const users = defineUsers(kit);
  return { users, expectations: defineExpectations(kit, users), webhookEvents: defineWebhookEvents(kit) };
}

export type Tables = ReturnType<typeof defineTables>;
