/** The refusal every write to `users` outside the mirror writer meets, on either engine. */
export const refusal = /users is a read-only mirror of Clerk: only the Clerk webhook writes it .* Change the user in Clerk/;

export const writesToUsers = [
  ['INSERT', "INSERT INTO users (clerk_id, clerk_updated_at, created_at, updated_at) VALUES ('user_forged', 1, 1, 1)"],
  ['UPDATE', "UPDATE users SET first_name = 'Forged'"],
  ['DELETE', 'DELETE FROM users'],
] as const;

/** The refusals of the organizations mirror's tables, on either engine. */
export const organizationsRefusal = /organizations is a read-only mirror of Clerk: only the Clerk webhook writes it .* Change the organization in Clerk/;
export const membershipsRefusal = /organization_memberships is a read-only mirror of Clerk: only the Clerk webhook writes it .* Change the membership in Clerk/;

/** [table, statement kind, statement, refusal] for every write to the organizations mirror. */
export const writesToOrganizationsMirror = [
  ['organizations', 'INSERT', "INSERT INTO organizations (clerk_id, name, clerk_updated_at, created_at, updated_at) VALUES ('org_forged', 'Forged', 1, 1, 1)", organizationsRefusal],
  ['organizations', 'UPDATE', "UPDATE organizations SET name = 'Forged'", organizationsRefusal],
  ['organizations', 'DELETE', 'DELETE FROM organizations', organizationsRefusal],
  [
    'organization_memberships',
    'INSERT',
    `INSERT INTO organization_memberships (clerk_id, clerk_organization_id, clerk_user_id, role, clerk_created_at, clerk_updated_at, created_at, updated_at)
     VALUES ('orgmem_forged', 'org_forged', 'user_forged', 'org:admin', 1, 1, 1, 1)`,
    membershipsRefusal,
  ],
  ['organization_memberships', 'UPDATE', "UPDATE organization_memberships SET role = 'org:admin'", membershipsRefusal],
  ['organization_memberships', 'DELETE', 'DELETE FROM organization_memberships', membershipsRefusal],
] as const;
