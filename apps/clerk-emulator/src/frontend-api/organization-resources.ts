import type { ClerkOrganizationInvitationJson, ClerkOrganizationJson, ClerkOrganizationMembershipJson } from '../clerk-json';
import { ORGANIZATION_ROLES, type OrganizationRole } from '../organization-roles';

/**
 * Organizations as clerk-js 6 reads them (`OrganizationJSON`, `OrganizationMembershipJSON`,
 * `RoleJSON`, `OrganizationInvitationJSON`, `UserOrganizationInvitationJSON`): the Backend API's
 * JSON less what a browser must not see (private metadata, who created the organization).
 */

/** The roles and permissions are Clerk's defaults: they have existed as long as the instance. */
const DEFAULT_ROLES_CREATED_AT = Date.UTC(2024, 0, 1);

export function frontendOrganizationJson(organization: ClerkOrganizationJson) {
  const { private_metadata: _private, created_by: _createdBy, ...visible } = organization;
  return visible;
}

export function frontendMembershipJson(membership: ClerkOrganizationMembershipJson) {
  const { private_metadata: _private, ...visible } = membership;
  return { ...visible, organization: frontendOrganizationJson(membership.organization) };
}

/** Clerk's words for its system permissions, as `<OrganizationProfile/>` may show them. */
function permissionJson(key: string) {
  const [, feature = '', action = ''] = key.split(':');
  return {
    object: 'permission',
    id: `perm_${feature}_${action}`,
    key,
    name: `${action === 'read' ? 'Read' : action === 'delete' ? 'Delete' : 'Manage'} ${feature.replace(/^sys_/, '')}`,
    description: `Permission to ${action} the organization's ${feature.replace(/^sys_/, '')}.`,
    type: 'system',
    created_at: DEFAULT_ROLES_CREATED_AT,
    updated_at: DEFAULT_ROLES_CREATED_AT,
  };
}

export function roleJson(role: OrganizationRole) {
  return {
    object: 'role',
    id: `role_${role.key.replace(/^org:/, '')}`,
    key: role.key,
    name: role.name,
    description: role.description,
    // clerk-js maps this list without a guard: every role needs one.
    permissions: role.permissions.map(permissionJson),
    is_creator_eligible: role.key === 'org:admin',
    created_at: DEFAULT_ROLES_CREATED_AT,
    updated_at: DEFAULT_ROLES_CREATED_AT,
  };
}

export const rolesJson = () => ORGANIZATION_ROLES.map(roleJson);

/** An invitation as the organization's admins see it. */
export function frontendInvitationJson(invitation: ClerkOrganizationInvitationJson) {
  const { private_metadata: _private, url: _url, ...visible } = invitation;
  return visible;
}

/** An invitation as the invited user sees it, in `<OrganizationSwitcher/>`. */
export function userInvitationJson(invitation: ClerkOrganizationInvitationJson, organization: ClerkOrganizationJson) {
  const { organization_id: _organizationId, ...visible } = frontendInvitationJson(invitation);
  return {
    ...visible,
    public_organization_data: {
      id: organization.id,
      name: organization.name,
      slug: organization.slug,
      has_image: organization.has_image,
      image_url: organization.image_url,
    },
  };
}

/** A page in Clerk's shape: `{ data, total_count }`, as clerk-js reads every organization list. */
export function pageJson<T>(items: readonly T[], offset: number, limit: number) {
  return { data: items.slice(offset, offset + limit), total_count: items.length };
}
