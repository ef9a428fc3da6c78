/** The developer page's only stylesheet, served from /assets/stand-in.css (no inline styles: the CSP forbids them). */
export const STAND_IN_CSS = `
:root {
  color-scheme: light;
  --ink: #1c1f24;
  --muted: #5b6472;
  --line: #d9dde3;
  --surface: #ffffff;
  --backdrop: #f3f4f7;
  --accent: #5b3df5;
  --danger: #b42318;
  --danger-soft: #fef3f2;
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
.hint { color: var(--muted); font-size: 0.8rem; margin: 0.5rem 0 0; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.alert { border-radius: 8px; padding: 0.75rem 1rem; margin: 0 0 1.25rem; background: var(--danger-soft); color: var(--danger); }
.accounts { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.5rem; }
.account {
  display: grid; grid-template-columns: 2.5rem 1fr; gap: 0 0.75rem; align-items: center;
  border: 1px solid var(--line); border-radius: 8px; padding: 0.6rem 0.75rem;
}
.account img { width: 2.5rem; height: 2.5rem; border-radius: 50%; object-fit: cover; grid-row: span 2; background: var(--backdrop); }
.account .name { font-weight: 600; }
.account .email, .muted { color: var(--muted); font-size: 0.85rem; }
.footer { margin-top: 1.5rem; font-size: 0.9rem; color: var(--muted); }
code { font-size: 0.85em; background: var(--backdrop); padding: 0.1rem 0.3rem; border-radius: 4px; }
`;
