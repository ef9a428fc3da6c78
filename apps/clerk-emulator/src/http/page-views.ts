import type { ClerkUserJson } from '../clerk-json';
import { displayNameOf, primaryEmailOf } from '../clerk-json';
import { html, page, SafeHtml } from './html';

export type FormValues = Partial<Record<string, string>>;
export type FormErrors = Partial<Record<string, string>>;

const attr = (condition: boolean, text: string) => (condition ? new SafeHtml(` ${text}`) : '');

export const withRedirect = (path: string, redirectUrl: string) => `${path}?redirect_url=${encodeURIComponent(redirectUrl)}`;

const hiddenRedirect = (redirectUrl: string) => html`<input type="hidden" name="redirect_url" value="${redirectUrl}">`;

interface FieldOptions {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'url';
  value: string;
  error?: string;
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  autofocus?: boolean;
}

function field(options: FieldOptions): SafeHtml {
  const hintId = `${options.name}-hint`;
  const errorId = `${options.name}-error`;
  const describedBy = [options.hint ? hintId : '', options.error ? errorId : ''].filter(Boolean).join(' ');
  return html`<div class="field">
<label for="${options.name}">${options.label}${options.required ? '' : html` <span class="muted">(optional)</span>`}</label>
${options.hint ? html`<p class="hint" id="${hintId}">${options.hint}</p>` : ''}
<input id="${options.name}" name="${options.name}" type="${options.type ?? 'text'}" value="${options.value}"${attr(
    options.required === true,
    'required',
  )}${options.autocomplete ? html` autocomplete="${options.autocomplete}"` : ''}${attr(options.error !== undefined, 'aria-invalid="true"')}${
    describedBy ? html` aria-describedby="${describedBy}"` : ''
  }${attr(options.autofocus === true, 'autofocus')}>
${options.error ? html`<p class="field-error" id="${errorId}">${options.error}</p>` : ''}
</div>`;
}

const alert = (message: string | undefined) => (message ? html`<div class="alert" role="alert">${message}</div>` : '');

/** The field to focus after a failed submit: the first one in error. */
const firstInvalid = (errors: FormErrors, order: string[]) => order.find((name) => errors[name] !== undefined);

export interface SignInView {
  users: ClerkUserJson[];
  /** The most accounts listed at once. */
  limit: number;
  query: string;
  redirectUrl: string;
  signedInAs?: ClerkUserJson;
  error?: string;
}

export function signInPage(view: SignInView): string {
  const accounts =
    view.users.length === 0
      ? html`<p class="muted">${view.query ? 'No account matches that search.' : 'No accounts yet. Create the first one below.'}</p>`
      : html`<form method="post" action="/sign-in">
${hiddenRedirect(view.redirectUrl)}
<ul class="accounts" aria-label="Accounts">
${view.users.map(
  (user) => html`<li><button type="submit" name="user_id" value="${user.id}" class="account">
<img src="${user.image_url}" alt="" width="40" height="40">
<span class="name">${displayNameOf(user)}</span>
<span class="email">${primaryEmailOf(user) ?? user.username ?? user.id}</span>
</button></li>`,
)}
</ul>
</form>
${view.users.length >= view.limit ? html`<p class="hint">Showing the ${view.limit} newest matching accounts; search to find others.</p>` : ''}`;
  return page({
    title: 'Sign in',
    body: html`<h1 id="page-title">Sign in</h1>
<p class="lead">Pick an account to continue. In development there is no password.</p>
${alert(view.error)}
${
  view.signedInAs
    ? html`<div class="notice">You are signed in as <strong>${displayNameOf(view.signedInAs)}</strong>.
<a href="${view.redirectUrl}">Continue to the app</a>, or pick another account to switch.</div>`
    : ''
}
<form method="get" action="/sign-in" class="search" role="search">
${hiddenRedirect(view.redirectUrl)}
<div class="field"><label for="q">Find an account</label>
<input id="q" name="q" type="search" value="${view.query}" placeholder="Name, email or username"></div>
<button type="submit" class="secondary">Search</button>
</form>
${accounts}
<p class="footer">No account yet? <a href="${withRedirect('/sign-up', view.redirectUrl)}">Create one</a></p>`,
  });
}

export interface SignUpView {
  values: FormValues;
  errors: FormErrors;
  redirectUrl: string;
  formError?: string;
}

export function signUpPage(view: SignUpView): string {
  const focus = firstInvalid(view.errors, ['first_name', 'last_name', 'email_address']) ?? (view.formError ? undefined : 'first_name');
  return page({
    title: 'Create your account',
    body: html`<h1 id="page-title">Create your account</h1>
<p class="lead">You will be signed in right away. In development there is no password.</p>
${alert(view.formError ?? (Object.keys(view.errors).length > 0 ? 'Please correct the fields marked below.' : undefined))}
<form method="post" action="/sign-up" novalidate>
${hiddenRedirect(view.redirectUrl)}
${field({ name: 'first_name', label: 'First name', value: view.values.first_name ?? '', error: view.errors.first_name, required: true, autocomplete: 'given-name', autofocus: focus === 'first_name' })}
${field({ name: 'last_name', label: 'Last name', value: view.values.last_name ?? '', error: view.errors.last_name, required: true, autocomplete: 'family-name', autofocus: focus === 'last_name' })}
${field({ name: 'email_address', label: 'Email address', type: 'email', value: view.values.email_address ?? '', error: view.errors.email_address, required: true, autocomplete: 'email', autofocus: focus === 'email_address' })}
<button type="submit" class="full">Create account and sign in</button>
</form>
<p class="footer">Already have an account? <a href="${withRedirect('/sign-in', view.redirectUrl)}">Sign in</a></p>`,
  });
}

export interface ProfileView {
  user: ClerkUserJson;
  redirectUrl: string;
  values?: FormValues;
  errors?: FormErrors;
  formError?: string;
  deleteError?: string;
}

export function profilePage(view: ProfileView): string {
  const { user } = view;
  const errors = view.errors ?? {};
  const values: FormValues = view.values ?? {
    first_name: user.first_name ?? '',
    last_name: user.last_name ?? '',
    username: user.username ?? '',
    image_url: user.has_image ? user.image_url : '',
    email_address: primaryEmailOf(user) ?? '',
  };
  const focus = firstInvalid(errors, ['first_name', 'last_name', 'username', 'image_url', 'email_address']);
  return page({
    title: 'Your profile',
    body: html`<h1 id="page-title">Your profile</h1>
<p class="lead">Changes reach the app through a <code>user.updated</code> webhook, as with Clerk.</p>
<div class="profile-head">
<img class="avatar large" src="${user.image_url}" alt="Your current avatar" width="64" height="64">
<div><strong>${displayNameOf(user)}</strong><br><span class="muted">${primaryEmailOf(user) ?? ''}</span></div>
</div>
${alert(view.formError ?? (Object.keys(errors).length > 0 ? 'Please correct the fields marked below.' : undefined))}
<form method="post" action="/user" novalidate>
${hiddenRedirect(view.redirectUrl)}
<input type="hidden" name="_action" value="save">
${field({ name: 'first_name', label: 'First name', value: values.first_name ?? '', error: errors.first_name, autocomplete: 'given-name', autofocus: focus === 'first_name' })}
${field({ name: 'last_name', label: 'Last name', value: values.last_name ?? '', error: errors.last_name, autocomplete: 'family-name', autofocus: focus === 'last_name' })}
${field({ name: 'username', label: 'Username', value: values.username ?? '', error: errors.username, autocomplete: 'username', hint: '3 to 64 letters, digits, dots, dashes or underscores.', autofocus: focus === 'username' })}
${field({ name: 'image_url', label: 'Avatar URL', type: 'url', value: values.image_url ?? '', error: errors.image_url, hint: 'Leave empty to use generated initials.', autofocus: focus === 'image_url' })}
${field({ name: 'email_address', label: 'Primary email address', type: 'email', value: values.email_address ?? '', error: errors.email_address, required: true, autocomplete: 'email', autofocus: focus === 'email_address' })}
<div class="actions">
<button type="submit">Save changes</button>
<a class="button secondary" href="${view.redirectUrl}">Cancel</a>
</div>
</form>
<section class="danger-zone" aria-labelledby="delete-title">
<h2 id="delete-title">Delete account</h2>
<p class="muted">This removes your account for good. Your expectations stay, shown as written by “Deleted user”.</p>
${alert(view.deleteError)}
<form method="post" action="/user">
${hiddenRedirect(view.redirectUrl)}
<input type="hidden" name="_action" value="delete">
<label class="check"><input type="checkbox" name="confirm_delete" value="yes" required> I understand that my account will be deleted</label>
<button type="submit" class="danger">Delete my account</button>
</form>
</section>
<p class="footer"><a href="${withRedirect('/sign-out', view.redirectUrl)}">Sign out</a></p>`,
  });
}

export function signOutPage(user: ClerkUserJson, redirectUrl: string): string {
  return page({
    title: 'Sign out',
    body: html`<h1 id="page-title">Sign out</h1>
<p class="lead">You are signed in as <strong>${displayNameOf(user)}</strong>.</p>
<form method="post" action="/sign-out">
${hiddenRedirect(redirectUrl)}
<div class="actions">
<button type="submit" autofocus>Sign out</button>
<a class="button secondary" href="${redirectUrl}">Cancel</a>
</div>
</form>`,
  });
}

export function problemPage(title: string, message: string): string {
  return page({
    title,
    body: html`<h1 id="page-title">${title}</h1>
<div class="alert" role="alert">${message}</div>`,
  });
}
