import type { ColumnKit } from './kit';

/**
 * Read-only mirror of Clerk's organizations, kept as the users mirror is: only the webhook route
 * (through `@expectations/db/mirror-writer`) writes here, and the database refuses anything else
 * (migrations/<engine>/ writer guards). Times are epoch milliseconds.
 */
export function defineOrganizations(kit: ColumnKit) {
  return kit.table(
    'organizations',
    {
      id: kit.serialId('id'),
      clerkId: kit.text('clerk_id').notNull().unique(),
      name: kit.text('name'),
      // Not unique: Clerk frees a slug when an organization renames or is deleted, and another may
      // take it; delivered out of order, a unique slug would refuse a valid event until its retry.
      slug: kit.text('slug'),
      imageUrl: kit.text('image_url'),
      /** Clerk's `updated_at` of the last applied event: older events are stale. */
      clerkUpdatedAt: kit.epochMs('clerk_updated_at').notNull(),
      /** Set once by `organization.deleted`; the row stays so expectations keep their organization. */
      deletedAt: kit.epochMs('deleted_at'),
      createdAt: kit.epochMs('created_at').notNull(),
      updatedAt: kit.epochMs('updated_at').notNull(),
    },
  );
}

/**
 * Read-only mirror of Clerk's organization memberships: one row per organization and user, which
 * holds that pair's latest membership. A user removed from an organization and added again gets
 * a new membership (a new Clerk id); it takes the pair's row over from the removed one, whose late
 * events then change nothing (see the mirror writer's plan). No foreign keys to the organizations
 * or users mirrors: Clerk promises no order, so a membership may arrive before either.
 */
export function defineOrganizationMemberships(kit: ColumnKit) {
  return kit.table(
    'organization_memberships',
    {
      id: kit.serialId('id'),
      /**
       * The pair's latest membership's own Clerk id (`orgmem_…`). Not unique: the pair is the key,
       * and an event naming a membership of another pair must not fail on it (answered 5xx, Svix
       * would retry it for a day).
       */
      clerkId: kit.text('clerk_id').notNull(),
      clerkOrganizationId: kit.text('clerk_organization_id').notNull(),
      clerkUserId: kit.text('clerk_user_id').notNull(),
      /** Clerk's role key, e.g. `org:admin`, `org:member`. */
      role: kit.text('role').notNull(),
      /** Clerk's `created_at` of the membership: between two memberships of one pair, the later one is current. */
      clerkCreatedAt: kit.epochMs('clerk_created_at').notNull(),
      /** Clerk's `updated_at` of the last applied event: older events of this membership are stale. */
      clerkUpdatedAt: kit.epochMs('clerk_updated_at').notNull(),
      /** Set once by `organizationMembership.deleted`: that membership is over for good. */
      deletedAt: kit.epochMs('deleted_at'),
      createdAt: kit.epochMs('created_at').notNull(),
      updatedAt: kit.epochMs('updated_at').notNull(),
    },
    (table) => [
      // One row per pair; liveMembership() and the writer find it through this.
      kit.uniqueIndex('organization_memberships_organization_user_unique', [table.clerkOrganizationId, table.clerkUserId]),
    ],
  );
}
