/**
 * NetworkPolicies of the monitoring namespace: deny everything, then admit the
 * flows the stack needs, each as its own policy named after the flow. The plan
 * is a pure function of which parts are deployed, so tests read it directly.
 * Every rule names its peers: a rule without peers admits every source (or
 * destination), so `networkPolicySpec` refuses to write one.
 *
 * Selectors use the labels the charts put on their pods (`app.kubernetes.io/name`
 * for the operator-managed Prometheus/Alertmanager and the Grafana, Loki, Alloy,
 * Tempo, Jaeger, collector and kube-state-metrics charts; `app` for the
 * kube-prometheus-stack operator and its webhook jobs), plus the labels of our
 * own manifests and of the exporters (`watchpost.io/exporter`).
 *
 * Flows whose peer is not a pod of this namespace:
 * - users, through the ALB (`uiSources`: the addresses its nodes live on, the
 *   public subnets of a created cluster or the VPC of an existing one) or an
 *   in-cluster ingress controller (its namespace): only Grafana, oauth2-proxy and
 *   the HTTP-01 solver admit them, each on its one port;
 * - the API server calling the operator's admission webhook (`apiServerSources`:
 *   on EKS the control plane's ENIs in the cluster's VPC);
 * - applications sending OTLP (`otlpNamespaces`: listed namespaces only);
 * - egress to the Kubernetes API server, AWS APIs (S3, STS for IRSA, AMP) and
 *   notification endpoints (Slack, PagerDuty, webhooks, the OIDC issuer): public
 *   HTTPS whose addresses are not stable, so 443/TCP to any address for exactly
 *   the pods that call them;
 * - scrape targets and exporter targets, anywhere, on their ports only.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ports } from "../../model/conventions";
import { elkPodLabels } from "../logging/elk/names";
import { alertHistoryPodLabels } from "../alerting/history";
import type { KubernetesTarget } from "../platform/targets";
import { configuredExporters, exporters, type ExportersSpec } from "../exporters/index";
import type { ExporterEntry } from "../exporters/types";
import type { ProbeSpec } from "../prometheus/spec";
import { type ExporterId, exporterIds } from "../../model/vocabulary";
import { oauth2ProxyName, oauth2ProxyPort } from "./auth";
import type { TracingBackend } from "../../model/vocabulary";

/** Label our chart values put on every exporter pod (blackbox, postgres, redis, elasticsearch, nginx). */
export const exporterLabel = { "watchpost.io/role": "exporter" } as const;
/** The exporters Watchpost runs as pods (the blackbox exporter and the registry's); each reaches its own targets only. */
export type ExporterName = "blackbox" | ExporterId;
/** Labels of one exporter's pods: the shared exporter label and its own name, which its egress policy selects. */
export function exporterLabels(name: ExporterName): Record<string, string> {
  return { ...exporterLabel, "watchpost.io/exporter": name };
}
/** Label of the Prometheus snapshot backup job's pods. */
export const backupJobLabels = { "app.kubernetes.io/name": "watchpost-backup" } as const;

/** Pod labels of each part of the stack, as the charts set them. */
export const podLabels = {
  prometheus: { "app.kubernetes.io/name": "prometheus" },
  alertmanager: { "app.kubernetes.io/name": "alertmanager" },
  grafana: { "app.kubernetes.io/name": "grafana" },
  operator: { app: "kube-prometheus-stack-operator" },
  admissionCreate: { app: "kube-prometheus-stack-admission-create" },
  admissionPatch: { app: "kube-prometheus-stack-admission-patch" },
  kubeStateMetrics: { "app.kubernetes.io/name": "kube-state-metrics" },
  alloy: { "app.kubernetes.io/name": "alloy" },
  loki: { "app.kubernetes.io/name": "loki" },
  collector: { "app.kubernetes.io/name": "opentelemetry-collector" },
  tempo: { "app.kubernetes.io/name": "tempo" },
  jaeger: { "app.kubernetes.io/name": "jaeger" },
  oauth2Proxy: { "app.kubernetes.io/name": oauth2ProxyName },
  exporter: exporterLabel,
  backup: backupJobLabels,
  acmeSolver: { "acme.cert-manager.io/http01-solver": "true" },
} as const satisfies Record<string, Record<string, string>>;

/**
 * Ports Prometheus may scrape, anywhere: the exporters and components of this stack, the kubelet
 * (cAdvisor), the node exporter on the host network, and the usual port names of application
 * metrics endpoints. A NetworkPolicy cannot say "whatever the ServiceMonitor names", so services
 * scraped on another port need it listed in `extraScrapePorts`.
 */
export const scrapePorts: Array<number | string> = [
  ports.prometheus,
  ports.alertmanager,
  ports.grafana,
  ports.nodeExporter,
  ports.blackboxExporter,
  ...exporterIds.flatMap((id) => (exporters[id] as ExporterEntry).process?.port ?? []),
  ports.rabbitmqPrometheus,
  ports.loki,
  ports.alloy,
  ports.otelCollectorMetrics,
  ports.tempo,
  8080, // kube-state-metrics, the config reloaders, the operator
  8081, // kube-state-metrics self metrics
  10250, // kubelet (cAdvisor, resource metrics)
  "metrics",
  "http-metrics",
  "http",
];

/** A NetworkPolicy peer (podSelector, namespaceSelector, ipBlock); values may be Pulumi inputs (a looked-up CIDR). */
export type Peer = Record<string, unknown>;
export type PortSpec = { port?: number | string; protocol: "TCP" | "UDP" };
export interface FlowRule {
  peers: Peer[];
  ports?: PortSpec[];
}
export interface PolicyPlan {
  name: string;
  podSelector: Record<string, string>;
  ingress?: FlowRule[];
  egress?: FlowRule[];
}

export interface NetworkPlanInput {
  namespace: string;
  /** Loki and Alloy are deployed. */
  logging: boolean;
  /** The alert history's collector is deployed: Alertmanager → it → Loki. @default false */
  alertHistory?: boolean;
  /** The Elasticsearch logging backend is deployed (ECK); Filebeat runs in `agentsNamespace`. @default false */
  elasticsearch?: boolean;
  /** Namespace of the node agents (node exporter, Filebeat). @default the stack's namespace */
  agentsNamespace?: string;
  tracing?: TracingBackend;
  /** oauth2-proxy and the Ingresses exist. */
  publicAccess: boolean;
  /** cert-manager HTTP-01 solver pods answer challenges in this namespace. */
  acmeSolver: boolean;
  /** The snapshot backup CronJob exists. */
  backup: boolean;
  /** SMTP port of notifications.email.smarthost, when email is on. */
  smtpPort?: number;
  /** Port of Grafana's external PostgreSQL database (`grafana.database.host`), which Grafana reaches anywhere. @default none */
  grafanaDatabasePort?: number;
  /** Further ports Prometheus scrapes (services on other ports). */
  extraScrapePorts?: Array<number | string>;
  /** Where users' requests to Grafana, oauth2-proxy and the HTTP-01 solver come from (`fromCidrs`, `fromNamespaces`). Required with `publicAccess`. */
  uiSources?: Peer[];
  /** Where the API server calls the operator's admission webhook from (on EKS, the cluster VPC's CIDR). */
  apiServerSources: Peer[];
  /** Namespaces whose pods may send OTLP to the collector. @default [] (none) */
  otlpNamespaces?: string[];
  /** Ports each exporter reaches its targets on (`exporterEgressPorts`). An exporter not listed, or with none, gets no egress. @default {} */
  exporterPorts?: Partial<Record<ExporterName, PortSpec[]>>;
}

const tcp = (...list: Array<number | string>): PortSpec[] => list.map((port) => ({ port, protocol: "TCP" }));
const pods = (labels: Record<string, string>): Peer => ({ podSelector: { matchLabels: labels } });
const anywhere: Peer = { ipBlock: { cidr: "0.0.0.0/0" } };
const everyNamespace: Peer = { namespaceSelector: {} };
const https: FlowRule = { peers: [anywhere], ports: tcp(443) };

/** Peers for address ranges, such as the ALB's subnets or the cluster's VPC. */
export function fromCidrs(cidrs: Array<pulumi.Input<string>>): Peer[] {
  return cidrs.map((cidr) => ({ ipBlock: { cidr } }));
}

/** Peers for every pod of the named namespaces. */
export function fromNamespaces(names: string[]): Peer[] {
  return names.map((name) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": name } } }));
}

/** The port of a URL: explicit, or the scheme's default. */
function urlPort(url: string): number {
  const u = new URL(url);
  return u.port ? Number(u.port) : u.protocol === "https:" ? 443 : 80;
}
const hostPortPort = (target: string) => Number(target.slice(target.lastIndexOf(":") + 1));
const tcpSorted = (ports: number[]): PortSpec[] => tcp(...[...new Set(ports)].sort((a, b) => a - b));

/**
 * The ports each exporter reaches its targets on. Blackbox: each probe's port, and 80 and 443
 * for every HTTP probe (it follows redirects, usually between the two); DNS probes ask kube-dns,
 * which the `dns` policy admits for every pod. RabbitMQ is scraped directly, with no exporter.
 */
export function exporterEgressPorts(exporterConfig: ExportersSpec, probes: Array<Pick<ProbeSpec, "target" | "module">>): Partial<Record<ExporterName, PortSpec[]>> {
  const probePorts = probes.flatMap((p) => {
    if (p.module === "http_2xx") return [80, 443, urlPort(p.target)];
    if (p.module === "tcp_connect" || p.module === "tls") return [hostPortPort(p.target)];
    return [];
  });
  const out: Partial<Record<ExporterName, PortSpec[]>> = { blackbox: tcpSorted(probePorts) };
  // The instances of a list share their exporter's pod labels, so its policy admits every instance's ports.
  const byExporter: Partial<Record<ExporterName, number[]>> = {};
  for (const { id, config, process } of configuredExporters(exporterConfig)) if (process) byExporter[id] = [...(byExporter[id] ?? []), ...process.egressPorts(config)];
  for (const [id, ports] of Object.entries(byExporter) as Array<[ExporterName, number[]]>) out[id] = tcp(...new Set(ports));
  return out;
}

/** The policies, in creation order. Pure. */
export function networkPolicyPlan(input: NetworkPlanInput): PolicyPlan[] {
  const L = podLabels;
  if (input.apiServerSources.length === 0)
    throw new pulumi.InputPropertyError({
      propertyPath: "apiServerSources",
      reason: "apiServerSources: the operator's admission webhook needs the addresses the API server calls from (on EKS the cluster VPC's CIDR, target.aws.vpcCidr)",
    });
  if (input.publicAccess && (input.uiSources ?? []).length === 0)
    throw new pulumi.InputPropertyError({
      propertyPath: "uiSources",
      reason: "uiSources: public access needs the addresses or namespace users' requests come from (the ALB's subnets, or the ingress controller's namespace)",
    });
  // Users reach the UIs only through the load balancer or the ingress controller.
  const users = (port: number): FlowRule[] => (input.publicAccess ? [{ peers: input.uiSources ?? [], ports: tcp(port) }] : []);
  const tracePort = input.tracing === "jaeger" ? ports.jaegerUi : ports.tempo;
  const traceStore = input.tracing === "jaeger" ? L.jaeger : L.tempo;
  const plan: PolicyPlan[] = [
    // Nothing in or out unless a policy below admits it.
    { name: "default-deny", podSelector: {}, ingress: [], egress: [] },
    {
      name: "dns",
      podSelector: {},
      egress: [
        {
          peers: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
          ports: [
            { port: 53, protocol: "UDP" },
            { port: 53, protocol: "TCP" },
          ],
        },
      ],
    },
    // Prometheus scrapes every pod here, on any port (config reloaders, sidecars, exporters).
    { name: "scrape-from-prometheus", podSelector: {}, ingress: [{ peers: [pods(L.prometheus)] }] },
    {
      name: "prometheus",
      podSelector: L.prometheus,
      ingress: [
        { peers: [pods(L.grafana)], ports: tcp(ports.prometheus) },
        ...(input.publicAccess ? [{ peers: [pods({ ...L.oauth2Proxy, "app.kubernetes.io/instance": "oauth2-proxy-prometheus" })], ports: tcp(ports.prometheus) }] : []),
        ...(input.backup ? [{ peers: [pods(L.backup)], ports: tcp(ports.prometheus) }] : []),
      ],
      egress: [
        // Scrape targets live in every namespace and on the nodes' own addresses (node exporter, kubelet).
        { peers: [anywhere, { namespaceSelector: {} }], ports: tcp(...scrapePorts, ...(input.extraScrapePorts ?? [])) },
        // Kubernetes API (service discovery) and AMP remote write.
        https,
      ],
    },
    {
      name: "alertmanager",
      podSelector: L.alertmanager,
      ingress: [
        { peers: [pods(L.prometheus), pods(L.grafana)], ports: tcp(ports.alertmanager) },
        ...(input.publicAccess ? [{ peers: [pods({ ...L.oauth2Proxy, "app.kubernetes.io/instance": "oauth2-proxy-alertmanager" })], ports: tcp(ports.alertmanager) }] : []),
        { peers: [pods(L.alertmanager)], ports: [...tcp(ports.alertmanagerCluster), { port: ports.alertmanagerCluster, protocol: "UDP" }] },
      ],
      egress: [
        // Gossip between the replicas.
        { peers: [pods(L.alertmanager)], ports: [...tcp(ports.alertmanagerCluster), { port: ports.alertmanagerCluster, protocol: "UDP" }] },
        // Slack, PagerDuty, webhooks, the heartbeat; and the SMTP relay.
        https,
        ...(input.alertHistory ? [{ peers: [pods(alertHistoryPodLabels)], ports: tcp(ports.alertHistory) }] : []),
        ...(input.smtpPort !== undefined && input.smtpPort !== 443 ? [{ peers: [anywhere], ports: tcp(input.smtpPort) }] : []),
      ],
    },
    {
      name: "grafana",
      podSelector: L.grafana,
      // Users, through the ALB or the ingress controller (see the header).
      ingress: users(ports.grafana),
      egress: [
        { peers: [pods(L.prometheus)], ports: tcp(ports.prometheus) },
        { peers: [pods(L.alertmanager)], ports: tcp(ports.alertmanager) },
        ...(input.logging ? [{ peers: [pods(L.loki)], ports: tcp(ports.loki) }] : []),
        ...(input.elasticsearch ? [{ peers: [pods(elkPodLabels.elasticsearch)], ports: tcp(ports.elasticsearch) }] : []),
        ...(input.tracing ? [{ peers: [pods(traceStore)], ports: tcp(tracePort) }] : []),
        // Kubernetes API: the dashboard and datasource sidecars watch ConfigMaps and Secrets; and the OIDC
        // issuer's token and userinfo endpoints, when Grafana signs users in itself.
        https,
        ...(input.grafanaDatabasePort !== undefined ? [{ peers: [anywhere], ports: tcp(input.grafanaDatabasePort) }] : []),
      ],
    },
    // API clients: the operator (and its admission webhook, called by the API server), kube-state-metrics, the webhook jobs.
    { name: "prometheus-operator", podSelector: L.operator, ingress: [{ peers: input.apiServerSources, ports: tcp(10250) }], egress: [https] },
    { name: "admission-create", podSelector: L.admissionCreate, egress: [https] },
    { name: "admission-patch", podSelector: L.admissionPatch, egress: [https] },
    { name: "kube-state-metrics", podSelector: L.kubeStateMetrics, egress: [https] },
  ];
  // Each exporter reaches its own targets, wherever they run, on their ports only.
  for (const [exporter, targetPorts] of Object.entries(input.exporterPorts ?? {}) as Array<[ExporterName, PortSpec[]]>)
    if (targetPorts.length > 0)
      plan.push({ name: `exporter-${exporter}`, podSelector: { "watchpost.io/exporter": exporter }, egress: [{ peers: [anywhere, everyNamespace], ports: targetPorts }] });
  if (input.logging) {
    plan.push(
      { name: "alloy", podSelector: L.alloy, egress: [{ peers: [pods(L.loki)], ports: tcp(ports.loki) }, https] },
      {
        name: "loki",
        podSelector: L.loki,
        ingress: [{ peers: [pods(L.alloy), pods(L.grafana), ...(input.alertHistory ? [pods(alertHistoryPodLabels)] : [])], ports: tcp(ports.loki) }, { peers: [pods(L.loki)] }],
        // S3 (chunks), STS (IRSA), the API (rules sidecar); and itself (memberlist, gRPC).
        egress: [https, { peers: [pods(L.loki)] }],
      },
    );
  }
  if (input.logging && input.alertHistory)
    plan.push({
      name: "alert-history",
      podSelector: alertHistoryPodLabels,
      ingress: [{ peers: [pods(L.alertmanager)], ports: tcp(ports.alertHistory) }],
      egress: [{ peers: [pods(L.loki)], ports: tcp(ports.loki) }],
    });
  if (input.elasticsearch) plan.push(...elasticsearchPolicies(input));
  if (input.tracing) {
    plan.push({
      name: "otel-collector",
      podSelector: L.collector,
      // Applications in the listed namespaces send OTLP (the receivers have no authentication).
      ingress: (input.otlpNamespaces ?? []).length > 0 ? [{ peers: fromNamespaces(input.otlpNamespaces ?? []), ports: tcp(ports.otlpGrpc, ports.otlpHttp) }] : [],
      egress: [{ peers: [pods(traceStore)], ports: tcp(ports.otlpGrpc, ports.otlpHttp) }],
    });
    if (input.tracing === "tempo")
      plan.push({
        name: "tempo",
        podSelector: L.tempo,
        ingress: [
          { peers: [pods(L.collector)], ports: tcp(ports.otlpGrpc, ports.otlpHttp) },
          { peers: [pods(L.grafana)], ports: tcp(ports.tempo) },
        ],
        egress: [https, { peers: [pods(L.tempo)] }],
      });
    else
      plan.push({
        name: "jaeger",
        podSelector: L.jaeger,
        ingress: [
          { peers: [pods(L.collector)], ports: tcp(ports.otlpGrpc, ports.otlpHttp) },
          {
            peers: [pods(L.grafana), ...(input.publicAccess ? [pods({ ...L.oauth2Proxy, "app.kubernetes.io/instance": "oauth2-proxy-traces" })] : [])],
            ports: tcp(ports.jaegerUi),
          },
        ],
      });
  }
  if (input.publicAccess)
    plan.push({
      name: "oauth2-proxy",
      podSelector: L.oauth2Proxy,
      ingress: users(oauth2ProxyPort),
      egress: [
        { peers: [pods(L.prometheus)], ports: tcp(ports.prometheus) },
        { peers: [pods(L.alertmanager)], ports: tcp(ports.alertmanager) },
        ...(input.tracing === "jaeger" ? [{ peers: [pods(L.jaeger)], ports: tcp(ports.jaegerUi) }] : []),
        // The OIDC issuer (discovery, token and JWKS endpoints).
        https,
      ],
    });
  // Let's Encrypt reaches the HTTP-01 solver through the ingress controller.
  if (input.acmeSolver) plan.push({ name: "acme-http01-solver", podSelector: L.acmeSolver, ingress: users(8089) });
  if (input.backup)
    plan.push({
      name: "backup",
      podSelector: L.backup,
      // Prometheus for the snapshot; S3 and STS (IRSA) over HTTPS.
      egress: [{ peers: [pods(L.prometheus)], ports: tcp(ports.prometheus) }, https],
    });
  return plan;
}

/**
 * The Elasticsearch backend's flows: clients of Elasticsearch's HTTP port (Kibana, Grafana, the
 * exporter, the setup Job, the operator, and Filebeat from the agents namespace), the operator's
 * admission webhook called by the API server, and the setup Job's calls to Kibana.
 */
function elasticsearchPolicies(input: NetworkPlanInput): PolicyPlan[] {
  const E = elkPodLabels;
  const es = [{ peers: [pods(E.elasticsearch)], ports: tcp(ports.elasticsearch) }];
  const filebeat: Peer = { ...fromNamespaces([input.agentsNamespace ?? input.namespace])[0], podSelector: { matchLabels: E.filebeat } };
  return [
    { name: "elastic-operator", podSelector: E.operator, ingress: [{ peers: input.apiServerSources, ports: tcp(9443) }], egress: [https, ...es] },
    {
      name: "elasticsearch",
      podSelector: E.elasticsearch,
      ingress: [
        {
          peers: [pods(E.kibana), pods(podLabels.grafana), pods({ "watchpost.io/exporter": "elasticsearch" }), pods(E.setup), pods(E.operator), filebeat],
          ports: tcp(ports.elasticsearch),
        },
        // Transport between the nodes of the cluster.
        { peers: [pods(E.elasticsearch)], ports: tcp(9300) },
      ],
      egress: [{ peers: [pods(E.elasticsearch)], ports: tcp(9300) }],
    },
    { name: "kibana", podSelector: E.kibana, ingress: [{ peers: [pods(E.setup)], ports: tcp(ports.kibana) }], egress: es },
    { name: "elk-setup", podSelector: E.setup, egress: [...es, { peers: [pods(E.kibana)], ports: tcp(ports.kibana) }] },
  ];
}

/** A plan entry as a NetworkPolicy spec. A rule without peers would admit every source (or destination), so it is refused. */
export function networkPolicySpec(p: PolicyPlan): Record<string, unknown> {
  const rule = (dir: "from" | "to") => (r: FlowRule) => {
    if (r.peers.length === 0)
      throw new Error(
        `watchpost-${p.name}: an ${dir === "from" ? "ingress" : "egress"} rule without peers would admit every ${dir === "from" ? "source" : "destination"}; name the peers`,
      );
    return { [dir]: r.peers, ...(r.ports ? { ports: r.ports } : {}) };
  };
  return {
    podSelector: Object.keys(p.podSelector).length > 0 ? { matchLabels: p.podSelector } : {},
    policyTypes: [...(p.ingress ? ["Ingress"] : []), ...(p.egress ? ["Egress"] : [])],
    ...(p.ingress ? { ingress: p.ingress.map(rule("from")) } : {}),
    ...(p.egress ? { egress: p.egress.map(rule("to")) } : {}),
  };
}

/** The NetworkPolicy objects of a plan, as synth writes them and NetworkPolicies creates them. */
export function networkPolicyObjects(input: NetworkPlanInput) {
  return networkPolicyPlan(input).map((p) => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { namespace: input.namespace, name: `watchpost-${p.name}` },
    spec: networkPolicySpec(p),
    /** The plan entry's name: the child's Pulumi name is `${name}-<role>`. */
    role: p.name,
  }));
}

export interface NetworkPoliciesArgs extends Omit<NetworkPlanInput, "namespace"> {
  target: KubernetesTarget;
}

export class NetworkPolicies extends pulumi.ComponentResource {
  readonly names: string[];

  constructor(name: string, args: NetworkPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("watchpost:production:NetworkPolicies", name, {}, opts);
    const { target, ...input } = args;
    const objects = networkPolicyObjects({ ...input, namespace: target.namespaceName });
    for (const { role, metadata, spec } of objects) {
      new k8s.networking.v1.NetworkPolicy(
        `${name}-${role}`,
        { metadata: { namespace: target.namespace, name: metadata.name }, spec: spec as unknown as k8s.types.input.networking.v1.NetworkPolicySpec },
        { parent: this, dependsOn: target.dependsOn },
      );
    }
    this.names = objects.map((o) => o.metadata.name);
    this.registerOutputs({});
  }
}
