/**
 * An error in the shape of Clerk's Frontend API: `{ errors: [{ code, message, long_message,
 * meta: { param_name } }] }`. Clerk's components show `long_message` beside the field that
 * `param_name` names, so the messages here are Clerk's own where Clerk has one.
 */
export class FrontendApiError extends Error {
  override name = 'FrontendApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly longMessage: string = message,
    readonly paramName?: string,
  ) {
    super(message);
  }

  toJSON() {
    return {
      errors: [{ code: this.code, message: this.message, long_message: this.longMessage, meta: this.paramName ? { param_name: this.paramName } : {} }],
    };
  }
}

export const identifierNotFound = () =>
  new FrontendApiError(422, 'form_identifier_not_found', "Couldn't find your account.", "Couldn't find your account.", 'identifier');

export const passwordIncorrect = () =>
  new FrontendApiError(422, 'form_password_incorrect', 'Password is incorrect. Try again, or use another method.', undefined, 'password');

export const codeIncorrect = () => new FrontendApiError(422, 'form_code_incorrect', 'Incorrect code', undefined, 'code');

export const identifierTaken = (param: 'email_address' | 'username') =>
  new FrontendApiError(
    422,
    'form_identifier_exists',
    param === 'email_address' ? 'That email address is taken. Please try another.' : 'That username is taken. Please try another.',
    undefined,
    param,
  );

export const invalidParam = (param: string, message: string) => new FrontendApiError(422, 'form_param_format_invalid', message, message, param);

export const missingParam = (param: string) =>
  new FrontendApiError(422, 'form_param_missing', `Enter ${param.replace(/_/g, ' ')}.`, `${param} must be included.`, param);

export const notFound = (what: string) => new FrontendApiError(404, 'resource_not_found', `No ${what} was found.`);

/** The verification to attempt was never prepared, or the sign-in/up moved on. */
export const verificationNotPrepared = () =>
  new FrontendApiError(400, 'verification_missing', 'Request a code first.', 'There is no code to check: ask for one first (prepare the verification).');

/** 401 makes clerk-js reload its client and show the browser as signed out, as with Clerk. */
export const signedOut = () => new FrontendApiError(401, 'signed_out', 'Signed out', 'You are signed out.');
