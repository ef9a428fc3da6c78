import type { Request } from 'express';
import type { EmulatorPublicConfig, InstanceIdentity } from '../instance';
import type { Logger } from '../logger';
import type { WebhookOutbox } from '../outbox';
import type { ActiveSession, Sessions } from '../sessions';
import type { ChangeContext, UserDirectory } from '../user-directory';

/** Everything the routes need, built once at start. */
export interface EmulatorContext {
  directory: UserDirectory;
  sessions: Sessions;
  outbox: WebhookOutbox;
  identity: InstanceIdentity;
  publicConfig: EmulatorPublicConfig;
  /** The stand-in's base URL, no trailing slash; the tokens' `iss`. */
  publicUrl: string;
  /** SPA origins: CORS allow-list, allowed redirect targets, allowed `azp`. */
  allowedOrigins: readonly string[];
  log: Logger;
  /** Sends given-up webhook messages created at or after `since` (epoch ms) again; returns how many. */
  recoverWebhooks(since: number): number;
  /** Backend API requests allowed per 10 s; null: no limit. */
  bapiRateLimit: number | null;
}

export const SESSION_COOKIE = '__clerk_emulator_session';
export const SESSION_COOKIE_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator === -1) continue;
    if (part.slice(0, separator).trim() === name) {
      try {
        return decodeURIComponent(part.slice(separator + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export function currentSession(ctx: EmulatorContext, req: Request): ActiveSession | undefined {
  return ctx.sessions.findByCookie(readCookie(req, SESSION_COOKIE));
}

export function sessionCookie(token: string): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_COOKIE_MAX_AGE_SECONDS}`;
}

export const CLEARED_SESSION_COOKIE = `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;

export function changeContext(req: Request, verification: ChangeContext['verification']): ChangeContext {
  return {
    clientIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
    userAgent: req.get('user-agent') ?? '',
    verification,
  };
}

/** The origins that count as the stand-in itself: its public URL and the host the request was sent to. */
export function selfOrigins(ctx: EmulatorContext, req: Request): string[] {
  const origins = [new URL(ctx.publicUrl).origin];
  const host = req.get('host');
  if (host) origins.push(`${req.protocol}://${host}`);
  return origins;
}

export type RedirectResolution = { ok: true; url: string } | { ok: false; message: string };

/**
 * `redirect_url` must lead to an allowed SPA origin or back to the stand-in itself: anything
 * else would make the pages an open redirect. Absent, it means the first allowed origin.
 */
export function resolveRedirectUrl(ctx: EmulatorContext, req: Request, raw: unknown): RedirectResolution {
  if (raw === undefined || raw === '') return { ok: true, url: `${ctx.allowedOrigins[0] ?? ctx.publicUrl}/` };
  if (typeof raw !== 'string') return { ok: false, message: 'redirect_url must be given once, as an absolute URL.' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, message: 'redirect_url must be an absolute URL, such as http://localhost:5173/.' };
  }
  const allowed = [...ctx.allowedOrigins, ...selfOrigins(ctx, req)];
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !allowed.includes(url.origin)) {
    return {
      ok: false,
      message: `redirect_url must lead to one of the allowed origins (${ctx.allowedOrigins.join(', ')}); ${url.origin} is not one of them. Add it to ALLOWED_ORIGINS if it is your app.`,
    };
  }
  return { ok: true, url: url.href };
}
