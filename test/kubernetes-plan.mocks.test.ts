/**
 * The plan owns the Kubernetes objects: synth writes every chart's values and
 * every object under kubernetes/, and the components create exactly those.
 * The mocks run with synth's AWS placeholders, so both sides see the same identifiers.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { readStackFile, stackFilePath } from "../infra/config/load";
import { parseStackConfig } from "../infra/config/validate";
import { placeholderWiring } from "../infra/kubernetes";
import { planStack } from "../infra/plan";
import { eckSecrets } from "../components/logging/elk/names";
import { synth } from "../infra/synth";
import { runStack } from "../harness/pulumi-mocks";
import { exporterSecrets, prodSecrets } from "../harness/stacks";

const work = mkdtempSync(path.join(tmpdir(), "watchpost-kubernetes-plan-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function prodWithSecrets(): string {
  const doc = parse(readFileSync(stackFilePath("prod"), "utf8"));
  for (const key of prodSecrets) doc.config[`watchpost:${key}`] = { secure: "v1:AAAAencrypted" };
  const file = path.join(work, "Pulumi.prod.yaml");
  writeFileSync(file, stringify(doc));
  return file;
}

const read = (dir: string, file: string) => parse(readFileSync(path.join(dir, file), "utf8"));

/** Every exporter, each with its credential set: charts (postgres, redis, elasticsearch, mysql) and our own Deployments (nginx, rabbitmq). */
const everyExporter = {
  postgres: { host: "db.internal", user: "monitor" },
  redis: { address: "redis.internal:6379" },
  rabbitmq: { target: "rabbit.internal:15692" },
  nginx: { statusUrl: "http://web.internal/stub_status" },
  elasticsearch: { url: "http://es.internal:9200", username: "monitor" },
  mysql: { host: "mysql.internal", user: "monitor" },
};

/**
 * A prod variant with these secrets set and these exporters, synthesized now; `run` holds what the
 * mocks register once the describe block's beforeAll has run.
 */
function prodVariant(name: string, secrets: readonly string[], exporters: unknown) {
  const doc = parse(readFileSync(stackFilePath("prod"), "utf8"));
  for (const key of secrets) doc.config[`watchpost:${key}`] = { secure: "v1:AAAAencrypted" };
  doc.config["watchpost:exporters"] = exporters;
  const file = path.join(work, `Pulumi.${name}.yaml`);
  writeFileSync(file, stringify(doc));
  const out = path.join(work, name);
  const variant = { out, result: synth("prod", out, file), run: undefined as unknown as Awaited<ReturnType<typeof runStack>> };
  beforeAll(async () => {
    const raw = readStackFile(file);
    const { config } = parseStackConfig("prod", raw);
    variant.run = await runStack("prod", raw, (key) => `SECRET-VALUE-OF-${key}`, { aws: placeholderWiring(config) });
  });
  return variant;
}

describe("the plan's exporters: synth writes what PrometheusStack creates (prod with every exporter)", () => {
  const variant = prodVariant("prod-all", [...prodSecrets, ...exporterSecrets], everyExporter);
  const { out, result } = variant;

  it("each exporter's chart values or Deployment and Service equal what the mocks register; no credential value is written", () => {
    const exporters = result.plan.kubernetes?.prometheus.exporters ?? [];
    // RabbitMQ serves its own metrics: Prometheus scrapes it directly, no exporter runs.
    expect(exporters.map((e) => e.id)).toEqual(["postgres", "redis", "nginx", "elasticsearch", "mysql"]);
    for (const exporter of exporters) {
      if (exporter.chart) {
        const registered = variant.run.byType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === exporter.name);
        expect(read(out, `kubernetes/charts/${exporter.name}.values.yaml`), exporter.name).toEqual(parse(stringify(registered?.inputs.values)));
      } else {
        for (const kind of ["deployment", "service"]) {
          const registered = variant.run.resources.find((r) => r.inputs.kind === (kind === "deployment" ? "Deployment" : "Service") && r.inputs.metadata?.name === exporter.name);
          expect(read(out, `kubernetes/${kind}/${exporter.name}.yaml`), `${kind} ${exporter.name}`).toEqual(parse(stringify(registered?.inputs)));
        }
      }
    }
    expect(exporters.filter((e) => e.objects).length).toBeGreaterThan(0);
    const written = result.files
      .filter((f) => f.startsWith("kubernetes/"))
      .map((f) => readFileSync(path.join(out, f), "utf8"))
      .join("\n");
    expect(written).not.toContain("SECRET-VALUE-OF");
    expect(written).not.toContain("AAAAencrypted");
  });
});

/** Every exporter with a process, as lists of two named instances; each instance's credential is its own secret. */
const everyExporterListed = {
  postgres: [
    { name: "orders", host: "orders-db.internal", user: "monitor", labels: { team: "payments" } },
    { name: "billing", host: "billing-db.internal", user: "monitor" },
  ],
  redis: [
    { name: "cache", address: "cache.internal:6379" },
    { name: "sessions", address: "sessions.internal:6379" },
  ],
  nginx: [
    { name: "web", statusUrl: "http://web.internal/stub_status" },
    { name: "api", statusUrl: "http://api.internal/stub_status" },
  ],
  mysql: [
    { name: "shop", host: "shop-mysql.internal", user: "monitor" },
    { name: "crm", host: "crm-mysql.internal", user: "monitor" },
  ],
};
const instanceSecrets = ["postgresPasswordOrders", "postgresPasswordBilling", "redisPasswordSessions", "mysqlPasswordShop", "mysqlPasswordCrm"];

describe("the plan's exporter instances: synth writes what PrometheusStack creates (prod, exporters as lists of named instances)", () => {
  const variant = prodVariant("prod-instances", [...prodSecrets, ...instanceSecrets], everyExporterListed);
  const { out, result } = variant;

  it("plans one exporter per instance, named <process>-<instance>, each equal to what the mocks register", () => {
    const exporters = result.plan.kubernetes?.prometheus.exporters ?? [];
    expect(exporters.map((e) => [e.id, e.instance, e.name, e.credentials?.name])).toEqual([
      ["postgres", "orders", "postgres-exporter-orders", "postgres-exporter-orders-credentials"],
      ["postgres", "billing", "postgres-exporter-billing", "postgres-exporter-billing-credentials"],
      ["redis", "cache", "redis-exporter-cache", undefined],
      ["redis", "sessions", "redis-exporter-sessions", "redis-exporter-sessions-credentials"],
      ["nginx", "web", "nginx-exporter-web", undefined],
      ["nginx", "api", "nginx-exporter-api", undefined],
      ["mysql", "shop", "mysql-exporter-shop", "mysql-exporter-shop-credentials"],
      ["mysql", "crm", "mysql-exporter-crm", "mysql-exporter-crm-credentials"],
    ]);
    for (const exporter of exporters) {
      if (exporter.chart) {
        const registered = variant.run.byType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === exporter.name);
        expect(registered, exporter.name).toBeDefined();
        expect(read(out, `kubernetes/charts/${exporter.name}.values.yaml`), exporter.name).toEqual(parse(stringify(registered?.inputs.values)));
      } else {
        for (const kind of ["Deployment", "Service"]) {
          const registered = variant.run.resources.find((r) => r.inputs.kind === kind && r.inputs.metadata?.name === exporter.name);
          expect(registered, `${kind} ${exporter.name}`).toBeDefined();
          expect(read(out, `kubernetes/${kind.toLowerCase()}/${exporter.name}.yaml`), `${kind} ${exporter.name}`).toEqual(parse(stringify(registered?.inputs)));
        }
      }
    }
    expect(read(out, "kubernetes/charts/postgres-exporter-billing.values.yaml").config.datasource).toMatchObject({
      host: "billing-db.internal",
      passwordSecret: { name: "postgres-exporter-billing-credentials", key: "password" },
    });
  });

  it("fills each instance's credentials Secret from that instance's own secret, as a secret, and writes no value", () => {
    const secrets = variant.run.byType("kubernetes:core/v1:Secret").filter((r) => /-exporter-.*-credentials$/.test(r.inputs.metadata?.name ?? ""));
    const content = Object.fromEntries(secrets.map((r) => [r.inputs.metadata.name, r.inputs.stringData.password]));
    expect(Object.keys(content).sort()).toEqual([
      "mysql-exporter-crm-credentials",
      "mysql-exporter-shop-credentials",
      "postgres-exporter-billing-credentials",
      "postgres-exporter-orders-credentials",
      "redis-exporter-sessions-credentials",
    ]);
    expect(content["postgres-exporter-orders-credentials"]).toBe("SECRET-VALUE-OF-postgresPasswordOrders");
    expect(content["postgres-exporter-billing-credentials"]).toBe("SECRET-VALUE-OF-postgresPasswordBilling");
    expect(content["redis-exporter-sessions-credentials"]).toBe("SECRET-VALUE-OF-redisPasswordSessions");
    expect(content["mysql-exporter-crm-credentials"]).toContain("password=SECRET-VALUE-OF-mysqlPasswordCrm\n");
    expect(content["mysql-exporter-crm-credentials"]).toContain("host=crm-mysql.internal\n");
    for (const secret of secrets) expect(secret.secretInputs, secret.inputs.metadata.name).toContain("stringData");
    const written = result.files.map((f) => readFileSync(path.join(out, f), "utf8")).join("\n");
    expect(written).not.toContain("SECRET-VALUE-OF");
  });

  it("scrapes every instance in one job per exporter, each target with its instance_name and labels", () => {
    const scrape = parse(result.plan.prometheusConfig) as {
      scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[]; labels: Record<string, string> }> }>;
    };
    const postgres = scrape.scrape_configs.find((j) => j.job_name === "postgres");
    expect(postgres?.static_configs).toEqual([
      { targets: ["postgres-exporter-orders.monitoring.svc:9187"], labels: { service: "postgres", instance_name: "orders", team: "payments" } },
      { targets: ["postgres-exporter-billing.monitoring.svc:9187"], labels: { service: "postgres", instance_name: "billing" } },
    ]);
  });
});

describe("the plan's Kubernetes objects: synth writes what the components create (prod, AWS placeholders)", () => {
  const out = path.join(work, "prod");
  const result = synth("prod", out, prodWithSecrets());
  const kubeFiles = result.files.filter((f) => f.startsWith("kubernetes/"));
  let run: Awaited<ReturnType<typeof runStack>>;

  beforeAll(async () => {
    const raw = readStackFile(stackFilePath("prod"));
    const { config } = parseStackConfig("prod", { values: raw.values, secrets: new Set(prodSecrets) });
    run = await runStack("prod", { values: raw.values, secrets: new Set(prodSecrets) }, (key) => `SECRET-VALUE-OF-${key}`, { aws: placeholderWiring(config) });
  });

  it("writes the chart values and the objects under kubernetes/<kind>/<name>.yaml", () => {
    expect(kubeFiles).toContain("kubernetes/charts/watchpost-kps.values.yaml");
    expect(kubeFiles).toContain("kubernetes/charts/blackbox-exporter.values.yaml");
    expect(kubeFiles).toContain("kubernetes/servicemonitor/watchpost-api.yaml");
    expect(kubeFiles.filter((f) => f.startsWith("kubernetes/prometheusrule/")).length).toBe(result.plan.rules.length);
  });

  it("the chart values synth writes are the values of the Helm releases the mocks register", () => {
    const written = kubeFiles.filter((f) => f.startsWith("kubernetes/charts/")).map((f) => path.basename(f, ".values.yaml"));
    expect(written.sort()).toEqual(["alloy", "aws-load-balancer-controller", "blackbox-exporter", "loki", "otel-collector", "tempo", "watchpost-kps"]);
    for (const release of written) {
      const registered = run.byType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === release);
      expect(registered, release).toBeDefined();
      expect(read(out, `kubernetes/charts/${release}.values.yaml`), release).toEqual(parse(stringify(registered?.inputs.values)));
    }
  });

  it("every object synth writes is one the mocks register, field for field, and every planned kind is complete", () => {
    const written = kubeFiles.filter((f) => !f.startsWith("kubernetes/charts/")).map((f) => read(out, f));
    const key = (o: Record<string, any>) => `${o.kind}/${o.metadata.name}`;
    const kinds = new Set(written.map((o) => o.kind));
    expect([...kinds].sort()).toEqual([
      "Alertmanager",
      "CronJob",
      "Deployment",
      "Ingress",
      "NetworkPolicy",
      "PodDisruptionBudget",
      "PrometheusRule",
      "Service",
      "ServiceAccount",
      "ServiceMonitor",
    ]);
    // Each kind the plan writes is written whole: the mocks register no object of that kind (in the namespace) that synth left out.
    const registered = run.resources.filter((r) => kinds.has(r.inputs.kind) && r.inputs.metadata?.namespace === "monitoring" && r.inputs.kind !== "ServiceAccount");
    expect(
      written
        .filter((o) => o.kind !== "ServiceAccount")
        .map(key)
        .sort(),
    ).toEqual(registered.map((r) => key(r.inputs)).sort());
    for (const object of written) {
      const match = run.resources.find((r) => r.inputs.kind === object.kind && r.inputs.metadata?.name === object.metadata.name);
      expect(match, key(object)).toBeDefined();
      expect(object, key(object)).toEqual(parse(stringify(match?.inputs)));
    }
  });

  it("the additional scrape configs Secret holds the plan's scrape jobs, rendered from data", () => {
    const secret = run.one("kubernetes:core/v1:Secret", "metrics-additional-scrape-configs").inputs;
    expect(parse(secret.stringData["scrape-configs.yaml"])).toEqual(parse(readFileSync(path.join(out, "prometheus/prometheus.yml"), "utf8")).scrape_configs);
  });

  it("a docker stack writes no kubernetes/ folder", () => {
    const dev = synth("dev", path.join(work, "dev"));
    expect(dev.files.filter((f) => f.startsWith("kubernetes/"))).toEqual([]);
  });
});

describe("the Kubernetes components take objects and never read our own text back", () => {
  it("no Kubernetes component parses YAML", () => {
    const files = ["components/prometheus/kubernetes.ts", "components/prometheus/plan.ts", "components/logging/plan.ts", "components/tracing/plan.ts", "infra/kubernetes.ts"];
    for (const file of files) {
      const source = readFileSync(path.join(__dirname, "..", file), "utf8");
      expect(source, file).not.toMatch(/\bparse\(/);
      expect(source, file).not.toMatch(/import\s*\{[^}]*\bparse\b[^}]*\}\s*from\s*"yaml"/);
    }
  });
});

describe("the plan's ingress controller with tls: cert-manager and Jaeger (prod variant)", () => {
  it("the cert-manager and Jaeger chart values, the ClusterIssuer and Jaeger's claim equal what the mocks register", async () => {
    const raw = readStackFile(stackFilePath("prod"));
    const values = structuredClone(raw.values) as Record<string, any>;
    values.ingress = { ...values.ingress, tls: "cert-manager", className: "traefik", controllerNamespace: "traefik", acmeEmail: "ops@example.com", acmeEnvironment: "staging" };
    values.tracing = { ...values.tracing, backend: "jaeger" };
    const variant = { values, secrets: new Set(prodSecrets) };
    const { config } = parseStackConfig("prod", variant);
    const plan = planStack(config);
    const run = await runStack("prod", variant, (key) => `SECRET-VALUE-OF-${key}`, { aws: placeholderWiring(config) });
    const release = (name: string) => run.byType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === name)?.inputs.values;
    const files = plan.artifacts;
    for (const name of ["cert-manager", "jaeger", "otel-collector"]) {
      expect(parse(files[`kubernetes/charts/${name}.values.yaml`]), name).toEqual(parse(stringify(release(name))));
    }
    const issuer = run.resources.find((r) => r.inputs.kind === "ClusterIssuer");
    expect(parse(files["kubernetes/clusterissuer/watchpost-letsencrypt-staging.yaml"])).toEqual(parse(stringify(issuer?.inputs)));
    const claim = run.resources.find((r) => r.type === "kubernetes:core/v1:PersistentVolumeClaim" && r.inputs.metadata?.name === "jaeger-badger-data");
    expect(parse(files["kubernetes/persistentvolumeclaim/jaeger-badger-data.yaml"])).toEqual(parse(stringify(claim?.inputs)));
  });
});

describe("the plan with logging.backend elasticsearch on Kubernetes (prod variant, the logging cluster's exporter)", () => {
  it("Grafana mounts the operator's Secrets, the exporter borrows them (no Secret of ours), the policies admit Elasticsearch's readers; all as the mocks register", async () => {
    const raw = readStackFile(stackFilePath("prod"));
    const values = structuredClone(raw.values) as Record<string, any>;
    values.logging = { ...values.logging, backend: "elasticsearch" };
    const variant = { values, secrets: new Set(prodSecrets) };
    const { config } = parseStackConfig("prod", variant);
    const plan = planStack(config);
    const run = await runStack("prod", variant, (key) => `SECRET-VALUE-OF-${key}`, { aws: placeholderWiring(config) });
    const files = plan.artifacts;
    const kps = parse(files["kubernetes/charts/watchpost-kps.values.yaml"]);
    expect(kps.grafana.extraSecretMounts.map((m: { name: string }) => m.name)).toEqual(["elasticsearch-user", "elasticsearch-ca"]);
    const exporter = plan.kubernetes?.prometheus.exporters.find((e) => e.id === "elasticsearch");
    expect(exporter?.credentials).toBeUndefined();
    expect(exporter?.chart?.values.extraEnvSecrets).toEqual({ ES_PASSWORD: { secret: eckSecrets.elasticUser, key: eckSecrets.elasticUserKey } });
    expect(run.resources.filter((r) => r.type === "kubernetes:core/v1:Secret" && String(r.inputs.metadata?.name).includes("elasticsearch-exporter"))).toEqual([]);
    expect(Object.keys(files)).toContain("kubernetes/networkpolicy/watchpost-elasticsearch.yaml");
    expect(Object.keys(files)).not.toContain("kubernetes/charts/loki.values.yaml");
    const release = (name: string) => run.byType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === name)?.inputs.values;
    expect(kps).toEqual(parse(stringify(release("watchpost-kps"))));
    expect(parse(files[`kubernetes/charts/${exporter?.name}.values.yaml`])).toEqual(parse(stringify(release(exporter?.name ?? ""))));
    const policy =
      run.resources.find((r) => r.inputs.kind === "NetworkPolicy" && r.inputs.metadata?.name === "watchpost-elasticsearch") ??
      run.resources.find((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy" && r.inputs.metadata?.name === "watchpost-elasticsearch");
    expect(parse(files["kubernetes/networkpolicy/watchpost-elasticsearch.yaml"]).spec).toEqual(parse(stringify(policy?.inputs.spec)));
    // The ECK resources are written beside the other objects, each as the mocks register it.
    for (const kind of ["Elasticsearch", "Kibana", "Beat"]) {
      const written = parse(files[`kubernetes/${kind.toLowerCase()}/watchpost.yaml`]);
      const registered = run.resources.find((r) => r.inputs.kind === kind && r.inputs.metadata?.name === "watchpost");
      expect(registered, kind).toBeDefined();
      expect(written, kind).toEqual(parse(stringify(registered?.inputs)));
    }
  });
});

describe("the plan with notifications.sns on eks (prod variant, the Alertmanager's IRSA role)", () => {
  it("the ServiceAccount annotated with the role and the Alertmanager running as it equal what the mocks register", async () => {
    const raw = readStackFile(stackFilePath("prod"));
    const values = structuredClone(raw.values) as Record<string, any>;
    values.notifications = { ...values.notifications, sns: { enabled: true, topicArn: "arn:aws:sns:eu-west-1:123456789012:watchpost-alerts" } };
    const variant = { values, secrets: new Set(prodSecrets) };
    const { config } = parseStackConfig("prod", variant);
    const files = planStack(config).artifacts;
    const run = await runStack("prod", variant, (key) => `SECRET-VALUE-OF-${key}`, { aws: placeholderWiring(config) });
    const account = run.one("kubernetes:core/v1:ServiceAccount", "alerting-service-account");
    expect(account.inputs.metadata.annotations).toEqual({ "eks.amazonaws.com/role-arn": "<aws:alertmanager-role-arn>" });
    expect(parse(files["kubernetes/serviceaccount/watchpost-alertmanager.yaml"])).toEqual(parse(stringify({ apiVersion: "v1", kind: "ServiceAccount", ...account.inputs })));
    const cr = run.one("kubernetes:monitoring.coreos.com/v1:Alertmanager", "alerting-alertmanager");
    expect(cr.inputs.spec.serviceAccountName).toBe("watchpost-alertmanager");
    expect(run.one("kubernetes:core/v1:Secret", "alerting-credentials").inputs.stringData).not.toHaveProperty("snsCredentials");
  });
});
