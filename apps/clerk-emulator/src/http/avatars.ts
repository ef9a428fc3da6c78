import { createHash } from 'node:crypto';
import { Router } from 'express';
import type { ClerkUserJson } from '../clerk-json';
import { primaryEmailOf } from '../clerk-json';
import { CLERK_USER_ID_PATTERN } from '../clerk-ids';
import type { EmulatorContext } from './context';
import { escapeHtml } from './html';

/** Up to two initials, from the names, else the username, else the email address. */
export function initialsOf(user: ClerkUserJson): string {
  const first = (text: string | null | undefined) => (text ? (Array.from(text.trim())[0] ?? '') : '');
  const fromNames = first(user.first_name) + first(user.last_name);
  const initials = fromNames || first(user.username) || first(primaryEmailOf(user)) || '?';
  return initials.toLocaleUpperCase('en');
}

export function avatarSvg(user: ClerkUserJson): string {
  const hue = createHash('sha256').update(user.id).digest().readUInt16BE(0) % 360;
  const initials = escapeHtml(initialsOf(user));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128" role="img" aria-label="${initials}">
<circle cx="64" cy="64" r="64" fill="hsl(${hue}, 55%, 38%)"/>
<text x="64" y="64" dy="0.35em" text-anchor="middle" font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-size="52" font-weight="600" fill="#ffffff">${initials}</text>
</svg>
`;
}

/**
 * GET /avatars/:userId.svg — the generated default `image_url`: initials on a colored circle,
 * so the app shows real pictures with no internet; and GET /images/:id, the uploaded ones.
 */
export function avatarRouter(ctx: EmulatorContext): Router {
  const router = Router();
  router.get('/avatars/:file', (req, res) => {
    const userId = req.params.file.endsWith('.svg') ? req.params.file.slice(0, -'.svg'.length) : '';
    const user = CLERK_USER_ID_PATTERN.test(userId) ? ctx.directory.get(userId) : undefined;
    if (!user) {
      res.status(404).type('text/plain').send('No such user.');
      return;
    }
    res.setHeader('Content-Type', 'image/svg+xml; charset=utf-8');
    // Initials change with the name while the URL stays: revalidate every time.
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    // Clerk's components load avatars with crossorigin="anonymous".
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    res.send(avatarSvg(user));
  });
  // Pictures uploaded in <UserProfile/>: new uploads get new ids, so they never change.
  router.get('/images/:id', (req, res) => {
    const image = ctx.images.get(req.params.id);
    if (!image) {
      res.status(404).type('text/plain').send('No such image.');
      return;
    }
    res.setHeader('Content-Type', image.contentType);
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Content-Security-Policy', "default-src 'none'");
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(image.bytes);
  });
  return router;
}
