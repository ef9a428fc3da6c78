import type { OrganizationRoleKey } from './clerk-json';

/** A role of Clerk's default set, with the system permissions Clerk gives it. */
export interface OrganizationRole {
  key: OrganizationRoleKey;
  name: string;
  description: string;
  /** System permissions: shown in the membership JSON (the UI's gates), never put in a token. */
  permissions: readonly string[];
}

/**
 * Clerk's two default roles. The creator of an organization becomes its admin; a member may
 * read the member list. Custom roles are not served.
 */
export const ORGANIZATION_ROLES: readonly OrganizationRole[] = [
  {
    key: 'org:admin',
    name: 'Admin',
    description: 'Role with elevated permissions in the organization.',
    permissions: [
      'org:sys_profile:manage',
      'org:sys_profile:delete',
      'org:sys_memberships:read',
      'org:sys_memberships:manage',
      'org:sys_domains:read',
      'org:sys_domains:manage',
    ],
  },
  {
    key: 'org:member',
    name: 'Member',
    description: 'Role with non-privileged permissions in the organization.',
    permissions: ['org:sys_memberships:read'],
  },
];

export const ORGANIZATION_ROLE_KEYS = ORGANIZATION_ROLES.map((role) => role.key) as [OrganizationRoleKey, ...OrganizationRoleKey[]];

/** The role an organization's creator gets, and the one that must always have a holder. */
export const ADMIN_ROLE: OrganizationRoleKey = 'org:admin';

export function organizationRole(key: OrganizationRoleKey): OrganizationRole {
  const role = ORGANIZATION_ROLES.find((candidate) => candidate.key === key);
  if (!role) throw new Error(`Unknown organization role ${key}`);
  return role;
}
