/**
 * The service the drill breaks: an HTTP server instrumented with prom-client
 * after Watchpost's application conventions (README, "Scraping your own
 * service"), whose faults the scenarios switch on and off, plus a steady
 * client load so its rates and ratios mean something.
 *
 * It does not export a `service` label: the scrape config sets it from the
 * service's name, and an exported one would be renamed `exported_service`.
 */
import { type Server, createServer } from "node:http";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface ServiceFaults {
  /** Share of API requests answered with 500, spread evenly (every 1/ratio-th request). */
  errorRatio: number;
  /** Extra time each API request takes before it is answered. */
  latencyMs: number;
  /** Whether /healthz answers 200; the blackbox probe reads it. */
  healthy: boolean;
}

export const healthyFaults: ServiceFaults = { errorRatio: 0, latencyMs: 0, healthy: true };

/** The one route the load exercises; the labels the rules aggregate away. */
export const apiRoute = { method: "GET", route: "/api/items" } as const;

/** prom-client's default buckets; they include 0.5, the `le` of the dev stack's 500ms latency SLO. */
export const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class DemoService {
  faults: ServiceFaults = { ...healthyFaults };
  private server?: Server;
  private readonly registry = new Registry();
  private readonly requests: Counter<"method" | "route" | "status_code">;
  private readonly durations: Histogram<"method" | "route" | "status_code">;
  private served = 0;

  /** @param host Address to listen on: loopback, or the Docker bridge's gateway for containers (the e2e). */
  constructor(
    readonly port: number,
    readonly host = "127.0.0.1",
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({ name: "http_requests_total", help: "HTTP requests served", labelNames: ["method", "route", "status_code"], registers });
    this.durations = new Histogram({
      name: "http_request_duration_seconds",
      help: "Time to answer an HTTP request",
      labelNames: ["method", "route", "status_code"],
      buckets: durationBuckets,
      registers,
    });
    // Series exist from the first scrape at 0: a 5xx series born mid-incident would lose its first increase to rate().
    for (const status_code of ["200", "500"]) {
      this.requests.inc({ ...apiRoute, status_code }, 0);
      this.durations.zero({ ...apiRoute, status_code });
    }
    // The rest of the conventions, at quiet values, so dashboards and security rules find their series.
    new Counter({ name: "auth_failures_total", help: "Failed authentications", labelNames: ["reason"], registers }).inc({ reason: "bad_password" }, 0);
    new Gauge({ name: "queue_jobs_waiting", help: "Jobs waiting", labelNames: ["queue"], registers }).set({ queue: "default" }, 0);
    new Counter({ name: "queue_jobs_failed_total", help: "Jobs failed", labelNames: ["queue"], registers }).inc({ queue: "default" }, 0);
    new Gauge({ name: "db_connection_pool_used", help: "Connections in use", registers }).set(1);
    new Gauge({ name: "db_connection_pool_size", help: "Connection pool size", registers }).set(10);
  }

  get running(): boolean {
    return this.server?.listening === true;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.server = createServer((req, res) => void this.handle(req.url ?? "/", res));
    await new Promise<void>((resolve, reject) => {
      this.server?.once("error", reject);
      this.server?.listen(this.port, this.host, resolve);
    });
  }

  /** Stops listening and drops open connections: the service is down. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(url: string, res: import("node:http").ServerResponse): Promise<void> {
    if (url === "/metrics") {
      res.writeHead(200, { "content-type": this.registry.contentType }).end(await this.registry.metrics());
      return;
    }
    if (url === "/healthz") {
      res.writeHead(this.faults.healthy ? 200 : 503).end(this.faults.healthy ? "ok" : "unhealthy");
      return;
    }
    if (url !== apiRoute.route) {
      res.writeHead(404).end();
      return;
    }
    const started = process.hrtime.bigint();
    const { errorRatio, latencyMs } = this.faults;
    this.served += 1;
    const failed = Math.floor(this.served * errorRatio) !== Math.floor((this.served - 1) * errorRatio);
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    const status_code = failed ? "500" : "200";
    res.writeHead(Number(status_code)).end(failed ? "error" : "[]");
    const labels = { ...apiRoute, status_code };
    this.requests.inc(labels);
    this.durations.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
  }
}

/** A steady client: `perSecond` requests to the API route, failures ignored (they are the point). */
export class LoadGenerator {
  private timer?: NodeJS.Timeout;
  sent = 0;

  constructor(
    private readonly url: string,
    private readonly perSecond: number,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.sent += 1;
      fetch(this.url, { signal: AbortSignal.timeout(15_000) })
        .then((res) => res.arrayBuffer())
        .catch(() => undefined);
    }, 1000 / this.perSecond);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
