/**
 * The MySQL exporter on both platforms, under Pulumi mocks: the container or
 * Deployment its registry entry places, its my.cnf kept secret and readable by
 * the exporter's user only, and its job, egress and rules derived like every
 * other exporter's.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readStackFile, stackFilePath } from "../../infra/config/load";
import { planStack } from "../../infra/plan";
import { parseStackConfig } from "../../infra/config/validate";
import { type Recorded, runStack } from "../../harness/pulumi-mocks";
import { prodSecrets } from "../../harness/stacks";
import { images, imageUsers } from "../../model/versions";

const mysql = { host: "mysql.internal", user: "monitor" };
const secretValue = (key: string) => `SECRET-VALUE-OF-${key}`;
const myCnf = "[client]\nuser=monitor\nhost=mysql.internal\nport=3306\npassword=SECRET-VALUE-OF-mysqlPassword\n";

describe("the MySQL exporter on Docker (dev)", () => {
  let container: Recorded;
  let image: Recorded;
  beforeAll(async () => {
    const raw = readStackFile(stackFilePath("dev"));
    const run = await runStack("dev", { values: { ...raw.values, exporters: { mysql } }, secrets: new Set([...raw.secrets, "mysqlPassword"]) }, secretValue);
    container = run.one("docker:index/container:Container", "metrics-mysql-exporter");
    image = run.one("docker:index/remoteImage:RemoteImage", "metrics-mysql-exporter-image");
  });

  it("runs the pinned mysqld_exporter with its connection in a my.cnf, not in flags or the environment", () => {
    expect(image.inputs.name).toBe(images.mysqldExporter);
    expect(container.inputs.command).toEqual(["--config.my-cnf=/run/secrets/mysql/password"]);
    expect(JSON.stringify(container.inputs.envs ?? [])).not.toContain("SECRET-VALUE-OF");
    expect(JSON.stringify(container.inputs.command)).not.toContain("SECRET-VALUE-OF");
  });

  it("uploads the my.cnf as a secret, readable by the exporter's own user only", () => {
    const uploads = container.inputs.uploads as Array<{ file: string; content: string; permissions?: string }>;
    const i = uploads.findIndex((u) => u.file === "/run/secrets/mysql/password");
    expect(uploads[i].content).toBe(myCnf);
    expect(container.secretPaths.some((p) => `uploads.${i}.content`.startsWith(p))).toBe(true);
    expect(uploads[i].permissions).toMatch(/^0?[0-7]{1}[0-7]0$/);
    expect(imageUsers.mysqldExporter.uid).not.toBe(0);
  });

  it("joins the stack network as mysql-exporter, limited like the other exporters", () => {
    expect(container.inputs.networksAdvanced[0].aliases).toEqual(["mysql-exporter"]);
    expect(container.inputs.memory).toBe(64);
  });
});

describe("the MySQL exporter on Kubernetes (prod)", () => {
  let resources: Recorded[];
  const one = (type: string, name: string) => resources.find((r) => r.type === type && r.name === name)!;
  beforeAll(async () => {
    const raw = readStackFile(stackFilePath("prod"));
    const run = await runStack("prod", { values: { ...raw.values, exporters: { mysql } }, secrets: new Set([...prodSecrets, "mysqlPassword"]) }, secretValue);
    resources = run.resources;
  });

  it("keeps the my.cnf in a Secret whose value reaches the engine as a secret", () => {
    const secret = one("kubernetes:core/v1:Secret", "metrics-mysql-exporter-credentials");
    expect(secret.inputs.metadata.name).toBe("mysql-exporter-credentials");
    expect(secret.inputs.stringData.password).toBe(myCnf);
    expect(secret.secretPaths.some((p) => "stringData.password".startsWith(p))).toBe(true);
  });

  it("runs our own Deployment under Pod Security restricted, the Secret mounted read-only for its user", () => {
    const deployment = one("kubernetes:apps/v1:Deployment", "metrics-mysql-exporter");
    const pod = deployment.inputs.spec.template.spec;
    const [c] = pod.containers;
    expect(c.image).toBe(images.mysqldExporter);
    expect(c.args).toEqual(["--config.my-cnf=/run/secrets/mysql/password"]);
    expect(c.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    expect(pod.securityContext).toMatchObject({ runAsUser: 65534, fsGroup: 65534 });
    expect(c.volumeMounts).toEqual([{ name: "credentials", mountPath: "/run/secrets/mysql", readOnly: true }]);
    expect(pod.volumes).toEqual([{ name: "credentials", secret: { secretName: "mysql-exporter-credentials", defaultMode: 0o440 } }]);
    expect(c.env).toBeUndefined();
    const service = one("kubernetes:core/v1:Service", "metrics-mysql-exporter");
    expect(service.inputs.spec.ports).toEqual([{ name: "metrics", port: 9104, targetPort: "metrics", protocol: "TCP" }]);
  });

  it("gives its pods egress to the MySQL port only", () => {
    const policy = resources.find((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy" && JSON.stringify(r.inputs.spec.podSelector).includes('"mysql"'));
    expect(policy, "a NetworkPolicy selecting the mysql exporter's pods").toBeDefined();
    const ports = policy!.inputs.spec.egress.flatMap((rule: any) => (rule.ports ?? []).map((p: any) => p.port));
    expect(ports).toContain(3306);
  });
});

describe("the MySQL exporter in the plan", () => {
  it("is scraped as job mysql and its rule file renders, on both platforms", () => {
    for (const stack of ["dev", "prod"] as const) {
      const raw = readStackFile(stackFilePath(stack));
      const secrets = stack === "prod" ? new Set<string>(prodSecrets) : raw.secrets;
      const { config: cfg } = parseStackConfig(stack, { values: { ...raw.values, exporters: { mysql } }, secrets: new Set([...secrets, "mysqlPassword"]) });
      const plan = planStack(cfg);
      const jobs = (parse(plan.prometheusConfig) as { scrape_configs: Array<{ job_name: string; static_configs?: Array<{ targets: string[] }> }> }).scrape_configs;
      const job = jobs.find((j) => j.job_name === "mysql");
      expect(job?.static_configs?.[0].targets).toEqual([stack === "dev" ? "mysql-exporter:9104" : "mysql-exporter.monitoring.svc:9104"]);
      expect(plan.rules.map((r) => r.name)).toContain("mysql.rules.yml");
    }
  });

  it("rejects exporters.mysql without a user, naming the key", () => {
    const raw = readStackFile(stackFilePath("dev"));
    expect(() => parseStackConfig("dev", { values: { ...raw.values, exporters: { mysql: { host: "db" } } }, secrets: raw.secrets })).toThrow(/watchpost:exporters\.mysql\.user/);
  });
});
