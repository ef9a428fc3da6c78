/**
 * The audit could not run (exit 2): a message an operator can act on. It never carries a
 * secret: it names variables, never their values (CLERK_API_URL, which carries none, is shown).
 */
export class AuditCannotRunError extends Error {
  override name = 'AuditCannotRunError';
}
