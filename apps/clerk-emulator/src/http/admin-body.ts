import { z } from 'zod';
import { EmulatorRequestError } from '../errors';

/** Field name → first message; and one sentence naming every problem, for the JSON answer. */
export interface InputProblems {
  byField: Record<string, string>;
  summary: string;
}

/** `accepted`: the fields the body may have, named when it has others. */
export function describeProblems(error: z.ZodError, accepted?: readonly string[]): InputProblems {
  const byField: Record<string, string> = {};
  const sentences: string[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const hint = accepted ? ` (accepted: ${accepted.join(', ')})` : '';
      sentences.push(`unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}${hint}`);
      continue;
    }
    const field = issue.path.length > 0 ? String(issue.path[0]) : '(body)';
    const message = field === '(body)' ? 'the body must be a JSON object' : issue.message;
    byField[field] ??= message;
    sentences.push(field === '(body)' ? message : message.startsWith(field) ? message : `${field}: ${message}`);
  }
  return { byField, summary: sentences.join('; ') };
}

/** The admin API's JSON body, validated by `schema`, or a 400 that names every problem. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? undefined);
  if (result.success) return result.data;
  const accepted = schema instanceof z.ZodObject ? Object.keys(schema.shape) : undefined;
  const { summary, byField } = describeProblems(result.error, accepted);
  const field = Object.keys(byField)[0];
  const hint = body === undefined ? ' Send a JSON object with Content-Type: application/json.' : '';
  throw new EmulatorRequestError(400, 'invalid_request', `Invalid request: ${summary}.${hint}`, field);
}
