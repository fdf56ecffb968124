/**
 * A stand-in for the dev stack's `api` service: a loopback HTTP server that
 * exposes the application metric conventions (README, "Scraping your own
 * service") with prom-client and answers /healthz, generating a little traffic
 * of its own so rates and the recording rules built on them have data.
 */
import { createServer, type Server } from "node:http";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface ApiStandin {
  url: string;
  port: number;
  registry: Registry;
  stop(): Promise<void>;
}

export async function startApiStandin(port: number, trafficEveryMs = 100): Promise<ApiStandin> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({ name: "http_requests_total", help: "HTTP requests", labelNames: ["method", "route", "status_code"], registers: [registry] });
  const duration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request duration",
    labelNames: ["method", "route", "status_code"],
    // 0.5 is the dev stack's latency SLO threshold: the SLI reads that bucket.
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const authFailures = new Counter({ name: "auth_failures_total", help: "Authentication failures", labelNames: ["reason"], registers: [registry] });
  const waiting = new Gauge({ name: "queue_jobs_waiting", help: "Jobs waiting", labelNames: ["queue"], registers: [registry] });
  const failed = new Counter({ name: "queue_jobs_failed_total", help: "Jobs failed", labelNames: ["queue"], registers: [registry] });
  const poolUsed = new Gauge({ name: "db_connection_pool_used", help: "Connections in use", registers: [registry] });
  const poolSize = new Gauge({ name: "db_connection_pool_size", help: "Pool size", registers: [registry] });
  poolSize.set(20);

  let tick = 0;
  const traffic = setInterval(() => {
    tick++;
    const code = tick % 50 === 0 ? "500" : "200";
    requests.inc({ method: "GET", route: "/orders", status_code: code });
    duration.observe({ method: "GET", route: "/orders", status_code: code }, tick % 10 === 0 ? 0.7 : 0.04);
    if (tick % 20 === 0) authFailures.inc({ reason: "bad_password" });
    waiting.set({ queue: "emails" }, tick % 7);
    if (tick % 30 === 0) failed.inc({ queue: "emails" });
    poolUsed.set(3 + (tick % 5));
  }, trafficEveryMs);

  const server: Server = createServer(async (req, res) => {
    if (req.url === "/metrics") {
      res.writeHead(200, { "content-type": registry.contentType });
      res.end(await registry.metrics());
    } else if (req.url === "/healthz") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("ok\n");
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    registry,
    stop: async () => {
      clearInterval(traffic);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
