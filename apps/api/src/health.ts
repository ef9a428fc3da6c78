import { Router } from 'express';
import type { Database } from '@expectations/db';
import type { Logger } from './logger';

/** GET /healthz — 200 when the database answers a query, 503 otherwise. */
export function healthRouter(db: Database, log: Logger): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    try {
      await db.ping();
      res.status(200).json({ status: 'ok' });
    } catch (error) {
      log.error({ err: error }, 'health check: the database did not answer');
      res.status(503).json({ status: 'unavailable', message: 'The database did not answer.' });
    }
  });
  return router;
}
