import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { charts, images } from "../model/versions";
import { readStackFile, stackFilePath } from "../infra/config/load";
import type { AwsWiring } from "../components/production/wiring";
import { grafanaAdminPasswordReset } from "../components/grafana/render";
import { outputValue, runStack } from "../harness/pulumi-mocks";
import { handWiring, role } from "./support/wiring";
import { prodSecrets } from "../harness/stacks";

const secretValue = (key: string) => `SECRET-VALUE-OF-${key}`;
let run: Awaited<ReturnType<typeof runStack>>;
const releases = () => run.byType("kubernetes:helm.sh/v3:Release");
const release = (name: string) => {
  const r = releases().find((x) => x.inputs.name === name);
  if (!r)
    throw new Error(
      `no release ${name}; have ${releases()
        .map((x) => x.inputs.name)
        .join(", ")}`,
    );
  return r;
};
const customResources = (kind: string) => run.resources.filter((r) => r.inputs.kind === kind && r.type.startsWith("kubernetes:monitoring.coreos.com"));

describe("prod stack under Pulumi mocks (EKS)", () => {
  beforeAll(async () => {
    const raw = readStackFile(stackFilePath("prod"));
    run = await runStack("prod", { values: raw.values, secrets: new Set(prodSecrets) }, secretValue);
  });

  it("installs the prometheus-operator CRDs from their pinned chart as their own step, before the chart, which installs none", () => {
    const crds = run.one("kubernetes:helm.sh/v3:Release", "metrics-crds");
    expect(crds.inputs).toMatchObject({
      name: "prometheus-operator-crds",
      chart: "prometheus-operator-crds",
      version: charts.prometheusOperatorCrds.version,
      repositoryOpts: { repo: charts.prometheusOperatorCrds.repo },
    });
    expect(run.byType("kubernetes:yaml/v2:ConfigFile")).toEqual([]);
    expect(run.resources.some((r) => JSON.stringify(r.inputs).includes("stripped-down-crds"))).toBe(false);
    const kps = release("watchpost-kps");
    expect(kps.dependencies.some((urn) => urn.endsWith("::metrics-crds"))).toBe(true);
    expect(crds.dependencies.some((urn) => urn.endsWith("::watchpost-kps") || urn.endsWith("::metrics-kps"))).toBe(false);
    expect(kps.inputs.chart).toBe("kube-prometheus-stack");
    expect(kps.inputs.version).toBe(charts.kubePrometheusStack.version);
    expect(kps.inputs.skipCrds).toBe(true);
    expect(kps.inputs.values.crds.enabled).toBe(false);
  });

  it("installs exactly the expected charts at pinned versions", () => {
    const names = releases()
      .map((r) => `${r.inputs.name}@${r.inputs.version}`)
      .sort();
    expect(names).toEqual([
      `alloy@${charts.alloy.version}`,
      `aws-load-balancer-controller@${charts.awsLoadBalancerController.version}`,
      `blackbox-exporter@${charts.blackboxExporter.version}`,
      `loki@${charts.loki.version}`,
      `otel-collector@${charts.otelCollector.version}`,
      `prometheus-operator-crds@${charts.prometheusOperatorCrds.version}`,
      `tempo@${charts.tempo.version}`,
      `watchpost-kps@${charts.kubePrometheusStack.version}`,
    ]);
  });

  it("runs 2 Prometheus replicas with a replica label, retention from config and a gp3 volume", () => {
    const spec = release("watchpost-kps").inputs.values.prometheus.prometheusSpec;
    expect(spec.replicas).toBe(2);
    expect(spec.replicaExternalLabelName).toBe("prometheus_replica");
    expect(spec.retention).toBe("30d");
    expect(spec.retentionSize).toMatch(/^\d+MB$/);
    expect(spec.storageSpec.volumeClaimTemplate.spec.storageClassName).toBe("watchpost-gp3");
    expect(release("watchpost-kps").inputs.values.prometheus.podDisruptionBudget.enabled).toBe(true);
    const sc = run.one("kubernetes:storage.k8s.io/v1:StorageClass", "gp3").inputs;
    expect(sc.parameters).toEqual({ type: "gp3", encrypted: "true", fsType: "ext4", tagSpecification_1: "watchpost.io/backup=true" });
    expect(sc.allowVolumeExpansion).toBe(true);
    expect(sc.reclaimPolicy).toBe("Retain");
  });

  it("sends alerts to every Alertmanager replica through endpoints, never a load balancer", () => {
    const spec = release("watchpost-kps").inputs.values.prometheus.prometheusSpec;
    expect(spec.alertingEndpoints).toEqual([{ namespace: "monitoring", name: "alertmanager-operated", port: "http-web", apiVersion: "v2" }]);
    const am = customResources("Alertmanager");
    expect(am).toHaveLength(1);
    expect(am[0].inputs.spec.replicas).toBe(3);
    expect(am[0].inputs.spec.configSecret).toBe("watchpost-alertmanager-config");
    const pdb = run.one("kubernetes:policy/v1:PodDisruptionBudget", "alerting-pdb").inputs;
    expect(pdb.spec.maxUnavailable).toBe(1);
  });

  it("turns off the control-plane scrapes EKS cannot serve", () => {
    const v = release("watchpost-kps").inputs.values;
    for (const key of ["kubeControllerManager", "kubeScheduler", "kubeProxy", "kubeEtcd"]) expect(v[key].enabled).toBe(false);
  });

  it("loads the rule catalogue as PrometheusRule objects and services through ServiceMonitors", () => {
    expect(customResources("PrometheusRule").length).toBeGreaterThan(0);
    const sm = customResources("ServiceMonitor");
    expect(sm.map((s) => s.inputs.metadata.name)).toEqual(["watchpost-api"]);
    expect(sm[0].inputs.spec.namespaceSelector.matchNames).toEqual(["apps"]);
    expect(sm[0].inputs.spec.endpoints[0].relabelings).toContainEqual({ action: "replace", targetLabel: "service", replacement: "api" });
  });

  it("wires Grafana's datasources to the in-cluster services with fixed uids", () => {
    const grafana = release("watchpost-kps").inputs.values.grafana;
    const byUid = Object.fromEntries(grafana.additionalDataSources.map((d: any) => [d.uid, d.url]));
    expect(byUid).toEqual({
      "watchpost-prometheus": "http://watchpost-kps-prometheus.monitoring.svc:9090",
      "watchpost-alertmanager": "http://alertmanager-operated.monitoring.svc:9093",
      "watchpost-loki": "http://loki.monitoring.svc:3100",
      "watchpost-tempo": "http://tempo.monitoring.svc:3200",
    });
    expect(grafana.admin.existingSecret).toBe("watchpost-grafana-admin");
    expect(grafana.sidecar.datasources.defaultDatasourceEnabled).toBe(false);
    expect(grafana["grafana.ini"]["auth.anonymous"].enabled).toBe(false);
  });

  it("gives an existing Grafana database the admin password of the current Secret before Grafana starts (the claim outlives destroy, the generated password does not)", () => {
    const grafana = release("watchpost-kps").inputs.values.grafana;
    const [reset] = grafana.extraInitContainers;
    expect(reset.command).toEqual(["/bin/sh", "-c", grafanaAdminPasswordReset("/etc/grafana-admin/admin-password")]);
    expect(reset.command[2]).toContain('if [ -f "$GF_PATHS_DATA/grafana.db" ]');
    // The same pinned image as Grafana itself, so the CLI matches the database's schema.
    expect(reset.image).toBe(images.grafana);
    expect(`${grafana.image.repository}:${grafana.image.tag}`).toBe(images.grafana);
    expect(reset.volumeMounts.map((m: { name: string }) => m.name)).toEqual(["storage", "config", "admin-password"]);
    expect(grafana.extraContainerVolumes).toEqual([
      { name: "admin-password", secret: { secretName: "watchpost-grafana-admin", items: [{ key: "admin-password", path: "admin-password" }], defaultMode: 0o440 } },
    ]);
    expect(grafana.persistence.annotations).toEqual({ "helm.sh/resource-policy": "keep" });
  });

  it("lets Grafana's sidecars read ConfigMaps of the monitoring namespace only: a Role of its own, no ClusterRole, no Secrets", () => {
    const grafana = release("watchpost-kps").inputs.values.grafana;
    expect(grafana.rbac).toEqual({ namespaced: true, useExistingRole: "watchpost-grafana-sidecar" });
    for (const sidecar of ["dashboards", "datasources"]) {
      expect(grafana.sidecar[sidecar].searchNamespace, sidecar).toBe("monitoring");
      expect(grafana.sidecar[sidecar].resource, sidecar).toBe("configmap");
    }
    const role = run.one("kubernetes:rbac.authorization.k8s.io/v1:Role", "metrics-grafana-sidecar").inputs;
    expect(role.metadata).toMatchObject({ namespace: "monitoring", name: "watchpost-grafana-sidecar" });
    expect(role.rules).toEqual([{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] }]);
    expect(run.byType("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole")).toEqual([]);
  });

  it("points Alloy at Loki and the collector at Tempo", () => {
    expect(release("alloy").inputs.values.alloy.configMap.content).toContain('url = "http://loki.monitoring.svc:3100/loki/api/v1/push"');
    const otel = release("otel-collector").inputs.values;
    expect(otel.mode).toBe("deployment");
    expect(otel.image.repository).toBe("otel/opentelemetry-collector-contrib");
    expect(otel.config.exporters["otlp_grpc/traces"].endpoint).toBe("tempo.monitoring.svc:4317");
  });

  it("keeps channel credentials in a Secret only, never in alertmanager.yaml", async () => {
    const config = run.one("kubernetes:core/v1:Secret", "alerting-config").inputs.stringData["alertmanager.yaml"];
    expect(config).not.toContain("SECRET-VALUE-OF");
    const doc = parse(config);
    expect(JSON.stringify(doc)).toContain("/etc/alertmanager/secrets/");
    const credentials = run.one("kubernetes:core/v1:Secret", "alerting-credentials");
    expect(credentials.secretInputs).toContain("stringData");
    const creds = credentials.inputs.stringData;
    expect(Object.keys(creds).sort()).toEqual(["heartbeatUrl", "pagerdutyRoutingKey", "slackWebhookUrl", "smtpPassword"]);
    for (const r of run.resources) {
      if (["alerting-credentials", "metrics-grafana-admin", "public-access-oauth2-proxy"].includes(r.name)) continue;
      expect(JSON.stringify(r.inputs)).not.toContain("SECRET-VALUE-OF");
    }
    expect(await pulumi.isSecret(run.outputs.grafanaAdminPassword)).toBe(true);
  });

  it("derives the kubeconfig from the EKS cluster name with token auth", () => {
    const provider = run.one("pulumi:providers:kubernetes", "eks");
    expect(provider.secretInputs).toContain("kubeconfig");
    expect(provider.inputs.kubeconfig).toContain("get-token");
    expect(provider.inputs.kubeconfig).toContain("watchpost-prod");
  });
});

describe("prod stack: public access (ingress, TLS, sign-in)", () => {
  const ingresses = () => run.byType("kubernetes:networking.k8s.io/v1:Ingress");
  const ingress = (role: string) => run.one("kubernetes:networking.k8s.io/v1:Ingress", `public-access-${role}`).inputs;
  const backendOf = (ing: any) => ing.spec.rules[0].http.paths[0].backend.service;

  it("serves Grafana, Prometheus and Alertmanager over HTTPS on one ALB, TLS 1.2+, HTTP redirected", () => {
    expect(
      ingresses()
        .map((i) => i.inputs.metadata.name)
        .sort(),
    ).toEqual(["watchpost-alertmanager", "watchpost-grafana", "watchpost-prometheus"]);
    for (const ing of ingresses().map((i) => i.inputs)) {
      const a = ing.metadata.annotations;
      expect(ing.spec.ingressClassName).toBe("alb");
      expect(a["alb.ingress.kubernetes.io/scheme"]).toBe("internet-facing");
      expect(a["alb.ingress.kubernetes.io/target-type"]).toBe("ip");
      expect(JSON.parse(a["alb.ingress.kubernetes.io/listen-ports"])).toEqual([{ HTTP: 80 }, { HTTPS: 443 }]);
      expect(a["alb.ingress.kubernetes.io/ssl-redirect"]).toBe("443");
      expect(a["alb.ingress.kubernetes.io/ssl-policy"]).toBe("ELBSecurityPolicy-TLS13-1-2-2021-06");
      expect(a["alb.ingress.kubernetes.io/group.name"]).toBe("watchpost-monitoring");
      expect(ing.spec.tls[0].hosts).toEqual([ing.spec.rules[0].host]);
    }
    expect(ingress("grafana").spec.rules[0].host).toBe("grafana.monitoring.example.com");
  });

  it("puts Prometheus and Alertmanager behind oauth2-proxy, never straight at the UI; Grafana keeps its own login", () => {
    expect(backendOf(ingress("prometheus"))).toEqual({ name: "oauth2-proxy-prometheus", port: { number: 4180 } });
    expect(backendOf(ingress("alertmanager"))).toEqual({ name: "oauth2-proxy-alertmanager", port: { number: 4180 } });
    expect(backendOf(ingress("grafana"))).toEqual({ name: "watchpost-kps-grafana", port: { number: 80 } });
    const proxy = run.one("kubernetes:apps/v1:Deployment", "public-access-oauth2-proxy-prometheus").inputs.spec.template.spec.containers[0];
    expect(proxy.args).toEqual(
      expect.arrayContaining([
        "--provider=oidc",
        "--oidc-issuer-url=https://accounts.google.com",
        "--client-id=watchpost-prod.apps.googleusercontent.com",
        "--email-domain=example.com",
        "--upstream=http://watchpost-kps-prometheus.monitoring.svc:9090/",
        "--redirect-url=https://prometheus.monitoring.example.com/oauth2/callback",
        "--reverse-proxy=true",
        "--cookie-secure=true",
        "--skip-provider-button=true",
      ]),
    );
    expect(proxy.image).toBe(images.oauth2Proxy);
    expect(proxy.env.map((e: any) => e.valueFrom.secretKeyRef)).toEqual([
      { name: "watchpost-oauth2-proxy", key: "client-secret" },
      { name: "watchpost-oauth2-proxy", key: "cookie-secret" },
    ]);
    const am = run.one("kubernetes:apps/v1:Deployment", "public-access-oauth2-proxy-alertmanager").inputs.spec.template.spec.containers[0];
    expect(am.args).toContain("--upstream=http://alertmanager-operated.monitoring.svc:9093/");
    // Backups are on, so Prometheus runs with the admin API: the proxy answers /api/v1/admin/ itself (404), never forwarding it.
    expect(release("watchpost-kps").inputs.values.prometheus.prometheusSpec.enableAdminAPI).toBe(true);
    expect(proxy.args.filter((a: string) => a.startsWith("--upstream="))).toEqual([
      "--upstream=http://watchpost-kps-prometheus.monitoring.svc:9090/",
      "--upstream=file:///api-v1-admin-is-not-served#/api/v1/admin/",
    ]);
    expect(am.args.filter((a: string) => a.startsWith("--upstream="))).toHaveLength(1);
    const grafanaIni = release("watchpost-kps").inputs.values.grafana["grafana.ini"];
    expect(grafanaIni.server.root_url).toBe("https://grafana.monitoring.example.com");
    expect(grafanaIni["auth.anonymous"].enabled).toBe(false);
    expect(grafanaIni.users.allow_sign_up).toBe(false);
  });

  it("keeps the OIDC client secret and the generated cookie secret in a Secret, as Pulumi secrets", () => {
    const secret = run.one("kubernetes:core/v1:Secret", "public-access-oauth2-proxy");
    expect(secret.secretInputs).toContain("stringData");
    expect(secret.inputs.stringData["client-secret"]).toBe("SECRET-VALUE-OF-oidcClientSecret");
    expect(run.one("random:index/randomPassword:RandomPassword", "public-access-oauth2-proxy-cookie-secret").inputs.length).toBe(32);
  });

  it("installs the AWS Load Balancer Controller in kube-system with the IRSA service account name", () => {
    const lbc = release("aws-load-balancer-controller").inputs;
    expect(lbc.namespace).toBe("kube-system");
    expect(lbc.values.clusterName).toBe("watchpost-prod");
    expect(lbc.values.serviceAccount.name).toBe("aws-load-balancer-controller");
    expect(lbc.values.ingressClass).toBe("alb");
    expect([lbc.values.enableShield, lbc.values.enableWaf, lbc.values.enableWafv2]).toEqual([false, false, false]);
  });

  it("exports the public https URLs; traces (Tempo) are browsed in Grafana Explore", async () => {
    expect(await outputValue(run.outputs.grafanaUrl)).toBe("https://grafana.monitoring.example.com");
    expect(await outputValue(run.outputs.prometheusUrl)).toBe("https://prometheus.monitoring.example.com");
    expect(await outputValue(run.outputs.alertmanagerUrls)).toEqual(["https://alertmanager.monitoring.example.com"]);
    expect(await outputValue(run.outputs.tracesUrl)).toMatch(/^https:\/\/grafana\.monitoring\.example\.com\/explore\?left=.*watchpost-tempo/);
  });
});

describe("prod stack variants: cert-manager TLS, Jaeger UI, no ingress", () => {
  const prodValues = () => readStackFile(stackFilePath("prod")).values as Record<string, any>;
  const secrets = new Set(prodSecrets);

  it("cert-manager: a Let's Encrypt ClusterIssuer, the configured IngressClass and a TLS Secret per host", async () => {
    const values = prodValues();
    values.ingress = { ...values.ingress, tls: "cert-manager", className: "traefik", controllerNamespace: "traefik", acmeEmail: "ops@example.com", acmeEnvironment: "staging" };
    values.tracing = { backend: "jaeger" };
    const v = await runStack("prod", { values, secrets }, secretValue);
    const cm = v.byType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === "cert-manager")!.inputs;
    expect(cm.namespace).toBe("cert-manager");
    expect(cm.values.crds.enabled).toBe(true);
    expect(v.byType("kubernetes:helm.sh/v3:Release").some((r) => r.inputs.name === "aws-load-balancer-controller")).toBe(false);
    const issuer = v.resources.find((r) => r.inputs.kind === "ClusterIssuer")!.inputs;
    expect(issuer.spec.acme.server).toBe("https://acme-staging-v02.api.letsencrypt.org/directory");
    expect(issuer.spec.acme.email).toBe("ops@example.com");
    expect(issuer.spec.acme.solvers).toEqual([{ http01: { ingress: { ingressClassName: "traefik" } } }]);
    const ings = v.byType("kubernetes:networking.k8s.io/v1:Ingress").map((i) => i.inputs);
    expect(ings.map((i) => i.metadata.name).sort()).toEqual(["watchpost-alertmanager", "watchpost-grafana", "watchpost-prometheus", "watchpost-traces"]);
    for (const ing of ings) {
      expect(ing.spec.ingressClassName).toBe("traefik");
      expect(ing.metadata.annotations).toEqual({ "cert-manager.io/cluster-issuer": issuer.metadata.name });
      expect(ing.spec.tls).toEqual([{ hosts: [ing.spec.rules[0].host], secretName: `${ing.spec.rules[0].host.replace(/\./g, "-")}-tls` }]);
    }
    const traces = ings.find((i) => i.metadata.name === "watchpost-traces")!;
    expect(traces.spec.rules[0].http.paths[0].backend.service.name).toBe("oauth2-proxy-traces");
    const proxy = v.one("kubernetes:apps/v1:Deployment", "public-access-oauth2-proxy-traces").inputs.spec.template.spec.containers[0];
    expect(proxy.args).toContain("--upstream=http://jaeger.monitoring.svc:16686/");
    expect(await outputValue(v.outputs.tracesUrl)).toBe("https://traces.monitoring.example.com");
  });

  it("without ingress.domain: no Ingress, no controller, no oauth2-proxy", async () => {
    const values = prodValues();
    delete values.ingress;
    const v = await runStack("prod", { values, secrets }, secretValue);
    expect(v.byType("kubernetes:networking.k8s.io/v1:Ingress")).toHaveLength(0);
    expect(v.byType("kubernetes:apps/v1:Deployment")).toHaveLength(0);
    expect(v.byType("kubernetes:helm.sh/v3:Release").map((r) => r.inputs.name)).not.toContain("aws-load-balancer-controller");
  });
});

describe("prod stack: remote write with credentials", () => {
  it("references the password in a Secret from the Prometheus CR; the value is a Pulumi secret and appears nowhere else", async () => {
    const values = readStackFile(stackFilePath("prod")).values as Record<string, any>;
    values.prometheus = { ...values.prometheus, remoteWrite: [{ url: "https://mimir.example.com/api/v1/push", basicAuth: { username: "writer" } }] };
    const v = await runStack("prod", { values, secrets: new Set([...prodSecrets, "remoteWritePassword"]) }, secretValue);
    const kps = v.byType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === "watchpost-kps")!;
    const ref = (key: string) => ({ name: "watchpost-remote-write-credentials", key });
    expect(kps.inputs.values.prometheus.prometheusSpec.remoteWrite).toContainEqual({
      url: "https://mimir.example.com/api/v1/push",
      basicAuth: { username: ref("username"), password: ref("password") },
    });
    const secret = v.one("kubernetes:core/v1:Secret", "metrics-remote-write-credentials");
    expect(secret.secretInputs).toContain("stringData");
    expect(secret.inputs.metadata.name).toBe("watchpost-remote-write-credentials");
    expect(secret.inputs.stringData).toEqual({ username: "writer", password: "SECRET-VALUE-OF-remoteWritePassword" });
    for (const r of v.resources) if (r !== secret) expect(JSON.stringify(r.inputs), `${r.type}/${r.name}`).not.toContain("SECRET-VALUE-OF-remoteWritePassword");
  });
});

describe("prod stack: pod security and network policies", () => {
  const policy = (name: string) => run.one("kubernetes:networking.k8s.io/v1:NetworkPolicy", `network-${name}`).inputs.spec;

  it("enforces Pod Security restricted on the monitoring namespace; only the node exporter runs in a privileged agents namespace", () => {
    const ns = run.one("kubernetes:core/v1:Namespace", "namespace").inputs;
    expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    const agents = run.one("kubernetes:core/v1:Namespace", "agents-namespace").inputs;
    expect(agents.metadata.name).toBe("monitoring-agents");
    expect(agents.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("privileged");
    const kps = release("watchpost-kps").inputs.values;
    expect(kps["prometheus-node-exporter"].namespaceOverride).toBe("monitoring-agents");
    // Alloy reads pod logs through the API, so it needs no host access and stays in the restricted namespace.
    const alloy = release("alloy").inputs;
    expect(alloy.namespace).toBe("monitoring");
    expect(alloy.values.alloy.mounts).toMatchObject({ varlog: false, dockercontainers: false });
    expect(alloy.values.alloy.mounts.extra).toEqual([{ name: "alloy-storage", mountPath: "/tmp/alloy" }]);
    expect(alloy.values.controller.volumes.extra).toEqual([{ name: "alloy-storage", emptyDir: {} }]);
  });

  it("denies all traffic in the namespace by default and admits DNS to kube-dns only", () => {
    expect(policy("default-deny")).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [], egress: [] });
    const dns = policy("dns").egress[0];
    expect(dns.to[0].podSelector.matchLabels).toEqual({ "k8s-app": "kube-dns" });
    expect(dns.ports).toEqual([
      { port: 53, protocol: "UDP" },
      { port: 53, protocol: "TCP" },
    ]);
  });

  it("admits exactly the stack's flows, each as a named policy", () => {
    const names = run
      .byType("kubernetes:networking.k8s.io/v1:NetworkPolicy")
      .map((p) => p.inputs.metadata.name)
      .sort();
    expect(names).toEqual(
      [
        "admission-create",
        "admission-patch",
        "alertmanager",
        "alloy",
        "backup",
        "default-deny",
        "dns",
        "exporter-blackbox",
        "grafana",
        "kube-state-metrics",
        "loki",
        "oauth2-proxy",
        "otel-collector",
        "prometheus",
        "prometheus-operator",
        "scrape-from-prometheus",
        "tempo",
      ].map((n) => `watchpost-${n}`),
    );
  });

  it("Alertmanager: gossip between replicas on 9094 TCP and UDP, notifications out on 443 and the SMTP port", () => {
    const am = policy("alertmanager");
    const gossip = [
      { port: 9094, protocol: "TCP" },
      { port: 9094, protocol: "UDP" },
    ];
    expect(am.egress).toContainEqual({ to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "alertmanager" } } }], ports: gossip });
    expect(am.ingress).toContainEqual({ from: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "alertmanager" } } }], ports: gossip });
    expect(am.egress).toContainEqual({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 443, protocol: "TCP" }] });
    expect(am.egress).toContainEqual({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 587, protocol: "TCP" }] });
  });

  it("applications of the services' namespaces (apps) reach the collector on OTLP only; the collector reaches Tempo only", () => {
    const otel = policy("otel-collector");
    expect(otel.podSelector.matchLabels).toEqual({ "app.kubernetes.io/name": "opentelemetry-collector" });
    expect(otel.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "apps" } } }],
        ports: [
          { port: 4317, protocol: "TCP" },
          { port: 4318, protocol: "TCP" },
        ],
      },
    ]);
    expect(otel.egress).toEqual([
      {
        to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "tempo" } } }],
        ports: [
          { port: 4317, protocol: "TCP" },
          { port: 4318, protocol: "TCP" },
        ],
      },
    ]);
  });

  it("Grafana and oauth2-proxy take users from the ALB's addresses (the VPC of an existing cluster) on their one port; Prometheus only from Grafana, its oauth2-proxy and the snapshot job", () => {
    const alb = [{ ipBlock: { cidr: "10.0.0.0/16" } }];
    expect(policy("grafana").ingress).toEqual([{ from: alb, ports: [{ port: 3000, protocol: "TCP" }] }]);
    expect(policy("oauth2-proxy").ingress).toEqual([{ from: alb, ports: [{ port: 4180, protocol: "TCP" }] }]);
    expect(policy("prometheus-operator").ingress).toEqual([{ from: alb, ports: [{ port: 10250, protocol: "TCP" }] }]);
    expect(policy("exporter-blackbox").egress).toEqual([
      {
        to: [{ ipBlock: { cidr: "0.0.0.0/0" } }, { namespaceSelector: {} }],
        ports: [
          { port: 80, protocol: "TCP" },
          { port: 443, protocol: "TCP" },
        ],
      },
    ]);
    const prom = policy("prometheus").ingress.map((r: any) => r.from[0].podSelector.matchLabels);
    expect(prom).toEqual([
      { "app.kubernetes.io/name": "grafana" },
      { "app.kubernetes.io/name": "oauth2-proxy", "app.kubernetes.io/instance": "oauth2-proxy-prometheus" },
      { "app.kubernetes.io/name": "watchpost-backup" },
    ]);
    expect(policy("grafana").egress.map((r: any) => r.ports[0].port)).toEqual([9090, 9093, 3100, 3200, 443]);
  });
});

/** The stack with a hand-made AWS wiring, so the assertions below can name exact buckets and roles. */
async function runWithAws(values: Record<string, unknown>, aws: AwsWiring) {
  const secrets = new Set([...prodSecrets, "elasticsearchPassword"]);
  const run = await runStack("prod", { values, secrets }, (key) => `SECRET-VALUE-OF-${key}`, { aws });
  const resources = run.resources.map((r) => ({ ...r, secret: r.secretPaths.length > 0 }));
  const rel = (name: string) => resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.name === name)!.inputs;
  const one = (type: string, name: string) => resources.find((r) => r.type === type && r.name === name)!;
  return { resources, rel, one };
}

const aws = handWiring;

describe("prod stack with the AWS wiring (target.aws)", () => {
  let w: Awaited<ReturnType<typeof runWithAws>>;
  beforeAll(async () => {
    const values = structuredClone(readStackFile(stackFilePath("prod")).values) as Record<string, any>;
    values.exporters = { elasticsearch: { url: "http://es.internal:9200", username: "monitor" } };
    w = await runWithAws(values, aws);
  });

  it("ALB: the ACM certificate on every Ingress; the controller with its IRSA role, cluster, region and VPC", () => {
    for (const ing of w.resources.filter((r) => r.type === "kubernetes:networking.k8s.io/v1:Ingress"))
      expect(ing.inputs.metadata.annotations["alb.ingress.kubernetes.io/certificate-arn"]).toBe(aws.certificateArn);
    const lbc = w.rel("aws-load-balancer-controller").values;
    expect(lbc.serviceAccount).toEqual({ create: true, name: "aws-load-balancer-controller", annotations: { "eks.amazonaws.com/role-arn": role("lbc") } });
    expect([lbc.clusterName, lbc.region, lbc.vpcId]).toEqual(["watchpost-prod", "eu-west-1", "vpc-0123456789abcdef0"]);
  });

  it("Loki keeps chunks and index in S3 through its IRSA service account; the WAL stays on the gp3 PVC", () => {
    const v = w.rel("loki").values;
    expect(v.loki.storage).toEqual({ type: "s3", bucketNames: { chunks: "wp-loki", ruler: "wp-loki" }, s3: { region: "eu-west-1" } });
    expect(v.loki.schemaConfig.configs[0].object_store).toBe("s3");
    expect(v.loki.compactor.delete_request_store).toBe("s3");
    expect(v.serviceAccount).toEqual({ create: true, name: "loki", annotations: { "eks.amazonaws.com/role-arn": role("loki") } });
    expect(v.singleBinary.persistence).toMatchObject({ enabled: true, storageClass: "watchpost-gp3" });
  });

  it("Tempo keeps traces in S3 through its IRSA service account; the WAL stays local", () => {
    const v = w.rel("tempo").values;
    const config = parse(v.config);
    expect(config.storage.trace.backend).toBe("s3");
    expect(config.storage.trace.s3).toEqual({ bucket: "wp-tempo", endpoint: "s3.eu-west-1.amazonaws.com", region: "eu-west-1" });
    expect(config.storage.trace.wal.path).toBeTruthy();
    expect(v.serviceAccount).toEqual({ create: true, name: "tempo", annotations: { "eks.amazonaws.com/role-arn": role("tempo") } });
  });

  it("Prometheus remote-writes to AMP with SigV4 as the IRSA service account, and enables the admin API for snapshots", () => {
    const p = w.rel("watchpost-kps").values.prometheus;
    expect(p.prometheusSpec.remoteWrite).toContainEqual({ url: aws.remoteWrite!.url, sigv4: { region: "eu-west-1" } });
    expect(p.serviceAccount).toEqual({ create: true, name: "watchpost-prometheus", annotations: { "eks.amazonaws.com/role-arn": role("prometheus") } });
    expect(p.prometheusSpec.enableAdminAPI).toBe(true);
  });

  it("snapshots the TSDB on schedule and uploads it to s3://<backups>/prometheus/<timestamp>/ from the Prometheus node", () => {
    const sa = w.one("kubernetes:core/v1:ServiceAccount", "backup-service-account").inputs;
    expect(sa.metadata.name).toBe("watchpost-backup");
    expect(sa.metadata.annotations).toEqual({ "eks.amazonaws.com/role-arn": role("backup") });
    const cron = w.one("kubernetes:batch/v1:CronJob", "backup-prometheus-snapshot").inputs.spec;
    expect(cron.schedule).toBe("30 2 * * *");
    expect(cron.concurrencyPolicy).toBe("Forbid");
    const pod = cron.jobTemplate.spec.template.spec;
    expect(pod.serviceAccountName).toBe("watchpost-backup");
    expect(pod.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]).toEqual({
      labelSelector: { matchLabels: { "statefulset.kubernetes.io/pod-name": "prometheus-watchpost-kps-prometheus-0" } },
      topologyKey: "kubernetes.io/hostname",
    });
    expect(pod.volumes[0]).toEqual({
      name: "prometheus-data",
      persistentVolumeClaim: { claimName: "prometheus-watchpost-kps-prometheus-db-prometheus-watchpost-kps-prometheus-0" },
    });
    expect(pod.initContainers[0].image).toBe(images.curl);
    expect(pod.initContainers[0].command[2]).toContain("-X POST http://prometheus-watchpost-kps-prometheus-0.prometheus-operated.monitoring.svc:9090/api/v1/admin/tsdb/snapshot");
    const upload = pod.containers[0];
    expect(upload.image).toBe(images.awsCli);
    expect(upload.command[2]).toContain('aws s3 cp --recursive --only-show-errors "$src" "s3://$BUCKET/prometheus/$stamp/"');
    expect(upload.command[2]).toContain('src="/prometheus/prometheus-db/snapshots/$name"');
    expect(upload.env).toContainEqual({ name: "BUCKET", value: "wp-backups" });
    expect(w.resources.some((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy" && r.inputs.metadata.name === "watchpost-backup")).toBe(true);
  });

  it("Elasticsearch exporter: username in values, password from the credentials Secret by reference only", () => {
    const v = w.rel("elasticsearch-exporter").values;
    expect(v.env).toEqual({ ES_USERNAME: "monitor" });
    expect(v.extraEnvSecrets).toEqual({ ES_PASSWORD: { secret: "elasticsearch-exporter-credentials", key: "password" } });
    const secret = w.one("kubernetes:core/v1:Secret", "metrics-elasticsearch-exporter-credentials");
    expect(secret.secret).toBe(true);
    expect(JSON.stringify(v)).not.toContain("SECRET-VALUE-OF");
  });
});

describe("prod stack: the AWS side reaches the Kubernetes side", () => {
  let run: Awaited<ReturnType<typeof runStack>>;
  beforeAll(async () => {
    const raw = readStackFile(stackFilePath("prod"));
    const values = { ...raw.values, prometheus: { ...(raw.values.prometheus as object), amp: { enabled: true } } };
    run = await runStack("prod", { values, secrets: new Set(prodSecrets) }, (key) => `SECRET-VALUE-OF-${key}`);
  });
  const bucketOf = (role: string) => run.one("aws:s3/bucket:Bucket", `${role}-bucket`);
  const rel = (name: string) => run.byType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === name)!.inputs;

  it("puts Loki's chunks in the bucket the stack made, under the IRSA role trusted for Loki's service account", async () => {
    const loki = rel("loki").values;
    const bucket = `${bucketOf("loki").inputs.bucketPrefix}0123abcd`;
    expect(loki.loki.storage.bucketNames).toEqual({ chunks: bucket, ruler: bucket });
    expect(loki.serviceAccount.annotations["eks.amazonaws.com/role-arn"]).toMatch(/^arn:aws:iam::\d+:role\/loki/);
  });

  it("remote-writes to the AMP workspace it made, signed with SigV4, as the Prometheus service account", () => {
    const prom = rel("watchpost-kps").values.prometheus;
    expect(prom.prometheusSpec.remoteWrite).toContainEqual({
      url: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-0123/api/v1/remote_write",
      sigv4: { region: "eu-west-1" },
    });
    expect(prom.serviceAccount.annotations["eks.amazonaws.com/role-arn"]).toMatch(/^arn:aws:iam::\d+:role\/prometheus/);
  });

  it("tags every EBS volume for the AWS Backup selection and exports the AWS names", async () => {
    const sc = run.one("kubernetes:storage.k8s.io/v1:StorageClass", "gp3");
    expect(sc.inputs.parameters.tagSpecification_1).toBe("watchpost.io/backup=true");
    const aws = await outputValue(pulumi.all(run.outputs.aws ?? {}));
    expect(Object.keys(aws ?? {}).sort()).toEqual(
      [
        "ampRemoteWriteUrl",
        "backupVaultArn",
        "backupsBucket",
        "backupsRoleArn",
        "certificateArn",
        "loadBalancerControllerRoleArn",
        "lokiBucket",
        "lokiRoleArn",
        "prometheusRoleArn",
        "tempoBucket",
        "tempoRoleArn",
      ].sort(),
    );
  });
});
