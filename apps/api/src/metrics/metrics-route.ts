import { Router } from 'express';
import type { Logger } from '../logger';
import type { ApiMetrics } from './api-metrics';

/** GET /metrics — Prometheus text format. It carries counts and timings only, no personal data. */
export function metricsRouter(metrics: ApiMetrics, log: Logger): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    try {
      const { contentType, body } = await metrics.render();
      res.setHeader('Cache-Control', 'no-store');
      res.type(contentType).send(body);
    } catch (error) {
      log.error({ err: error }, 'metrics: the scrape failed');
      res.status(503).type('text/plain').send('The metrics could not be collected; see the API log.\n');
    }
  });
  return router;
}
