import type { TRPCDefaultErrorShape, TRPCError } from '@trpc/server';
import type { Context } from './context';
import { ZodError } from 'zod';

/** One problem with a procedure's input, in a shape a form can show next to its field. */
export interface InputIssue {
  /** Where in the input, e.g. `["title"]`; empty for the input as a whole. */
  path: Array<string | number>;
  code: string;
  message: string;
}

export const INTERNAL_ERROR_MESSAGE = 'Something went wrong on our side; it was logged. Please try again.';

/**
 * The error body every client sees. BAD_REQUEST caused by input validation carries the zod
 * issues (`data.issues`) and a one-line summary as its message. An internal error's own message
 * and stack, which may name SQL, files or data, are replaced unless the context says this is
 * local development (a 4xx's stack says nothing the message does not, so it is never sent).
 */
export function formatError({ shape, error, ctx }: { shape: TRPCDefaultErrorShape; error: TRPCError; ctx?: Context | undefined }) {
  const production = ctx?.exposeInternalErrors !== true;
  const issues = error.cause instanceof ZodError ? error.cause.issues.map(toInputIssue) : null;
  const { stack, ...data } = shape.data;
  const internal = error.code === 'INTERNAL_SERVER_ERROR';

  let message = shape.message;
  if (issues) message = summarize(issues);
  else if (production && internal) message = INTERNAL_ERROR_MESSAGE;

  return {
    ...shape,
    message,
    data: { ...data, ...(internal && !production && stack !== undefined ? { stack } : {}), issues },
  };
}

function toInputIssue(issue: ZodError['issues'][number]): InputIssue {
  return {
    path: issue.path.map((part) => (typeof part === 'number' ? part : String(part))),
    code: issue.code,
    message: issue.message,
  };
}

function summarize(issues: InputIssue[]): string {
  const parts = issues.slice(0, 5).map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message));
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  return `Invalid input: ${parts.join('; ')}${more}`;
}
