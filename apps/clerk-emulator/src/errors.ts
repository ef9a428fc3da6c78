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
