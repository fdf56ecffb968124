/**
 * What a Docker stack publishes beyond loopback. `docker.bindAddress` is a plain
 * setting, but anything other than a 127.x address puts services without any
 * authentication of their own on the network; the warning says which, on which
 * ports, what anyone reaching them can do, and how to avoid it. Pure.
 */
import { ports } from "../../components/conventions";
import type { StackConfig } from "./schema";

const key = "watchpost:docker.bindAddress";

/** Published ports of the services that have no login, as the Docker components publish them. */
function unauthenticatedPorts(cfg: StackConfig): string[] {
  const at = (port: number) => `:${port + cfg.docker.portOffset}`;
  const alertmanagers = Array.from({ length: cfg.alertmanager.replicas }, (_, i) => at(ports.alertmanager + i * 100));
  const out = [`Prometheus (${at(ports.prometheus)})`, `Alertmanager (${alertmanagers.join(", ")})`];
  if (cfg.logging.enabled) out.push(`Loki (${at(ports.loki)})`, `Alloy (${at(ports.alloy)})`);
  if (cfg.tracing.enabled)
    out.push(cfg.tracing.backend === "tempo" ? `Tempo (${at(ports.tempo)})` : `the Jaeger UI (${at(ports.jaegerUi)})`, `OTLP (${at(ports.otlpGrpc)}, ${at(ports.otlpHttp)})`);
  return out;
}

export function dockerExposureWarnings(cfg: StackConfig): string[] {
  if (cfg.platform !== "docker" || cfg.docker.bindAddress.startsWith("127.")) return [];
  const where = cfg.docker.bindAddress === "0.0.0.0" ? "every network interface of the Docker host" : `${cfg.docker.bindAddress}, beyond loopback`;
  return [
    `${key}: got ${JSON.stringify(cfg.docker.bindAddress)}; UNAUTHENTICATED services are published on ${where}: ` +
      `${unauthenticatedPorts(cfg).join(", ")}. Anyone who reaches them can read every metric, log and trace, ` +
      "silence or fake alerts, and push data into the stack; only Grafana asks for a login. " +
      `Keep the default 127.0.0.1 and reach the UIs through an SSH tunnel (ssh -L ${ports.grafana + cfg.docker.portOffset}:127.0.0.1:${ports.grafana + cfg.docker.portOffset} <host>), or put an authenticating proxy in front`,
  ];
}
