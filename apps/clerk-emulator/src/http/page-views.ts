import type { ClerkUserJson } from '../clerk-json';
import { displayNameOf, primaryEmailOf } from '../clerk-json';
import { EMAIL_CODE } from '../frontend-api/flows';
import type { WebhookStats } from '../outbox';
import { html, page } from './html';

export interface DeveloperView {
  appOrigins: readonly string[];
  users: ClerkUserJson[];
  webhooks: WebhookStats;
  /** The most users listed at once. */
  limit: number;
}

/**
 * `GET /`: what a developer who opens the stand-in itself needs to know. Signing in happens in
 * the app, through Clerk's own components; this page only shows the stand-in's state.
 */
export function developerPage(view: DeveloperView): string {
  return page({
    title: 'Local Clerk stand-in',
    body: html`<h1 id="page-title">Local Clerk stand-in</h1>
<p class="lead">Sign up, sign in and edit profiles in the app: <a href="${view.appOrigins[0] ?? '/'}">${view.appOrigins[0] ?? ''}</a>.
Every email code is <strong>${EMAIL_CODE}</strong>.</p>
<h2>Webhooks</h2>
<p>${view.webhooks.pending} pending, ${view.webhooks.delivered} delivered, ${view.webhooks.failed} failed attempts.</p>
<h2>Users</h2>
${
  view.users.length === 0
    ? html`<p class="muted">No users yet.</p>`
    : html`<ul class="accounts" aria-label="Users">
${view.users.map(
  (user) => html`<li class="account"><img src="${user.image_url}" alt="" width="40" height="40">
<span class="name">${displayNameOf(user)}</span>
<span class="email">${primaryEmailOf(user) ?? user.username ?? ''} · ${user.id}</span></li>`,
)}
</ul>
${view.users.length >= view.limit ? html`<p class="hint">The ${view.limit} newest users; GET /admin/users lists them all.</p>` : ''}`
}
<p class="footer">Admin API: <code>/admin/config</code>, <code>/admin/users</code>, <code>/admin/organizations</code>, <code>/admin/sessions</code>, <code>/admin/webhooks</code>.</p>`,
  });
}

export function problemPage(title: string, message: string): string {
  return page({
    title,
    body: html`<h1 id="page-title">${title}</h1>
<div class="alert" role="alert">${message}</div>`,
  });
}
