/**
 * The network policy plan, read directly (it is pure): no rule admits every
 * source or destination, and each flow that must come from outside the
 * namespace names where it comes from.
 */
import { describe, expect, it } from "vitest";
import { exporterEgressPorts, fromCidrs, fromNamespaces, type NetworkPlanInput, networkPolicyPlan, networkPolicySpec } from "../../components/production/network";

const acm: NetworkPlanInput = {
  namespace: "monitoring",
  logging: true,
  tracing: "tempo",
  publicAccess: true,
  acmeSolver: false,
  backup: true,
  smtpPort: 587,
  uiSources: fromCidrs(["10.40.0.0/20", "10.40.16.0/20"]),
  apiServerSources: fromCidrs(["10.40.0.0/16"]),
  otlpNamespaces: ["apps"],
  exporterPorts: { blackbox: [{ port: 443, protocol: "TCP" }], postgres: [{ port: 5432, protocol: "TCP" }] },
};
const certManager: NetworkPlanInput = { ...acm, tracing: "jaeger", acmeSolver: true, uiSources: fromNamespaces(["traefik"]) };
const internalOnly: NetworkPlanInput = { ...acm, publicAccess: false, uiSources: undefined, otlpNamespaces: [] };
const elastic: NetworkPlanInput = {
  ...acm,
  logging: false,
  elasticsearch: true,
  agentsNamespace: "monitoring-agents",
  exporterPorts: { ...acm.exporterPorts, elasticsearch: [{ port: 9200, protocol: "TCP" }] },
};
const variants = { acm, certManager, internalOnly, elastic };
const policy = (input: NetworkPlanInput, name: string) => {
  const found = networkPolicyPlan(input).find((p) => p.name === name);
  if (!found) throw new Error(`no policy ${name}`);
  return found;
};
const anywhere = { ipBlock: { cidr: "0.0.0.0/0" } };
const everyNamespace = { namespaceSelector: {} };

describe("network policies admit named peers only", () => {
  for (const [variant, input] of Object.entries(variants)) {
    it(`${variant}: every rule names its peers; no ingress rule admits any address or any namespace; egress to any address always names ports`, () => {
      for (const p of networkPolicyPlan(input)) {
        for (const rule of p.ingress ?? []) {
          expect(rule.peers.length, `${p.name} ingress`).toBeGreaterThan(0);
          expect(rule.peers, `${p.name} ingress`).not.toContainEqual(anywhere);
          expect(rule.peers, `${p.name} ingress`).not.toContainEqual(everyNamespace);
        }
        for (const rule of p.egress ?? []) {
          expect(rule.peers.length, `${p.name} egress`).toBeGreaterThan(0);
          if (rule.peers.some((peer) => JSON.stringify(peer) === JSON.stringify(anywhere) || JSON.stringify(peer) === JSON.stringify(everyNamespace)))
            expect(rule.ports?.length ?? 0, `${p.name} egress to anywhere without ports`).toBeGreaterThan(0);
        }
      }
    });
  }

  it("refuses to write a rule without peers (Kubernetes reads it as every source or destination)", () => {
    expect(() => networkPolicySpec({ name: "open", podSelector: {}, ingress: [{ peers: [], ports: [{ port: 80, protocol: "TCP" }] }] })).toThrow(
      /watchpost-open: an ingress rule without peers would admit every source/,
    );
  });
});

describe("flows from outside the namespace", () => {
  it("acm: Grafana and oauth2-proxy take users from the load balancer's addresses only", () => {
    const ui = [{ peers: [{ ipBlock: { cidr: "10.40.0.0/20" } }, { ipBlock: { cidr: "10.40.16.0/20" } }] }];
    expect(policy(acm, "grafana").ingress).toEqual([{ ...ui[0], ports: [{ port: 3000, protocol: "TCP" }] }]);
    expect(policy(acm, "oauth2-proxy").ingress).toEqual([{ ...ui[0], ports: [{ port: 4180, protocol: "TCP" }] }]);
  });

  it("cert-manager: Grafana, oauth2-proxy and the HTTP-01 solver take requests from the ingress controller's namespace only", () => {
    const controller = [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "traefik" } } }];
    expect(policy(certManager, "grafana").ingress).toEqual([{ peers: controller, ports: [{ port: 3000, protocol: "TCP" }] }]);
    expect(policy(certManager, "oauth2-proxy").ingress).toEqual([{ peers: controller, ports: [{ port: 4180, protocol: "TCP" }] }]);
    expect(policy(certManager, "acme-http01-solver").ingress).toEqual([{ peers: controller, ports: [{ port: 8089, protocol: "TCP" }] }]);
  });

  it("without an Ingress nothing outside the namespace reaches Grafana", () => {
    expect(policy(internalOnly, "grafana").ingress).toEqual([]);
  });

  it("public access needs to know where users come from", () => {
    expect(() => networkPolicyPlan({ ...acm, uiSources: undefined })).toThrow(/uiSources: public access needs the addresses or namespace users' requests come from/);
  });

  it("the operator's admission webhook takes calls from the API server's addresses only", () => {
    expect(policy(acm, "prometheus-operator").ingress).toEqual([{ peers: [{ ipBlock: { cidr: "10.40.0.0/16" } }], ports: [{ port: 10250, protocol: "TCP" }] }]);
  });

  it("OTLP reaches the collector from the listed namespaces only, and from none when none are listed", () => {
    expect(policy(acm, "otel-collector").ingress).toEqual([
      {
        peers: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "apps" } } }],
        ports: [
          { port: 4317, protocol: "TCP" },
          { port: 4318, protocol: "TCP" },
        ],
      },
    ]);
    expect(policy(internalOnly, "otel-collector").ingress).toEqual([]);
  });

  it("each exporter reaches its own targets' ports only; an exporter with no targets gets no egress", () => {
    expect(policy(acm, "exporter-blackbox")).toEqual({
      name: "exporter-blackbox",
      podSelector: { "watchpost.io/exporter": "blackbox" },
      egress: [{ peers: [anywhere, everyNamespace], ports: [{ port: 443, protocol: "TCP" }] }],
    });
    expect(policy(acm, "exporter-postgres").egress).toEqual([{ peers: [anywhere, everyNamespace], ports: [{ port: 5432, protocol: "TCP" }] }]);
    expect(networkPolicyPlan({ ...acm, exporterPorts: { blackbox: [] } }).map((p) => p.name)).not.toContain("exporter-blackbox");
  });
});

describe("exporter target ports, from the configuration", () => {
  const tcp = (...ports: number[]) => ports.map((port) => ({ port, protocol: "TCP" }));
  it("blackbox: the ports of its probes (http probes may redirect between 80 and 443); DNS probes use kube-dns, admitted for every pod", () => {
    const ports = exporterEgressPorts({}, [
      { target: "https://api.example.com/healthz", module: "http_2xx" },
      { target: "http://web.internal:8080/", module: "http_2xx" },
      { target: "db.internal:5432", module: "tcp_connect" },
      { target: "mail.example.com:465", module: "tls" },
      { target: "example.com", module: "dns" },
    ]);
    expect(ports).toEqual({ blackbox: tcp(80, 443, 465, 5432, 8080) });
  });

  it("the service exporters: the port each one's target is on", () => {
    const ports = exporterEgressPorts(
      {
        postgres: { host: "db", port: 6432, database: "postgres", user: "m", sslMode: "require" },
        redis: { address: "redis:6380" },
        nginx: { statusUrl: "http://web.internal/stub_status" },
        elasticsearch: { url: "https://es.internal:9243" },
        rabbitmq: { target: "rabbit:15692" },
      },
      [],
    );
    expect(ports).toEqual({ blackbox: [], postgres: tcp(6432), redis: tcp(6380), nginx: tcp(80), elasticsearch: tcp(9243) });
  });

  it("a list of named instances: every instance's port, once each (the instances share their exporter's pod labels)", () => {
    const instance = { database: "postgres", user: "m", sslMode: "require" as const, labels: {} };
    const ports = exporterEgressPorts(
      {
        postgres: [
          { ...instance, name: "orders", host: "orders-db", port: 5432 },
          { ...instance, name: "billing", host: "billing-db", port: 6432 },
          { ...instance, name: "archive", host: "archive-db", port: 5432 },
        ],
      },
      [],
    );
    expect(ports).toEqual({ blackbox: [], postgres: tcp(5432, 6432) });
  });
});

describe("the Elasticsearch logging backend's flows", () => {
  const es = { podSelector: { matchLabels: { "elasticsearch.k8s.elastic.co/cluster-name": "watchpost" } } };
  it("admits Elasticsearch's HTTP port from its clients only, Filebeat from the agents namespace", () => {
    const ingress = policy(elastic, "elasticsearch").ingress ?? [];
    expect(ingress[0].ports).toEqual([{ port: 9200, protocol: "TCP" }]);
    expect(ingress[0].peers).toEqual([
      { podSelector: { matchLabels: { "kibana.k8s.elastic.co/name": "watchpost" } } },
      { podSelector: { matchLabels: { "app.kubernetes.io/name": "grafana" } } },
      { podSelector: { matchLabels: { "watchpost.io/exporter": "elasticsearch" } } },
      { podSelector: { matchLabels: { "app.kubernetes.io/name": "watchpost-elk-setup" } } },
      { podSelector: { matchLabels: { "app.kubernetes.io/name": "elastic-operator" } } },
      { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring-agents" } }, podSelector: { matchLabels: { "beat.k8s.elastic.co/name": "watchpost" } } },
    ]);
  });

  it("lets Grafana reach Elasticsearch instead of Loki, and the operator's webhook only from the API server", () => {
    const grafana = policy(elastic, "grafana").egress ?? [];
    expect(grafana).toContainEqual({ peers: [es], ports: [{ port: 9200, protocol: "TCP" }] });
    expect(networkPolicyPlan(elastic).map((p) => p.name)).not.toContain("loki");
    expect(policy(elastic, "elastic-operator").ingress).toEqual([{ peers: elastic.apiServerSources, ports: [{ port: 9443, protocol: "TCP" }] }]);
    expect(networkPolicyPlan(acm).map((p) => p.name)).not.toContain("elasticsearch");
  });
});
