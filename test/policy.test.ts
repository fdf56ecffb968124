/**
 * Policy over everything the prod stack creates under Pulumi mocks, in its
 * variants: every pod (our manifests, and every workload each Helm release
 * will run, judged on the chart's defaults merged with our values) meets Pod
 * Security "restricted" and has requests and limits; every Ingress serves TLS;
 * every Secret's data is a Pulumi secret; data volumes are Retain.
 */
import { existsSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import type { AwsWiring } from "../components/production/wiring";
import { readStackFile, stackFilePath } from "../infra/config/load";
import type { RawStackConfig } from "../infra/config/validate";
import { chartDefaults, chartsWithoutValues, referenceDir } from "./charts/walk";
import { type Recorded, runStack } from "../harness/pulumi-mocks";
import { handWiring } from "./support/wiring";
import { exporterSecrets, prodSecrets } from "../harness/stacks";

export type Resource = Recorded;

export async function runProd(raw: RawStackConfig, aws: AwsWiring | undefined): Promise<Resource[]> {
  return (await runStack("prod", raw, (key) => `SECRET-VALUE-OF-${key}`, { aws })).resources;
}

const everySecret = [...prodSecrets, ...exporterSecrets];
export const everyExporter = {
  postgres: { host: "db.internal", user: "monitor" },
  redis: { address: "redis.internal:6379" },
  rabbitmq: { target: "rabbit.internal:15692" },
  nginx: { statusUrl: "http://web.internal/stub_status" },
  elasticsearch: { url: "http://es.internal:9200", username: "monitor" },
  mysql: { host: "mysql.internal", user: "monitor" },
};

/** The prod file with every exporter and a hand-made AWS wiring; and with Jaeger, cert-manager and the AWS side the stack creates. */
export const prodVariants: Record<string, { values: (v: Record<string, any>) => void; aws?: AwsWiring }> = {
  "acm, Tempo, AWS wiring": { values: (v) => (v.exporters = everyExporter), aws: handWiring },
  "Elasticsearch logs (ECK), every other exporter, AWS wiring": {
    values: (v) => {
      // The Elasticsearch exporter comes with the backend, wired to its cluster.
      const { elasticsearch: _, ...others } = everyExporter;
      v.exporters = others;
      v.logging = { backend: "elasticsearch" };
    },
    aws: handWiring,
  },
  "cert-manager, Jaeger, the AWS side as the stack creates it": {
    values: (v) => {
      v.exporters = everyExporter;
      v.tracing = { backend: "jaeger" };
      v.ingress = { ...v.ingress, tls: "cert-manager", className: "traefik", controllerNamespace: "traefik", acmeEmail: "ops@example.com" };
    },
  },
};

export async function runVariant(variant: (typeof prodVariants)[string]): Promise<Resource[]> {
  const raw = readStackFile(stackFilePath("prod"));
  const values = structuredClone(raw.values) as Record<string, any>;
  variant.values(values);
  return runProd({ values, secrets: new Set(everySecret) }, variant.aws);
}

// ---- what "restricted" means for one pod ----

const get = (obj: any, path: string): any => path.split(".").reduce((o, k) => (o == null ? undefined : o[k]), obj);

/** Pod Security "restricted" violations of one container, given its pod's and its own security context. */
export function restrictedViolations(pod: any = {}, container: any = {}): string[] {
  const out: string[] = [];
  const either = (k: string) => container?.[k] ?? pod?.[k];
  if (either("runAsNonRoot") !== true) out.push("runAsNonRoot is not true");
  if (either("runAsUser") === 0) out.push("runAsUser is 0");
  if (!["RuntimeDefault", "Localhost"].includes(either("seccompProfile")?.type)) out.push("no RuntimeDefault seccomp profile");
  if (container?.allowPrivilegeEscalation !== false) out.push("allowPrivilegeEscalation is not false");
  if (!(container?.capabilities?.drop ?? []).includes("ALL")) out.push("capabilities do not drop ALL");
  if ((container?.capabilities?.add ?? []).some((c: string) => c !== "NET_BIND_SERVICE")) out.push(`adds capabilities ${container.capabilities.add}`);
  if (container?.privileged === true) out.push("privileged");
  return out;
}

export function resourceViolations(r: any): string[] {
  return ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory"].filter((p) => get(r, p) === undefined).map((p) => `no ${p}`);
}

/**
 * Every pod template in a manifest we write ourselves (Deployment, CronJob, Job, ...), and those of the
 * ECK resources in the stack's namespace (Elasticsearch's node sets, Kibana). Filebeat's Beat runs in
 * the privileged agents namespace: its exception is checked on its own below.
 */
function podSpecs(r: Resource): Array<{ where: string; spec: any }> {
  const kind = r.type.split(":").pop();
  if (kind === "Deployment" || kind === "StatefulSet" || kind === "DaemonSet" || kind === "Job") return [{ where: r.name, spec: r.inputs.spec.template.spec }];
  if (kind === "CronJob") return [{ where: r.name, spec: r.inputs.spec.jobTemplate.spec.template.spec }];
  if (r.inputs.apiVersion === "elasticsearch.k8s.elastic.co/v1") return r.inputs.spec.nodeSets.map((n: any) => ({ where: `${r.name}/${n.name}`, spec: n.podTemplate.spec }));
  if (r.inputs.apiVersion === "kibana.k8s.elastic.co/v1") return [{ where: r.name, spec: r.inputs.spec.podTemplate.spec }];
  return [];
}

// ---- what each chart will run, and where its values put security contexts and resources ----

interface ChartContainer {
  name: string;
  /** Path of the container securityContext in the effective values; absent where the operator sets it (documented below). */
  securityContext?: string;
  resources: string;
}
interface ChartWorkload {
  release: string;
  name: string;
  enabled?: (v: any) => boolean;
  pod: string;
  containers: ChartContainer[];
}

/**
 * Prometheus and Alertmanager pods: the operator gives every container it generates
 * (prometheus/alertmanager, config-reloader, init-config-reloader) allowPrivilegeEscalation
 * false, a read-only root filesystem and drop ALL; the pod context comes from the CR.
 */
const operatorContainer = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };

const workloads: ChartWorkload[] = [
  {
    release: "watchpost-kps",
    name: "prometheus-operator",
    pod: "prometheusOperator.securityContext",
    containers: [{ name: "operator", securityContext: "prometheusOperator.containerSecurityContext", resources: "prometheusOperator.resources" }],
  },
  {
    release: "watchpost-kps",
    name: "admission webhook jobs",
    enabled: (v) => get(v, "prometheusOperator.admissionWebhooks.enabled") && get(v, "prometheusOperator.admissionWebhooks.patch.enabled"),
    pod: "prometheusOperator.admissionWebhooks.patch.securityContext",
    containers: [
      {
        name: "create",
        securityContext: "prometheusOperator.admissionWebhooks.createSecretJob.securityContext",
        resources: "prometheusOperator.admissionWebhooks.patch.resources",
      },
      { name: "patch", securityContext: "prometheusOperator.admissionWebhooks.patchWebhookJob.securityContext", resources: "prometheusOperator.admissionWebhooks.patch.resources" },
    ],
  },
  {
    release: "watchpost-kps",
    name: "prometheus",
    pod: "prometheus.prometheusSpec.securityContext",
    containers: [
      { name: "prometheus", resources: "prometheus.prometheusSpec.resources" },
      { name: "config-reloader", resources: "prometheusOperator.prometheusConfigReloader.resources" },
    ],
  },
  {
    release: "watchpost-kps",
    name: "grafana",
    pod: "grafana.securityContext",
    containers: [
      { name: "grafana", securityContext: "grafana.containerSecurityContext", resources: "grafana.resources" },
      { name: "sidecars", securityContext: "grafana.sidecar.securityContext", resources: "grafana.sidecar.resources" },
    ],
  },
  {
    release: "watchpost-kps",
    name: "kube-state-metrics",
    pod: "kube-state-metrics.securityContext",
    containers: [{ name: "ksm", securityContext: "kube-state-metrics.containerSecurityContext", resources: "kube-state-metrics.resources" }],
  },
  { release: "blackbox-exporter", name: "blackbox", pod: "podSecurityContext", containers: [{ name: "exporter", securityContext: "securityContext", resources: "resources" }] },
  { release: "postgres-exporter", name: "postgres", pod: "podSecurityContext", containers: [{ name: "exporter", securityContext: "securityContext", resources: "resources" }] },
  { release: "redis-exporter", name: "redis", pod: "podSecurityContext", containers: [{ name: "exporter", securityContext: "securityContext", resources: "resources" }] },
  {
    release: "elasticsearch-exporter",
    name: "elasticsearch",
    pod: "podSecurityContext",
    containers: [{ name: "exporter", securityContext: "securityContext", resources: "resources" }],
  },
  {
    release: "loki",
    name: "loki single binary",
    pod: "loki.podSecurityContext",
    containers: [
      { name: "loki", securityContext: "loki.containerSecurityContext", resources: "singleBinary.resources" },
      { name: "rules sidecar", securityContext: "sidecar.securityContext", resources: "sidecar.resources" },
    ],
  },
  {
    release: "alloy",
    name: "alloy",
    pod: "global.podSecurityContext",
    containers: [
      { name: "alloy", securityContext: "alloy.securityContext", resources: "alloy.resources" },
      { name: "config-reloader", securityContext: "configReloader.securityContext", resources: "configReloader.resources" },
    ],
  },
  { release: "otel-collector", name: "collector", pod: "podSecurityContext", containers: [{ name: "collector", securityContext: "securityContext", resources: "resources" }] },
  { release: "tempo", name: "tempo", pod: "securityContext", containers: [{ name: "tempo", securityContext: "tempo.securityContext", resources: "tempo.resources" }] },
  {
    release: "jaeger",
    name: "jaeger",
    pod: "jaeger.podSecurityContext",
    containers: [{ name: "jaeger", securityContext: "jaeger.securityContext", resources: "jaeger.resources" }],
  },
  { release: "eck-operator", name: "operator", pod: "podSecurityContext", containers: [{ name: "manager", securityContext: "securityContext", resources: "resources" }] },
  {
    release: "aws-load-balancer-controller",
    name: "controller",
    pod: "podSecurityContext",
    containers: [{ name: "controller", securityContext: "securityContext", resources: "resources" }],
  },
  ...["", "webhook.", "cainjector.", "startupapicheck."].map((prefix) => ({
    release: "cert-manager",
    name: `cert-manager ${prefix || "controller."}`.slice(0, -1),
    pod: `${prefix}securityContext`,
    containers: [{ name: "main", securityContext: `${prefix}containerSecurityContext`, resources: `${prefix}resources` }],
  })),
];

/** Parts of a chart Watchpost turns off (each would run a pod the table above does not cover). */
const disabledParts: Record<string, string[]> = {
  "watchpost-kps": ["alertmanager.enabled", "grafana.initChownData.enabled", "grafana.testFramework.enabled", "prometheusOperator.admissionWebhooks.deployment.enabled"],
  "blackbox-exporter": ["configReloader.enabled"],
  loki: ["gateway.enabled", "chunksCache.enabled", "resultsCache.enabled", "lokiCanary.enabled", "test.enabled", "minio.enabled"],
  tempo: ["tempoQuery.enabled"],
};

const isMap = (v: unknown): v is Record<string, any> => !!v && typeof v === "object" && !Array.isArray(v);
function merge(base: any, over: any): any {
  if (!isMap(base) || !isMap(over)) return over === undefined ? base : over;
  const out: Record<string, any> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v);
  return out;
}
const kpsSubcharts: Record<string, string> = { grafana: "grafana", "kube-state-metrics": "kube-state-metrics", "prometheus-node-exporter": "prometheus-node-exporter" };
function effectiveValues(release: Resource): any {
  const chart = release.inputs.chart as string;
  let defaults = chartDefaults(chart) as Record<string, any>;
  if (chart === "kube-prometheus-stack") for (const [key, sub] of Object.entries(kpsSubcharts)) defaults = { ...defaults, [key]: merge(chartDefaults(sub), defaults[key] ?? {}) };
  return merge(defaults, release.inputs.values);
}

const haveReference = existsSync(referenceDir);
const runs: Record<string, Resource[]> = {};

describe("policy: every object the prod stack creates", () => {
  beforeAll(async () => {
    for (const [name, variant] of Object.entries(prodVariants)) runs[name] = await runVariant(variant);
  }, 60_000);

  for (const variant of Object.keys(prodVariants)) {
    describe(variant, () => {
      const all = () => runs[variant];
      const ofType = (t: string) => all().filter((r) => r.type === t);
      const releases = () => ofType("kubernetes:helm.sh/v3:Release");

      it("runs every pod we write ourselves as restricted, read-only, with requests and limits", () => {
        const problems: string[] = [];
        const specs = all().flatMap(podSpecs);
        expect(specs.length).toBeGreaterThan(0);
        for (const { where, spec } of specs)
          for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
            for (const p of restrictedViolations(spec.securityContext, c.securityContext)) problems.push(`${where}/${c.name}: ${p}`);
            if (c.securityContext?.readOnlyRootFilesystem !== true) problems.push(`${where}/${c.name}: root filesystem is writable`);
            for (const p of resourceViolations(c.resources)) problems.push(`${where}/${c.name}: ${p}`);
            if (spec.hostNetwork || spec.hostPID || spec.hostIPC) problems.push(`${where}: host namespaces`);
            if ((spec.volumes ?? []).some((v: any) => v.hostPath)) problems.push(`${where}: hostPath volume`);
          }
        expect(problems).toEqual([]);
      });

      it("runs the Alertmanager CR pods as restricted with requests and limits", () => {
        const am = all().find((r) => r.inputs.kind === "Alertmanager")!.inputs.spec;
        const container = { ...operatorContainer, ...am.containers[0].securityContext };
        expect(restrictedViolations(am.securityContext, container)).toEqual([]);
        expect(resourceViolations(am.resources)).toEqual([]);
      });

      it.skipIf(!haveReference)("runs every pod of every chart as restricted with requests and limits (chart defaults merged with our values)", () => {
        const problems: string[] = [];
        const present = new Set(releases().map((r) => r.inputs.name));
        let checked = 0;
        for (const w of workloads) {
          if (!present.has(w.release)) continue;
          const values = effectiveValues(releases().find((r) => r.inputs.name === w.release)!);
          if (w.enabled && !w.enabled(values)) continue;
          const pod = get(values, w.pod);
          for (const c of w.containers) {
            checked++;
            const container = c.securityContext ? get(values, c.securityContext) : operatorContainer;
            for (const p of restrictedViolations(pod, container)) problems.push(`${w.release}/${w.name}/${c.name}: ${p}`);
            for (const p of resourceViolations(get(values, c.resources))) problems.push(`${w.release}/${w.name}/${c.name}: ${p}`);
          }
        }
        for (const [release, paths] of Object.entries(disabledParts)) {
          const r = releases().find((x) => x.inputs.name === release);
          if (!r) continue;
          const values = effectiveValues(r);
          for (const p of paths) if (get(values, p) !== false) problems.push(`${release}: ${p} is not false`);
        }
        expect(problems).toEqual([]);
        // Loki and Alloy bring four containers; the Elasticsearch backend's operator brings one.
        expect(checked).toBeGreaterThanOrEqual(present.has("loki") ? 17 : 16);
      });

      it.skipIf(!haveReference)("gives Grafana's sidecars no cluster-wide role and no Secrets to read (chart defaults merged with our values)", () => {
        const grafana = effectiveValues(releases().find((r) => r.inputs.name === "watchpost-kps")!).grafana;
        // rbac.namespaced false makes the chart bind a ClusterRole over every ConfigMap and Secret of the cluster.
        expect(grafana.rbac.namespaced).toBe(true);
        expect(grafana.rbac.extraClusterRoleRules ?? []).toEqual([]);
        expect(grafana.rbac.namespaces ?? []).toEqual([]);
        for (const name of ["dashboards", "datasources", "alerts", "plugins", "notifiers"]) {
          const sidecar = grafana.sidecar[name];
          if (!sidecar?.enabled) continue;
          expect(String(sidecar.searchNamespace ?? ""), `sidecar.${name}.searchNamespace`).not.toMatch(/ALL/);
          expect(sidecar.resource, `sidecar.${name}.resource`).toBe("configmap");
        }
        // The chart's own namespaced Role still grants Secrets; ours, named here, grants ConfigMaps only.
        const role = all().find((r) => r.type === "kubernetes:rbac.authorization.k8s.io/v1:Role" && r.inputs.metadata.name === grafana.rbac.useExistingRole);
        expect(role?.inputs.rules.flatMap((rule: any) => rule.resources)).toEqual(["configmaps"]);
      });

      it.skipIf(!haveReference)("covers every release with the workload table, but the CRD chart that runs no pod", () => {
        const covered = new Set(workloads.map((w) => w.release));
        for (const r of releases()) {
          if (r.inputs.chart in chartsWithoutValues) expect(r.inputs.values, `${r.inputs.name} sets values`).toEqual({});
          else expect(covered, `${r.inputs.name} has no entry in the workload table`).toContain(r.inputs.name);
        }
      });

      it("puts the node exporter, and with Elasticsearch logs Filebeat, and only them, in the privileged agents namespace; their limits are set", () => {
        const kps = releases().find((r) => r.inputs.name === "watchpost-kps")!.inputs.values;
        expect(kps["prometheus-node-exporter"].namespaceOverride).toBe("monitoring-agents");
        expect(resourceViolations(kps["prometheus-node-exporter"].resources)).toEqual([]);
        // What else lives there: Filebeat (a Beat resource), its ServiceAccount and its password's Secret.
        const inAgents = all()
          .filter((r) => r.inputs.metadata?.namespace === "monitoring-agents")
          .map((r) => r.inputs.kind ?? r.type.split(":").pop());
        const beat = all().find((r) => r.inputs.kind === "Beat");
        expect(inAgents.sort()).toEqual(beat ? ["Beat", "Secret", "ServiceAccount"] : []);
        if (beat) {
          const pod = beat.inputs.spec.daemonSet.podTemplate.spec;
          // The exception, as narrow as it goes: root for root's log files, read-only hostPath, no capability, no escalation.
          expect(pod.containers[0].securityContext).toEqual({ runAsUser: 0, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true });
          expect(pod.volumes.map((v: any) => v.hostPath.path)).toEqual(["/var/log/containers", "/var/log/pods"]);
          expect(pod.containers[0].volumeMounts.every((m: any) => m.readOnly)).toBe(true);
          expect(pod.hostNetwork ?? false).toBe(false);
          expect(resourceViolations(pod.containers[0].resources)).toEqual([]);
        }
        const namespaces = ofType("kubernetes:core/v1:Namespace").map((n) => [n.inputs.metadata.name, n.inputs.metadata.labels["pod-security.kubernetes.io/enforce"]]);
        expect(namespaces.filter(([, level]) => level !== "restricted")).toEqual([["monitoring-agents", "privileged"]]);
        for (const r of releases()) {
          const ns = r.inputs.namespace;
          expect(["monitoring", "cert-manager", "kube-system"], `${r.inputs.name} in ${ns}`).toContain(ns);
        }
      });

      it("serves every Ingress host over TLS; ALB listeners redirect HTTP and refuse TLS below 1.2", () => {
        const ingresses = ofType("kubernetes:networking.k8s.io/v1:Ingress");
        expect(ingresses.length).toBeGreaterThan(0);
        for (const { inputs: ing } of ingresses) {
          const tlsHosts = new Set(ing.spec.tls.flatMap((t: any) => t.hosts));
          for (const rule of ing.spec.rules) expect(tlsHosts.has(rule.host), `${ing.metadata.name}: ${rule.host} without TLS`).toBe(true);
          if (ing.spec.ingressClassName === "alb") {
            const a = ing.metadata.annotations;
            expect(JSON.parse(a["alb.ingress.kubernetes.io/listen-ports"])).toContainEqual({ HTTPS: 443 });
            expect(a["alb.ingress.kubernetes.io/ssl-redirect"]).toBe("443");
            expect(a["alb.ingress.kubernetes.io/ssl-policy"]).toMatch(/^ELBSecurityPolicy-TLS13-1-2/);
          } else {
            expect(ing.metadata.annotations["cert-manager.io/cluster-issuer"]).toBeTruthy();
            for (const t of ing.spec.tls) expect(t.secretName).toBeTruthy();
          }
        }
      });

      it("keeps every credential-bearing Secret's data a Pulumi secret, and no credential anywhere else", () => {
        // These two carry configuration only (a test in stack-prod asserts alertmanager.yaml holds no credential);
        // they stay readable so previews show their diffs.
        const configOnly = new Set(["alerting-config", "metrics-additional-scrape-configs"]);
        for (const s of ofType("kubernetes:core/v1:Secret")) {
          if (configOnly.has(s.name)) continue;
          expect(s.secretInputs, `${s.name}: stringData is not a Pulumi secret`).toContain("stringData");
        }
        for (const r of all()) {
          const plain = JSON.stringify(r.inputs);
          if (!plain.includes("SECRET-VALUE-OF")) continue;
          // The value may appear only where the engine received it as a secret.
          expect(r.secretPaths.length, `${r.type}/${r.name} holds a credential in plain inputs`).toBeGreaterThan(0);
          expect(r.type).toBe("kubernetes:core/v1:Secret");
        }
      });

      it("names the peers of every network policy rule; no ingress from any address or any namespace", () => {
        const policies = ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy");
        expect(policies.length).toBeGreaterThan(0);
        const problems: string[] = [];
        for (const { inputs } of policies) {
          const name = inputs.metadata.name;
          for (const rule of inputs.spec.ingress ?? []) {
            if (!rule.from?.length) problems.push(`${name}: ingress rule without peers admits every source`);
            for (const peer of rule.from ?? [])
              if (peer.ipBlock?.cidr === "0.0.0.0/0" || (peer.namespaceSelector && Object.keys(peer.namespaceSelector).length === 0 && !peer.podSelector))
                problems.push(`${name}: ingress from ${JSON.stringify(peer)}`);
          }
          for (const rule of inputs.spec.egress ?? []) if (!rule.to?.length) problems.push(`${name}: egress rule without peers admits every destination`);
        }
        expect(problems).toEqual([]);
      });

      it("protects the namespace and every data-bearing claim: Pulumi-owned claims are protected, StatefulSets retain theirs", () => {
        const ns = ofType("kubernetes:core/v1:Namespace").find((n) => n.inputs.metadata.name === "monitoring")!;
        expect([ns.protect, ns.retainOnDelete], "monitoring Namespace protect, retainOnDelete").toEqual([true, true]);
        for (const pvc of ofType("kubernetes:core/v1:PersistentVolumeClaim")) expect(pvc.protect, `${pvc.name} protect`).toBe(true);
        const values = (release: string) => releases().find((r) => r.inputs.name === release)?.inputs.values;
        const retain = { whenDeleted: "Retain", whenScaled: "Retain" };
        const kps = values("watchpost-kps");
        expect(kps.prometheus.prometheusSpec.persistentVolumeClaimRetentionPolicy).toEqual(retain);
        // The chart templates Grafana's claim; Helm keeps it on uninstall, the protected namespace keeps it from Kubernetes.
        expect(kps.grafana.persistence.annotations["helm.sh/resource-policy"]).toBe("keep");
        expect(all().find((r) => r.inputs.kind === "Alertmanager")!.inputs.spec.persistentVolumeClaimRetentionPolicy).toEqual(retain);
        if (values("loki")) expect(values("loki").singleBinary.persistence).toMatchObject({ ...retain, enableStatefulSetAutoDeletePVC: false });
        // The operator deletes Elasticsearch's claims on scale-down only, never with the resource.
        const es = all().find((r) => r.inputs.kind === "Elasticsearch");
        if (es) expect(es.inputs.spec.volumeClaimDeletePolicy).toBe("DeleteOnScaledownOnly");
        if (values("tempo")) expect(values("tempo").persistence.enableStatefulSetAutoDeletePVC).toBe(false);
      });

      it("keeps data volumes on the Retain StorageClass", () => {
        const sc = ofType("kubernetes:storage.k8s.io/v1:StorageClass");
        expect(sc).toHaveLength(1);
        expect(sc[0].inputs.reclaimPolicy).toBe("Retain");
        const name = sc[0].inputs.metadata.name;
        for (const pvc of ofType("kubernetes:core/v1:PersistentVolumeClaim")) expect(pvc.inputs.spec.storageClassName).toBe(name);
        const values = (release: string) => releases().find((r) => r.inputs.name === release)?.inputs.values;
        const kps = values("watchpost-kps");
        expect(kps.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.storageClassName).toBe(name);
        expect(kps.grafana.persistence.storageClassName).toBe(name);
        expect(kps.grafana.persistence.annotations["helm.sh/resource-policy"]).toBe("keep");
        expect(all().find((r) => r.inputs.kind === "Alertmanager")!.inputs.spec.storage.volumeClaimTemplate.spec.storageClassName).toBe(name);
        if (values("loki")) expect(values("loki").singleBinary.persistence.storageClass).toBe(name);
        const es = all().find((r) => r.inputs.kind === "Elasticsearch");
        if (es) for (const n of es.inputs.spec.nodeSets) expect(n.volumeClaimTemplates[0].spec.storageClassName).toBe(name);
        if (values("tempo")) expect(values("tempo").persistence.storageClassName).toBe(name);
      });
    });
  }

  it("flags what it is meant to flag", () => {
    expect(restrictedViolations({}, {})).toEqual([
      "runAsNonRoot is not true",
      "no RuntimeDefault seccomp profile",
      "allowPrivilegeEscalation is not false",
      "capabilities do not drop ALL",
    ]);
    expect(
      restrictedViolations(
        { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
        { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"], add: ["SYS_ADMIN"] } },
      ),
    ).toEqual(["adds capabilities SYS_ADMIN"]);
    expect(resourceViolations({ limits: { cpu: "1", memory: "1Gi" } })).toEqual(["no requests.cpu", "no requests.memory"]);
  });
});
