import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** An HTTP route the bot serves on `PORT` beside Slack's: the same shape as Bolt's custom routes. */
export interface Route {
  path: string;
  method: string[];
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

/** `/healthz`: 200 while the bot can do its work, 503 otherwise; the body says why, as JSON. */
export function healthRoute(health: () => { healthy: boolean } & Record<string, unknown>): Route {
  return {
    path: '/healthz',
    method: ['GET'],
    handler: (_req, res) => {
      const body = health();
      res.writeHead(body.healthy ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    },
  };
}

/** `/metrics` in Prometheus text format. */
export function metricsRoute(metrics: { scrape: () => Promise<string>; contentType: string }): Route {
  return {
    path: '/metrics',
    method: ['GET'],
    handler: (_req, res) => {
      metrics
        .scrape()
        .then((text) => {
          res.writeHead(200, { 'content-type': metrics.contentType });
          res.end(text);
        })
        .catch(() => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end('metrics unavailable\n');
        });
    },
  };
}

/**
 * Serves routes on `port` (Socket Mode has no HTTP server of its own that we
 * could trust: Bolt's does not await `listen()` nor handle its errors).
 * Resolves once listening; rejects with the listen error, e.g. a port in use.
 */
export function serveRoutes(port: number, routes: readonly Route[]): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = routes.find((r) => r.path === path && r.method.includes(req.method ?? 'GET'));
    if (route === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found\n');
      return;
    }
    route.handler(req, res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
