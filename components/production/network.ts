/**
 * NetworkPolicies of the monitoring namespace: deny everything, then admit the
 * flows the stack needs, each as its own policy named after the flow. The plan
 * is a pure function of which parts are deployed, so tests read it directly.
 *
 * Selectors use the labels the charts put on their pods (`app.kubernetes.io/name`
 * for the operator-managed Prometheus/Alertmanager and the Grafana, Loki, Alloy,
 * Tempo, Jaeger, collector and kube-state-metrics charts; `app` for the
 * kube-prometheus-stack operator and its webhook jobs), plus the labels of our
 * own manifests.
 *
 * Three flows cannot name their peer by pod:
 * - the Kubernetes API server: on EKS it is reached through the cluster endpoint
 *   (control-plane ENIs in your VPC, or a public endpoint), not a pod, so API
 *   clients get egress to any address on 443/TCP;
 * - the ALB or ingress controller in front of Grafana and oauth2-proxy: ALB
 *   targets (target-type ip) are reached from the ALB's VPC addresses, and an
 *   in-cluster controller from its own namespace, so those two pods admit any
 *   source on their one HTTP port; both are the sign-in gate anyway;
 * - AWS APIs (S3, STS for IRSA, AMP) and notification endpoints (Slack,
 *   PagerDuty, webhooks, the OIDC issuer): public HTTPS, egress to any address
 *   on 443/TCP for exactly the pods that call them.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ports } from "../conventions";
import type { KubernetesTarget } from "../platform/targets";
import { oauth2ProxyName, oauth2ProxyPort } from "./auth";

/** Label our chart values put on every exporter pod (blackbox, postgres, redis, elasticsearch, nginx). */
export const exporterLabel = { "watchpost.io/role": "exporter" } as const;
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
  ports.postgresExporter,
  ports.redisExporter,
  ports.nginxExporter,
  ports.elasticsearchExporter,
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

type Peer = Record<string, unknown>;
type PortSpec = { port?: number | string; protocol: "TCP" | "UDP" };
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
  logging: boolean;
  tracing?: "tempo" | "jaeger";
  /** oauth2-proxy and the Ingresses exist. */
  publicAccess: boolean;
  /** cert-manager HTTP-01 solver pods answer challenges in this namespace. */
  acmeSolver: boolean;
  /** The snapshot backup CronJob exists. */
  backup: boolean;
  /** SMTP port of notifications.email.smarthost, when email is on. */
  smtpPort?: number;
  /** Further ports Prometheus scrapes (services on other ports). */
  extraScrapePorts?: Array<number | string>;
}

const tcp = (...list: Array<number | string>): PortSpec[] => list.map((port) => ({ port, protocol: "TCP" }));
const pods = (labels: Record<string, string>): Peer => ({ podSelector: { matchLabels: labels } });
const anywhere: Peer = { ipBlock: { cidr: "0.0.0.0/0" } };
const https: FlowRule = { peers: [anywhere], ports: tcp(443) };

/** The policies, in creation order. Pure. */
export function networkPolicyPlan(input: NetworkPlanInput): PolicyPlan[] {
  const L = podLabels;
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
          ports: [{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }],
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
        ...(input.smtpPort !== undefined && input.smtpPort !== 443 ? [{ peers: [anywhere], ports: tcp(input.smtpPort) }] : []),
      ],
    },
    {
      name: "grafana",
      podSelector: L.grafana,
      // Users, through the ALB or the ingress controller (see the header).
      ingress: [{ peers: [], ports: tcp(ports.grafana) }],
      egress: [
        { peers: [pods(L.prometheus)], ports: tcp(ports.prometheus) },
        { peers: [pods(L.alertmanager)], ports: tcp(ports.alertmanager) },
        ...(input.logging ? [{ peers: [pods(L.loki)], ports: tcp(ports.loki) }] : []),
        ...(input.tracing ? [{ peers: [pods(traceStore)], ports: tcp(tracePort) }] : []),
        // Kubernetes API: the dashboard and datasource sidecars watch ConfigMaps and Secrets.
        https,
      ],
    },
    // API clients: the operator (and its admission webhook, called by the API server), kube-state-metrics, the webhook jobs.
    { name: "prometheus-operator", podSelector: L.operator, ingress: [{ peers: [], ports: tcp(10250) }], egress: [https] },
    { name: "admission-create", podSelector: L.admissionCreate, egress: [https] },
    { name: "admission-patch", podSelector: L.admissionPatch, egress: [https] },
    { name: "kube-state-metrics", podSelector: L.kubeStateMetrics, egress: [https] },
    // Blackbox probes arbitrary endpoints; the other exporters reach databases and brokers wherever they run.
    { name: "exporters", podSelector: L.exporter, egress: [{ peers: [anywhere, { namespaceSelector: {} }] }] },
  ];
  if (input.logging) {
    plan.push(
      { name: "alloy", podSelector: L.alloy, egress: [{ peers: [pods(L.loki)], ports: tcp(ports.loki) }, https] },
      {
        name: "loki",
        podSelector: L.loki,
        ingress: [{ peers: [pods(L.alloy), pods(L.grafana)], ports: tcp(ports.loki) }, { peers: [pods(L.loki)] }],
        // S3 (chunks), STS (IRSA), the API (rules sidecar); and itself (memberlist, gRPC).
        egress: [https, { peers: [pods(L.loki)] }],
      },
    );
  }
  if (input.tracing) {
    plan.push({
      name: "otel-collector",
      podSelector: L.collector,
      // Applications in any namespace send OTLP.
      ingress: [{ peers: [{ namespaceSelector: {} }], ports: tcp(ports.otlpGrpc, ports.otlpHttp) }],
      egress: [{ peers: [pods(traceStore)], ports: tcp(ports.otlpGrpc, ports.otlpHttp) }],
    });
    if (input.tracing === "tempo")
      plan.push({
        name: "tempo",
        podSelector: L.tempo,
        ingress: [{ peers: [pods(L.collector)], ports: tcp(ports.otlpGrpc, ports.otlpHttp) }, { peers: [pods(L.grafana)], ports: tcp(ports.tempo) }],
        egress: [https, { peers: [pods(L.tempo)] }],
      });
    else
      plan.push({
        name: "jaeger",
        podSelector: L.jaeger,
        ingress: [
          { peers: [pods(L.collector)], ports: tcp(ports.otlpGrpc, ports.otlpHttp) },
          { peers: [pods(L.grafana), ...(input.publicAccess ? [pods({ ...L.oauth2Proxy, "app.kubernetes.io/instance": "oauth2-proxy-traces" })] : [])], ports: tcp(ports.jaegerUi) },
        ],
      });
  }
  if (input.publicAccess)
    plan.push({
      name: "oauth2-proxy",
      podSelector: L.oauth2Proxy,
      ingress: [{ peers: [], ports: tcp(oauth2ProxyPort) }],
      egress: [
        { peers: [pods(L.prometheus)], ports: tcp(ports.prometheus) },
        { peers: [pods(L.alertmanager)], ports: tcp(ports.alertmanager) },
        ...(input.tracing === "jaeger" ? [{ peers: [pods(L.jaeger)], ports: tcp(ports.jaegerUi) }] : []),
        // The OIDC issuer (discovery, token and JWKS endpoints).
        https,
      ],
    });
  if (input.acmeSolver) plan.push({ name: "acme-http01-solver", podSelector: L.acmeSolver, ingress: [{ peers: [], ports: tcp(8089) }] });
  if (input.backup)
    plan.push({
      name: "backup",
      podSelector: L.backup,
      // Prometheus for the snapshot; S3 and STS (IRSA) over HTTPS.
      egress: [{ peers: [pods(L.prometheus)], ports: tcp(ports.prometheus) }, https],
    });
  return plan;
}

/** A plan entry as a NetworkPolicy spec. An empty `peers` list admits every source (or destination). */
export function networkPolicySpec(p: PolicyPlan): Record<string, unknown> {
  const rule = (dir: "from" | "to") => (r: FlowRule) => ({ ...(r.peers.length > 0 ? { [dir]: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) });
  return {
    podSelector: Object.keys(p.podSelector).length > 0 ? { matchLabels: p.podSelector } : {},
    policyTypes: [...(p.ingress ? ["Ingress"] : []), ...(p.egress ? ["Egress"] : [])],
    ...(p.ingress ? { ingress: p.ingress.map(rule("from")) } : {}),
    ...(p.egress ? { egress: p.egress.map(rule("to")) } : {}),
  };
}

export interface NetworkPoliciesArgs extends Omit<NetworkPlanInput, "namespace"> {
  target: KubernetesTarget;
}

export class NetworkPolicies extends pulumi.ComponentResource {
  readonly names: string[];

  constructor(name: string, args: NetworkPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("watchpost:production:NetworkPolicies", name, {}, opts);
    const { target, ...input } = args;
    const plan = networkPolicyPlan({ ...input, namespace: target.namespaceName });
    for (const p of plan) {
      new k8s.networking.v1.NetworkPolicy(
        `${name}-${p.name}`,
        { metadata: { namespace: target.namespace, name: `watchpost-${p.name}` }, spec: networkPolicySpec(p) as unknown as k8s.types.input.networking.v1.NetworkPolicySpec },
        { parent: this, provider: target.provider, dependsOn: target.dependsOn },
      );
    }
    this.names = plan.map((p) => `watchpost-${p.name}`);
    this.registerOutputs({});
  }
}
