import { Router, type Request, type RequestHandler, type Response } from 'express';
import { signSessionToken } from '../session-tokens';
import { currentSession, type EmulatorContext } from './context';

/**
 * The part of Clerk's Frontend API the SPA uses, with credentialed CORS: the signed-in user's
 * profile, and a fresh session token for each API call.
 */
export function frontendApiRouter(ctx: EmulatorContext): Router {
  const router = Router();

  /** Echoes the Origin only when it is an allowed SPA origin; returns whether it was. */
  const allowOrigin = (req: Request, res: Response): boolean => {
    res.vary('Origin');
    const origin = req.get('origin');
    if (origin === undefined || !ctx.allowedOrigins.includes(origin)) return false;
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    return true;
  };

  const preflight: RequestHandler = (req, res) => {
    if (!allowOrigin(req, res)) {
      res.status(403).end();
      return;
    }
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', req.get('access-control-request-headers') ?? 'content-type');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  };
  router.options(['/v1/me', '/v1/tokens'], preflight);

  router.get('/v1/me', (req, res) => {
    allowOrigin(req, res);
    res.setHeader('Cache-Control', 'no-store');
    const session = currentSession(ctx, req);
    const user = session ? ctx.directory.get(session.userId) : undefined;
    res.json({ user: user ?? null });
  });

  router.post('/v1/tokens', (req, res) => {
    const allowed = allowOrigin(req, res);
    res.setHeader('Cache-Control', 'no-store');
    const origin = req.get('origin');
    if (!allowed || origin === undefined) {
      res.status(403).json({
        error: 'origin_not_allowed',
        message: `Session tokens are issued only to the origins in ALLOWED_ORIGINS (${ctx.allowedOrigins.join(', ')}); this request came from ${origin ?? 'no Origin'}.`,
      });
      return;
    }
    const session = currentSession(ctx, req);
    if (!session) {
      res.status(401).json({
        error: 'signed_out',
        message: `No one is signed in to the Clerk stand-in in this browser. Sign in at ${ctx.publicUrl}/sign-in.`,
      });
      return;
    }
    const jwt = signSessionToken(ctx.identity, {
      userId: session.userId,
      sessionId: session.sessionId,
      authorizedParty: origin,
      issuer: ctx.publicUrl,
    });
    res.json({ jwt });
  });

  return router;
}
