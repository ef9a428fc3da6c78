/** An error the HTTP layer turns into a response: a status, a stable code and a sentence to act on. */
export class EmulatorRequestError extends Error {
  override name = 'EmulatorRequestError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The input field the problem concerns, for forms. */
    readonly field?: string,
  ) {
    super(message);
  }
}

export class UserNotFoundError extends EmulatorRequestError {
  override name = 'UserNotFoundError';
  constructor(userId: string) {
    super(404, 'resource_not_found', `No user with id ${userId} exists in the Clerk stand-in (it may have been deleted).`);
  }
}

/** Clerk keeps email addresses and usernames unique within an instance. */
export class IdentifierTakenError extends EmulatorRequestError {
  override name = 'IdentifierTakenError';
  constructor(field: 'email_address' | 'username') {
    super(
      409,
      'form_identifier_exists',
      field === 'email_address'
        ? 'That email address is taken by another account. Sign in to that account, or use another address.'
        : 'That username is taken by another account. Please try another.',
      field,
    );
  }
}

export class OrganizationNotFoundError extends EmulatorRequestError {
  override name = 'OrganizationNotFoundError';
  constructor(organizationId: string) {
    super(404, 'resource_not_found', `No organization with id ${organizationId} exists in the Clerk stand-in (it may have been deleted).`);
  }
}

export class MembershipNotFoundError extends EmulatorRequestError {
  override name = 'MembershipNotFoundError';
  constructor(organizationId: string, userId: string) {
    super(404, 'resource_not_found', `User ${userId} is not a member of organization ${organizationId}.`);
  }
}

/** Clerk keeps organization slugs unique within an instance. */
export class SlugTakenError extends EmulatorRequestError {
  override name = 'SlugTakenError';
  constructor() {
    super(409, 'form_identifier_exists', 'That slug is taken by another organization. Please try another.', 'slug');
  }
}

export class AlreadyMemberError extends EmulatorRequestError {
  override name = 'AlreadyMemberError';
  constructor(organizationId: string, userId: string) {
    super(409, 'already_a_member_in_organization', `User ${userId} is already a member of organization ${organizationId}.`, 'user_id');
  }
}

/** As Clerk: an organization keeps at least one admin, so its last admin can be neither removed nor demoted. */
export class LastAdminError extends EmulatorRequestError {
  override name = 'LastAdminError';
  constructor(organizationId: string) {
    super(
      403,
      'organization_minimum_permissions_needed',
      `Organization ${organizationId} must keep at least one member with the admin role: make another member an admin first.`,
      'role',
    );
  }
}
