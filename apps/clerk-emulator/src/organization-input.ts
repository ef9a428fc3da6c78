import { z } from 'zod';
import { ORGANIZATION_ROLE_KEYS } from './organization-roles';

/** What the admin API (and, later, the Backend and Frontend APIs) accept for organizations. */

export const ORGANIZATION_NAME_MAX_LENGTH = 256;
export const SLUG_MAX_LENGTH = 64;
const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const organizationName = z
  .string({ error: (issue) => (issue.input === undefined ? 'name is required' : 'name must be text') })
  .trim()
  .min(1, 'name must not be empty')
  .max(ORGANIZATION_NAME_MAX_LENGTH, `name must be at most ${ORGANIZATION_NAME_MAX_LENGTH} characters`);

export const organizationSlug = z.preprocess(
  (value) => (typeof value === 'string' ? value.trim().toLowerCase() : value),
  z
    .string({ error: 'slug must be text' })
    .max(SLUG_MAX_LENGTH, `slug must be at most ${SLUG_MAX_LENGTH} characters`)
    .regex(SLUG_PATTERN, 'slug must be lowercase letters and digits, in words joined by single dashes (such as acme-inc)'),
);

const userId = (field: string) =>
  z.string({ error: `${field} is required (the user_… id of an existing user)` }).min(1, `${field} is required (the user_… id of an existing user)`);

export const organizationRoleKey = z.enum(ORGANIZATION_ROLE_KEYS, {
  error: `role must be one of ${ORGANIZATION_ROLE_KEYS.join(', ')}`,
});

/** `POST /admin/organizations`: the creator becomes the organization's admin. */
export const createOrganizationInput = z.strictObject({
  name: organizationName,
  slug: organizationSlug.optional(),
  created_by: userId('created_by'),
});

/** `PATCH /admin/organizations/:id`. */
export const updateOrganizationInput = z.strictObject({
  name: organizationName.optional(),
  slug: organizationSlug.optional(),
});

/** `POST /admin/organizations/:id/memberships`. */
export const createMembershipInput = z.strictObject({
  user_id: userId('user_id'),
  role: organizationRoleKey,
});

/** `PATCH /admin/organizations/:id/memberships/:userId`. */
export const updateMembershipInput = z.strictObject({
  role: organizationRoleKey,
});

export type CreateOrganizationInput = z.infer<typeof createOrganizationInput>;
export type UpdateOrganizationInput = z.infer<typeof updateOrganizationInput>;

/**
 * A slug made from a name, as Clerk's `<CreateOrganization/>` suggests one: "Acme, Inc." becomes
 * `acme-inc`. A name with no letter or digit gives `organization`.
 */
export function slugFromName(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const slug = words.slice(0, SLUG_MAX_LENGTH).replace(/-+$/, '');
  return slug || 'organization';
}
