/** Dashboard contexts the tests build from: everything on, everything off, and one-change mutations. */
import type { DashboardContext } from "../../dashboards/index";

/** Every exporter and backend on, two services with SLOs: the widest set of panels and queries. */
export function fullContext(): DashboardContext {
  return {
    environment: "prod",
    services: [
      {
        name: "checkout",
        slos: [
          { name: "availability", type: "availability", objective: 99.9 },
          { name: "latency", type: "latency", objective: 99 },
        ],
      },
      { name: "search", slos: [{ name: "availability", type: "availability", objective: 99.5 }] },
      { name: "worker", slos: [] },
    ],
    exporters: { postgres: true, redis: true, rabbitmq: true, nginx: true, elasticsearch: true, mysql: true },
    logging: "loki",
    tracing: "tempo",
  };
}

/** Nothing optional: no exporters, no logs, no traces, no SLOs. */
export function bareContext(): DashboardContext {
  return {
    environment: "dev",
    services: [{ name: "api", slos: [] }],
    exporters: { postgres: false, redis: false, rabbitmq: false, nginx: false, elasticsearch: false, mysql: false },
    logging: "none",
    tracing: "none",
  };
}

export function withContext(patch: Partial<DashboardContext>): DashboardContext {
  return { ...fullContext(), ...patch };
}

export function withExporter(name: keyof DashboardContext["exporters"], on: boolean): DashboardContext {
  const ctx = fullContext();
  return { ...ctx, exporters: { ...ctx.exporters, [name]: on } };
}
