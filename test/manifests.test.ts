/**
 * The Kubernetes objects Watchpost writes itself (not the charts'), validated
 * against the official OpenAPI schemas of their kinds with kubernetes-models
 * (and its prometheus-operator and cert-manager packages for the custom
 * resources): a misspelled field, a wrong type or a missing required field
 * fails here rather than at `pulumi up` on a cluster.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { AwsWiring } from "../components/production/wiring";
import { readStackFile, stackFilePath } from "../infra/config/load";
import { runStack } from "../harness/pulumi-mocks";
import { handWiring } from "./support/wiring";
import { exporterSecrets, prodSecrets } from "../harness/stacks";

interface Model {
  validate(): void;
}
type ModelClass = new (data: any) => Model;

/** Pulumi type token -> the kubernetes-models class of that kind. */
async function modelFor(type: string): Promise<ModelClass | undefined> {
  const [, group, kind] = type.split(":");
  const [apiGroup, version] = group.split("/");
  const load: Record<string, () => Promise<Record<string, unknown>>> = {
    "core/v1": () => import("kubernetes-models/v1"),
    "apps/v1": () => import("kubernetes-models/apps/v1"),
    "batch/v1": () => import("kubernetes-models/batch/v1"),
    "networking.k8s.io/v1": () => import("kubernetes-models/networking.k8s.io/v1"),
    "policy/v1": () => import("kubernetes-models/policy/v1"),
    "storage.k8s.io/v1": () => import("kubernetes-models/storage.k8s.io/v1"),
    "rbac.authorization.k8s.io/v1": () => import("kubernetes-models/rbac.authorization.k8s.io/v1"),
    "monitoring.coreos.com/v1": () => import("@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1"),
    "cert-manager.io/v1": () => import("@kubernetes-models/cert-manager/cert-manager.io/v1"),
  };
  const loader = load[`${apiGroup}/${version}`];
  return loader ? ((await loader())[kind] as ModelClass | undefined) : undefined;
}

/**
 * @kubernetes-models/prometheus-operator 6.0.0 models `storage.volumeClaimTemplate`
 * (EmbeddedPersistentVolumeClaim) as a top-level object that requires `apiVersion:
 * monitoring.coreos.com/v1` and `kind: EmbeddedPersistentVolumeClaim`, which the
 * operator's CRD does not ask for (both are optional there). So the claim template is
 * checked as what it is, a core PersistentVolumeClaim, and the rest of the CR as itself.
 */
async function splitForValidation(type: string, Model: ModelClass, object: Record<string, any>): Promise<Array<[ModelClass, Record<string, any>]>> {
  const claim = object.spec?.storage?.volumeClaimTemplate;
  if (!type.startsWith("kubernetes:monitoring.coreos.com/") || !claim) return [[Model, object]];
  const { storage, ...spec } = object.spec;
  const Pvc = (await modelFor("kubernetes:core/v1:PersistentVolumeClaim")) as ModelClass;
  return [
    [Model, { ...object, spec: { ...spec, storage: { ...storage, volumeClaimTemplate: undefined } } }],
    [Pvc, { apiVersion: "v1", kind: "PersistentVolumeClaim", ...claim }],
  ];
}

async function objectsOf(values: Record<string, unknown>, aws?: AwsWiring) {
  const secrets = new Set([...prodSecrets, ...exporterSecrets]);
  const run = await runStack("prod", { values, secrets }, (key) => `SECRET-VALUE-OF-${key}`, { aws });
  return run.resources
    .filter((r) => r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm.sh") && !r.type.startsWith("kubernetes:yaml"))
    .map((r) => ({ type: r.type, name: r.name, object: r.inputs }));
}

const aws = handWiring;

const variants: Record<string, { values: (v: Record<string, any>) => void; aws?: AwsWiring }> = {
  "acm, Tempo, every exporter, AWS wiring": {
    values: (v) =>
      (v.exporters = {
        postgres: { host: "db.internal", user: "monitor" },
        nginx: { statusUrl: "http://web.internal/stub_status" },
        elasticsearch: { url: "http://es.internal:9200", username: "monitor" },
        mysql: { host: "mysql.internal", user: "monitor" },
      }),
    aws,
  },
  "cert-manager, Jaeger": {
    values: (v) => {
      v.tracing = { backend: "jaeger" };
      v.ingress = { ...v.ingress, tls: "cert-manager", className: "traefik", controllerNamespace: "traefik", acmeEmail: "ops@example.com" };
    },
  },
};

const runs: Record<string, Awaited<ReturnType<typeof objectsOf>>> = {};

describe("our own manifests against the Kubernetes schemas", () => {
  beforeAll(async () => {
    for (const [name, variant] of Object.entries(variants)) {
      const values = structuredClone(readStackFile(stackFilePath("prod")).values) as Record<string, any>;
      variant.values(values);
      runs[name] = await objectsOf(values, variant.aws);
    }
  }, 60_000);

  for (const variant of Object.keys(variants)) {
    it(`${variant}: every object validates against its kind's schema`, async () => {
      const problems: string[] = [];
      const kinds = new Set<string>();
      for (const { type, name, object } of runs[variant]) {
        const Model = await modelFor(type);
        if (!Model) {
          problems.push(`${type}/${name}: no schema model for this kind`);
          continue;
        }
        kinds.add(type.split(":")[2]);
        try {
          for (const [m, o] of await splitForValidation(type, Model, object)) new m(o).validate();
        } catch (e) {
          problems.push(`${type}/${name}: ${(e as Error).message}`);
        }
      }
      expect(problems).toEqual([]);
      for (const kind of ["Deployment", "Service", "Ingress", "NetworkPolicy", "Secret", "ConfigMap", "Namespace", "StorageClass", "Alertmanager", "PrometheusRule"])
        expect(kinds).toContain(kind);
      if (variant.startsWith("acm")) for (const kind of ["CronJob", "ServiceAccount"]) expect(kinds).toContain(kind);
      else expect(kinds).toContain("ClusterIssuer");
    });
  }

  it("rejects an object that breaks its schema (the validator is live)", async () => {
    const deployment = runs["cert-manager, Jaeger"].find((o) => o.type === "kubernetes:apps/v1:Deployment")!.object;
    const Deployment = (await modelFor("kubernetes:apps/v1:Deployment"))!;
    expect(() => new Deployment(deployment).validate()).not.toThrow();
    const broken = structuredClone(deployment);
    broken.spec.replicas = "two";
    expect(() => new Deployment(broken).validate()).toThrow();
    const noImage = structuredClone(deployment);
    delete noImage.spec.template.spec.containers[0].name;
    expect(() => new Deployment(noImage).validate()).toThrow();
    const policy = runs["cert-manager, Jaeger"].find((o) => o.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy")!.object;
    const NetworkPolicy = (await modelFor("kubernetes:networking.k8s.io/v1:NetworkPolicy"))!;
    expect(() => new NetworkPolicy({ ...policy, spec: { ...policy.spec, policyTypes: "Ingress" } }).validate()).toThrow();
  });
});
