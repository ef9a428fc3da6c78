import { performance } from 'node:perf_hooks';
import express, { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import { Webhook, WebhookVerificationError } from 'svix';
import type { Database } from '@expectations/db';
import { applyClerkEvent, type ClerkEvent } from '@expectations/db/mirror-writer';
import type { Logger } from '../logger';
import { webhookTypeLabel, type WebhookMetrics, type WebhookTypeLabel } from '../metrics/api-metrics';
import { parseClerkEvent } from './clerk-event-schema';

/** Clerk user payloads are a few KiB; metadata can add up to tens. Anything larger is refused. */
export const WEBHOOK_BODY_LIMIT_BYTES = 256 * 1024;

export interface ClerkWebhookOptions {
  db: Database;
  log: Logger;
  signingSecret: string;
  /** Counts deliveries by event type and outcome and times their transactions. */
  metrics?: WebhookMetrics;
}

/**
 * POST /api/webhooks/clerk — the only path by which the mirror (users, organizations and their
 * memberships) changes.
 * Order matters: raw bytes, then the Svix signature over exactly those bytes, then JSON, then
 * Clerk's shape, then one transaction. 2xx is sent only after that transaction committed, so
 * Svix retries anything we did not durably apply.
 */
export function clerkWebhookRouter({ db, log, signingSecret, metrics }: ClerkWebhookOptions): Router {
  const verifier = new Webhook(signingSecret);
  const router = Router();

  router.post(
    '/api/webhooks/clerk',
    express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT_BYTES }),
    async (req: Request, res: Response) => {
      const svixId = req.header('svix-id');
      // Until the signature holds, the body's type is anyone's word: 'unknown'.
      const refuse = (status: number, error: string, message: string, type: WebhookTypeLabel = 'unknown') => {
        log.warn({ svixId, status, error }, `clerk webhook refused: ${message}`);
        metrics?.delivery(type, 'refused');
        res.status(status).json({ error, message });
      };

      const body: unknown = req.body;
      if (!Buffer.isBuffer(body)) return refuse(400, 'missing_body', 'The request has no body.');
      const timestamp = req.header('svix-timestamp');
      const signature = req.header('svix-signature');
      if (!svixId || !timestamp || !signature) {
        return refuse(400, 'missing_svix_headers', 'svix-id, svix-timestamp and svix-signature headers are required.');
      }

      try {
        verifier.verify(body, { 'svix-id': svixId, 'svix-timestamp': timestamp, 'svix-signature': signature });
      } catch (error) {
        const reason = error instanceof WebhookVerificationError ? error.message : 'verification failed';
        return refuse(400, 'invalid_signature', `Svix signature verification failed: ${reason}.`);
      }

      let payload: unknown;
      try {
        payload = JSON.parse(body.toString('utf8'));
      } catch {
        return refuse(400, 'invalid_json', 'The body is not valid JSON.');
      }

      const receivedAt = Date.now();
      const parsed = parseClerkEvent(payload, receivedAt);
      if (!parsed.success) {
        const where = parsed.error.issues
          .slice(0, 5)
          .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
          .join('; ');
        const claimedType = typeof payload === 'object' && payload !== null ? (payload as { type?: unknown }).type : undefined;
        return refuse(400, 'invalid_payload', `The body is not a Clerk event of the expected shape (${where}).`, webhookTypeLabel(claimedType));
      }

      const { event } = parsed;
      const type = event.type === 'other' ? event.originalType : event.type;
      const applyStart = performance.now();
      const result = await applyClerkEvent(db, { svixId, event, receivedAt });
      metrics?.delivery(webhookTypeLabel(type), result.outcome, (performance.now() - applyStart) / 1000);
      log.info({ svixId, type, ...loggedClerkIds(event), outcome: result.outcome, userId: result.userId }, 'clerk webhook applied');
      res.status(200).json({ ok: true, outcome: result.outcome });
    },
  );

  // The body parser's refusals (too large, unreadable) never reach the handler above, yet they are
  // refused deliveries all the same. The app's error handler still writes the answer; an error
  // without a 4xx status (the database failing, say) is no refusal and is left to it uncounted.
  const countParserRefusals: ErrorRequestHandler = (error: { status?: unknown }, _req, _res, next) => {
    if (typeof error.status === 'number' && error.status >= 400 && error.status < 500) metrics?.delivery('unknown', 'refused');
    next(error);
  };
  router.use('/api/webhooks/clerk', countParserRefusals);

  return router;
}

/** The Clerk ids a delivery is searched by in the log (never personal data). */
function loggedClerkIds(event: ClerkEvent): { clerkUserId?: string | null; clerkOrganizationId?: string } {
  switch (event.type) {
    case 'other':
      return { clerkUserId: event.clerkUserId };
    case 'user.created':
    case 'user.updated':
    case 'user.deleted':
      return { clerkUserId: event.data.id };
    case 'organization.created':
    case 'organization.updated':
    case 'organization.deleted':
      return { clerkOrganizationId: event.data.id };
    default:
      return { clerkUserId: event.data.public_user_data.user_id, clerkOrganizationId: event.data.organization.id };
  }
}
