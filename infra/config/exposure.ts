/**
 * What a Docker stack publishes beyond loopback. `docker.bindAddress` is a plain
 * setting, but anything other than a 127.x address puts services without any
 * authentication of their own on the network; the warning says which, on which
 * ports, what anyone reaching them can do, and how to avoid it. Pure.
 */
import { ports } from "../../model/conventions";
import type { StackConfig } from "./schema";

const key = "watchpost:docker.bindAddress";

/** A host port Docker publishes for this stack, before `docker.portOffset` (see the components' `ports:`). */
export interface PublishedPort {
  port: number;
  /** The one service behind it, e.g. "Alertmanager 1", "OTLP gRPC". */
  what: string;
  /** The service it belongs to, as the exposure warning names it. */
  service: string;
  /** Whether the service asks for a login of its own (Grafana; Elasticsearch and Kibana, security on). */
  login: boolean;
}

/** Every host port a Docker stack publishes; one list for the exposure warning and the port-range check. */
export function publishedPorts(cfg: StackConfig): PublishedPort[] {
  const open = (port: number, what: string, service = what): PublishedPort => ({ port, what, service, login: false });
  const out = [
    open(ports.prometheus, "Prometheus"),
    { port: ports.grafana, what: "Grafana", service: "Grafana", login: true },
    ...Array.from({ length: cfg.alertmanager.replicas }, (_, i) => open(ports.alertmanager + i * 100, `Alertmanager ${i}`, "Alertmanager")),
  ];
  if (cfg.logging.enabled && cfg.logging.backend === "loki") out.push(open(ports.loki, "Loki"), open(ports.alloy, "Alloy"));
  if (cfg.logging.enabled && cfg.logging.backend === "elasticsearch")
    out.push({ port: ports.elasticsearch, what: "Elasticsearch", service: "Elasticsearch", login: true }, { port: ports.kibana, what: "Kibana", service: "Kibana", login: true });
  if (cfg.tracing.enabled) {
    out.push(cfg.tracing.backend === "jaeger" ? open(ports.jaegerUi, "Jaeger's UI", "the Jaeger UI") : open(ports.tempo, "Tempo"));
    out.push(open(ports.otlpGrpc, "OTLP gRPC", "OTLP"), open(ports.otlpHttp, "OTLP HTTP", "OTLP"));
  }
  return out;
}

/** Published ports of the services that have no login, grouped by service: "Alertmanager (:9093, :9193)". */
function unauthenticatedPorts(cfg: StackConfig): string[] {
  const byService = new Map<string, string[]>();
  for (const p of publishedPorts(cfg).filter((x) => !x.login)) byService.set(p.service, [...(byService.get(p.service) ?? []), `:${p.port + cfg.docker.portOffset}`]);
  return [...byService].map(([service, at]) => `${service} (${at.join(", ")})`);
}

/** "Grafana asks", or "Grafana, Elasticsearch and Kibana ask". */
function withLogin(cfg: StackConfig): string {
  const names = publishedPorts(cfg)
    .filter((p) => p.login)
    .map((p) => p.service);
  return names.length === 1 ? `${names[0]} asks` : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]} ask`;
}

export function dockerExposureWarnings(cfg: StackConfig): string[] {
  if (cfg.platform !== "docker" || cfg.docker.bindAddress.startsWith("127.")) return [];
  const where = cfg.docker.bindAddress === "0.0.0.0" ? "every network interface of the Docker host" : `${cfg.docker.bindAddress}, beyond loopback`;
  return [
    `${key}: got ${JSON.stringify(cfg.docker.bindAddress)}; UNAUTHENTICATED services are published on ${where}: ` +
      `${unauthenticatedPorts(cfg).join(", ")}. Anyone who reaches them can read every metric, log and trace, ` +
      `silence or fake alerts, and push data into the stack; only ${withLogin(cfg)} for a login. ` +
      `Keep the default 127.0.0.1 and reach the UIs through an SSH tunnel (ssh -L ${ports.grafana + cfg.docker.portOffset}:127.0.0.1:${ports.grafana + cfg.docker.portOffset} <host>), or put an authenticating proxy in front`,
  ];
}
