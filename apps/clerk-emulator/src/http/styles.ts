/** The pages' only stylesheet, served from /assets/stand-in.css (no inline styles: the CSP forbids them). */
export const STAND_IN_CSS = `
:root {
  color-scheme: light;
  --ink: #1c1f24;
  --muted: #5b6472;
  --line: #d9dde3;
  --surface: #ffffff;
  --backdrop: #f3f4f7;
  --accent: #5b3df5;
  --accent-ink: #ffffff;
  --danger: #b42318;
  --danger-soft: #fef3f2;
  --ok-soft: #ecfdf3;
  --focus: #1d4ed8;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  line-height: 1.5;
  color: var(--ink);
  background: var(--backdrop);
}
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: grid; place-items: start center; padding: 3rem 1rem; }
.card {
  width: 100%; max-width: 28rem; background: var(--surface); border: 1px solid var(--line);
  border-radius: 14px; padding: 2rem; box-shadow: 0 8px 24px rgba(16, 24, 40, 0.06);
}
.badge {
  display: inline-block; margin: 0 0 1rem; padding: 0.15rem 0.6rem; border-radius: 999px;
  background: #fff4e5; color: #8a4b00; font-size: 0.75rem; font-weight: 600; letter-spacing: 0.01em;
}
h1 { font-size: 1.375rem; margin: 0 0 0.25rem; }
h2 { font-size: 1rem; margin: 1.75rem 0 0.5rem; }
.lead { color: var(--muted); margin: 0 0 1.5rem; }
a { color: var(--accent); }
form { margin: 0; }
.field { display: grid; gap: 0.3rem; margin-bottom: 1rem; }
label { font-weight: 600; font-size: 0.9rem; }
.hint { color: var(--muted); font-size: 0.8rem; margin: 0; }
input[type="text"], input[type="email"], input[type="url"], input[type="search"] {
  font: inherit; padding: 0.55rem 0.7rem; border: 1px solid var(--line); border-radius: 8px; width: 100%;
  background: var(--surface); color: var(--ink);
}
input[aria-invalid="true"] { border-color: var(--danger); }
.field-error { color: var(--danger); font-size: 0.85rem; margin: 0; }
button, .button {
  font: inherit; font-weight: 600; cursor: pointer; border-radius: 8px; padding: 0.6rem 1rem;
  border: 1px solid var(--accent); background: var(--accent); color: var(--accent-ink); text-decoration: none;
  display: inline-block; text-align: center;
}
button.secondary, .button.secondary { background: var(--surface); color: var(--ink); border-color: var(--line); }
button.danger { background: var(--danger); border-color: var(--danger); }
.actions { display: flex; gap: 0.75rem; align-items: center; flex-wrap: wrap; margin-top: 1.25rem; }
.full { width: 100%; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
input:focus-visible { outline-offset: 0; }
.alert { border-radius: 8px; padding: 0.75rem 1rem; margin: 0 0 1.25rem; background: var(--danger-soft); color: var(--danger); }
.notice { border-radius: 8px; padding: 0.75rem 1rem; margin: 0 0 1.25rem; background: var(--ok-soft); }
.accounts { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.5rem; }
.account {
  width: 100%; display: grid; grid-template-columns: 2.5rem 1fr; gap: 0 0.75rem; align-items: center; text-align: left;
  background: var(--surface); color: var(--ink); border: 1px solid var(--line); padding: 0.6rem 0.75rem; font-weight: 400;
}
.account:hover { border-color: var(--accent); }
.account img, .avatar { width: 2.5rem; height: 2.5rem; border-radius: 50%; object-fit: cover; grid-row: span 2; background: var(--backdrop); }
.avatar.large { width: 4rem; height: 4rem; }
.account .name { font-weight: 600; }
.account .email, .muted { color: var(--muted); font-size: 0.85rem; }
.search { display: flex; gap: 0.5rem; margin-bottom: 1rem; align-items: end; }
.search .field { flex: 1; margin: 0; }
.profile-head { display: flex; gap: 1rem; align-items: center; margin-bottom: 1.25rem; }
.danger-zone { border-top: 1px solid var(--line); margin-top: 2rem; padding-top: 0.5rem; }
.check { display: flex; gap: 0.5rem; align-items: flex-start; font-weight: 400; margin-bottom: 0.75rem; }
.footer { margin-top: 1.5rem; font-size: 0.9rem; color: var(--muted); }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); border: 0; }
code { font-size: 0.85em; background: var(--backdrop); padding: 0.1rem 0.3rem; border-radius: 4px; }
`;
