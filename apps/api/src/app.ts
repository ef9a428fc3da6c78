import type { RequestListener } from 'node:http';
import express, { type ErrorRequestHandler } from 'express';
import { createMirrorAuditQueries, createMutationLimiter, createQueries, type Database } from '@expectations/db';
import type { Config } from './config';
import type { LiveFeed } from './feed/live-feed';
import { healthRouter } from './health';
import type { Logger } from './logger';
import { ApiMetrics } from './metrics/api-metrics';
import { metricsRouter } from './metrics/metrics-route';
import { instrumentTrpc } from './metrics/trpc-requests';
import { securityHeaders } from './security-headers';
import { TRPC_PREFIX, trpcHandler } from './trpc-handler';
import { clerkWebhookRouter } from './webhooks/clerk-webhook-route';
import type { WebhookEventsRetention } from './webhooks/webhook-events-retention';

/** The body of every 500 outside tRPC: what went wrong is in the log, never in the answer. */
const INTERNAL_ERROR_BODY = JSON.stringify({ error: 'internal_error', message: 'Something went wrong on our side; it was logged.' });

export interface AppDependencies {
  config: Config;
  db: Database;
  log: Logger;
  /** When given, /metrics counts the rows it prunes. */
  webhookEventsRetention?: WebhookEventsRetention;
  /** The live feed that feed.changes streams; without it that procedure answers an internal error. */
  liveFeed?: LiveFeed;
}

/**
 * The API's request listener: `/trpc/*` (the read path) goes straight to its frameworkless
 * handler; the webhook, the health check and everything else go through Express.
 */
export function createApp({ config, db, log, webhookEventsRetention, liveFeed }: AppDependencies): RequestListener {
  const metrics = config.METRICS === 'on' ? new ApiMetrics({ queries: createMirrorAuditQueries(db), log, processMetrics: true }) : undefined;
  if (metrics) webhookEventsRetention?.onPruned((count) => metrics.webhookEventsPruned(count));
  // On PostgreSQL the limiter's buckets are in the database, shared by every replica.
  const mutationLimiter = createMutationLimiter(db, { perMinute: config.MUTATION_RATE_LIMIT_PER_MINUTE });
  const handler = trpcHandler({ config, queries: createQueries(db), mutationLimiter, log, liveFeed });
  const trpc = metrics ? instrumentTrpc(handler, metrics, TRPC_PREFIX) : handler;
  const app = expressApp({ config, db, log }, metrics);
  return (req, res) => {
    if (req.url?.startsWith(TRPC_PREFIX)) {
      trpc(req, res).catch((error: unknown) => {
        log.error({ err: error, path: req.url?.split('?')[0] }, 'request failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(INTERNAL_ERROR_BODY);
      });
      return;
    }
    app(req, res);
  };
}

function expressApp({ config, db, log }: AppDependencies, metrics: ApiMetrics | undefined) {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(securityHeaders);

  // No global body parser: the webhook needs its raw bytes for the signature.
  app.use(clerkWebhookRouter({ db, log, signingSecret: config.CLERK_WEBHOOK_SIGNING_SECRET, metrics }));
  app.use(healthRouter(db, log));
  if (metrics) app.use(metricsRouter(metrics, log));

  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', message: 'No such route.' });
  });
  app.use(errorHandler(log));
  return app;
}

function errorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const status = httpStatusOf(error);
    if (status === 413) {
      log.warn({ path: req.path, status }, 'request refused: body too large');
      res.status(413).json({ error: 'payload_too_large', message: 'The request body is larger than this route accepts.' });
      return;
    }
    if (status >= 400 && status < 500) {
      log.warn({ path: req.path, status }, 'request refused: unreadable body');
      res.status(status).json({ error: 'bad_request', message: 'The request body could not be read.' });
      return;
    }
    log.error({ err: error, path: req.path }, 'request failed');
    if (res.headersSent) return;
    res.status(500).type('application/json').send(INTERNAL_ERROR_BODY);
  };
}

function httpStatusOf(error: unknown): number {
  if (typeof error === 'object' && error !== null) {
    const status = (error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 600) return status;
  }
  return 500;
}
