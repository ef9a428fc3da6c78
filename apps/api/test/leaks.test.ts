import { afterAll, beforeAll, expect, it } from 'vitest';
import { sqlRun } from '@expectations/db/testing';
import { startTrpcApi, type TrpcApi, type TrpcHttpResponse } from './support/trpc-http';

/**
 * Calls every procedure, successes and failures alike, as production runs, and scans all that
 * comes back: no other user's email, no stack trace, no file path, no SQL.
 */
let t: TrpcApi;
const answers: Array<{ what: string; response: TrpcHttpResponse }> = [];
const emails = ['ada.private@example.org', 'grace.private@example.org', 'gone.private@example.org'];

beforeAll(async () => {
  t = await startTrpcApi({ NODE_ENV: 'production' });
  const ada = await t.member({ firstName: 'Ada', email: emails[0] });
  const grace = await t.member({ firstName: 'Grace', email: emails[1] });
  const record = async (what: string, call: Promise<TrpcHttpResponse>) => answers.push({ what, response: await call });

  const created = await t.call('expectations.create', { method: 'POST', token: ada.token, input: { title: 'Ship it', assigneeId: grace.id } });
  answers.push({ what: 'create', response: created });
  const id = (created.body as { result: { data: { id: number } } }).result.data.id;

  await record('ensureExists', t.call('users.ensureExists', { token: ada.token }));
  await record('users.byId', t.call('users.byId', { token: ada.token, input: { id: grace.id } }));
  await record('users.list', t.call('users.list', { token: ada.token, input: { query: 'private' } }));
  await record('users.list all', t.call('users.list', { token: grace.token, input: {} }));
  await record('list', t.call('expectations.list', { token: grace.token }));
  await record('byId', t.call('expectations.byId', { token: grace.token, input: { id } }));
  await record('setStatus', t.call('expectations.setStatus', { method: 'POST', token: ada.token, input: { id, status: 'met' } }));
  // Failures of every kind.
  await record('forbidden', t.call('expectations.setStatus', { method: 'POST', token: grace.token, input: { id, status: 'missed' } }));
  await record('not found', t.call('expectations.byId', { token: ada.token, input: { id: 999_999 } }));
  await record('bad input', t.call('expectations.create', { method: 'POST', token: ada.token, input: { title: '', dueOn: '2025-02-30' } }));
  await record('bad assignee', t.call('expectations.create', { method: 'POST', token: ada.token, input: { title: 'x', assigneeId: 999_999 } }));
  await record('no session', t.call('expectations.list', {}));
  await record('no mirror row', t.call('users.ensureExists', { token: t.token({ sub: 'user_notmirrored' }) }));
  await record('unknown procedure', t.call('users.getCurrentUser', { token: ada.token }));
  await record('malformed JSON', t.call('expectations.create', { method: 'POST', token: ada.token, headers: { 'content-type': 'application/json' }, input: undefined }));

  // An internal failure: the table disappears under a running API.
  await sqlRun(t.api.db, 'ALTER TABLE expectations RENAME TO expectations_gone');
  await record('internal error', t.call('expectations.list', { token: ada.token }));
  await record('internal error (batched)', t.call('expectations.list,users.ensureExists?batch=1', { token: ada.token }));
  await sqlRun(t.api.db, 'ALTER TABLE expectations_gone RENAME TO expectations');
});

afterAll(() => t.stop());

it('exercised successes, client errors and an internal error', () => {
  const statuses = new Set(answers.map(({ response }) => response.status));
  for (const status of [200, 400, 401, 403, 404, 412, 500]) expect(statuses).toContain(status);
});

it('never returns another user’s email, a stack trace, a file path or SQL', () => {
  for (const { what, response } of answers) {
    const text = JSON.stringify(response.body);
    for (const email of emails) expect(text, `${what} leaked an email`).not.toContain(email);
    expect(text, `${what} leaked an email-looking string`).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
    expect(text, `${what} leaked a stack`).not.toMatch(/"stack"|\bat .+\(.+:\d+:\d+\)|\n\s+at /);
    expect(text, `${what} leaked a path`).not.toMatch(/\/work\/|node_modules|\.ts\b|\/src\//);
    expect(text, `${what} leaked SQL`).not.toMatch(/SQLITE|no such table|expectations_gone|\bselect\b.+\bfrom\b/i);
  }
});

it('says something a person can act on when it fails inside', () => {
  const internal = answers.find(({ what }) => what === 'internal error')!.response;
  expect(internal.status).toBe(500);
  expect(JSON.stringify(internal.body)).toMatch(/INTERNAL_SERVER_ERROR/);
});
