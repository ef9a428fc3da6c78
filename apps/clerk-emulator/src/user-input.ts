import { z } from 'zod';

/**
 * What the admin API and the pages accept for a user. Text is trimmed and an empty value means
 * "none" (null), as when a form field is cleared.
 */
const emptyToNull = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? null : value);

const name = (label: string) =>
  z.preprocess(
    emptyToNull,
    z
      .string({ error: (issue) => (issue.input === undefined ? `${label} is required (text, or null for none)` : `${label} must be text or null`) })
      .trim()
      .max(256, `${label} must be at most 256 characters`)
      .nullable(),
  );

export const emailAddress = z.preprocess(
  (value) => (typeof value === 'string' ? value.trim().toLowerCase() : value),
  z
    .string({ error: 'email_address is required' })
    .min(1, 'email_address is required')
    .max(320, 'email_address must be at most 320 characters')
    .pipe(z.email({ error: 'email_address must be an email address like ada@example.org' })),
);

export const username = z.preprocess(
  emptyToNull,
  z
    .string({ error: 'username must be text or null' })
    .trim()
    .regex(
      /^[A-Za-z0-9_.-]{3,64}$/,
      'username must be 3 to 64 letters, digits, dots, dashes or underscores (or empty for none)',
    )
    .nullable(),
);

const imageUrl = z.preprocess(
  emptyToNull,
  z
    .string({ error: 'image_url must be a URL or null' })
    .max(2048, 'image_url must be at most 2048 characters')
    .refine((value) => {
      try {
        return ['http:', 'https:'].includes(new URL(value).protocol);
      } catch {
        return false;
      }
    }, 'image_url must be an absolute http(s) URL (or empty for the generated initials avatar)')
    .nullable(),
);

/** Clerk's own bounds: at least 8 characters, and bcrypt's 72 bytes at most. */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 72;

export const password = z
  .string({ error: 'password must be text' })
  .min(PASSWORD_MIN_LENGTH, `password must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .refine((value) => Buffer.byteLength(value) <= PASSWORD_MAX_LENGTH, `password must be at most ${PASSWORD_MAX_LENGTH} bytes`);

const userFields = z.strictObject({
  first_name: name('first_name'),
  last_name: name('last_name'),
  email_address: emailAddress,
  username: username.optional(),
  image_url: imageUrl.optional(),
});

/** A new user; `password` (optional) lets the account sign in with a password too. */
export const createUserInput = userFields.extend({ password: password.optional() });

export const updateUserInput = userFields.partial();

/** The profile fields a user may change about themselves (Frontend API `PATCH /v1/me`). */
export const selfUpdateInput = userFields.pick({ first_name: true, last_name: true, username: true }).partial();

export type CreateUserInput = z.infer<typeof createUserInput>;
export type UpdateUserInput = z.infer<typeof updateUserInput>;
/** The user's fields without the password, which the directory stores only as a hash. */
export type UserFields = z.infer<typeof userFields>;
