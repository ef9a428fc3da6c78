import type { Stack } from './stack';

/** The JSON body of a response that must have succeeded; otherwise an error naming the URL, status and body. */
export async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw new Error(`${response.url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** A POST to the Clerk stand-in's admin API (users, sessions, teams for tests). */
export async function adminPost<T>(stack: Stack, path: string, body: unknown): Promise<T> {
  return json<T>(await fetch(`${stack.emulator.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
}
