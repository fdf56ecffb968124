/**
 * The Docker platform under Pulumi mocks: what a container's process can read,
 * reach and expose, beyond the dev stack's shape (test/stack-dev.mocks.test.ts).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parse, stringify } from "yaml";
import { grafanaStartWithAdminPassword } from "../components/grafana/render";
import { containerUser } from "../components/platform/docker";
import { type ImageName, images, imageUsers } from "../model/versions";
import { readStackFile, stackFilePath } from "../infra/config/load";
import { parseStackConfig } from "../infra/config/validate";
import { type Recorded, runStack } from "../harness/pulumi-mocks";
import { exporterSecrets } from "../harness/stacks";

type Run = Awaited<ReturnType<typeof runStack>>;
const secretValue = (key: string) => `SECRET-VALUE-OF-${key}`;
const generatedPassword = "generated-password-0123456789abcdef";

const alias = (c: Recorded): string => c.inputs.networksAdvanced[0].aliases[0];

/** The pinned image a container runs, from its RemoteImage (`<container>-image`). */
function imageOf(run: Run, c: Recorded): ImageName {
  const ref = run.one("docker:index/remoteImage:RemoteImage", `${c.name}-image`).inputs.name;
  const name = (Object.keys(images) as ImageName[]).find((n) => images[n] === ref);
  if (!name) throw new Error(`${c.name} runs ${ref}, which is not a pinned image`);
  return name;
}

/** uid and gid of the container's process: its `user`, else its image's. */
function processIdentity(run: Run, c: Recorded): { uid: number; gid: number } {
  const image = imageUsers[imageOf(run, c)];
  if (!c.inputs.user) return { uid: image.uid, gid: image.gid };
  const [uid, gid] = String(c.inputs.user).split(":");
  return { uid: Number(uid), gid: gid === undefined ? image.gid : Number(gid) };
}

/** Unix read permission of a file for a process (supplementary groups left aside: Docker adds none here). */
function canRead(file: { uid: number; gid: number; mode: number }, proc: { uid: number; gid: number }): boolean {
  if (proc.uid === 0) return true;
  if (proc.uid === file.uid) return (file.mode & 0o400) !== 0;
  if (proc.gid === file.gid) return (file.mode & 0o040) !== 0;
  return (file.mode & 0o004) !== 0;
}

/** Uploads holding a credential: the secret values the run was given, and Grafana's generated password. */
const secretUploads = (c: Recorded): Array<{ file: string; content: string; permissions?: string; owner?: string; group?: string }> =>
  (c.inputs.uploads ?? []).filter((u: any) => String(u.content).startsWith("SECRET-VALUE-OF-") || u.content === generatedPassword);

/** The dev stack with every channel and every exporter that reads a credential. */
async function devWithEverySecret(): Promise<Run> {
  const raw = readStackFile(stackFilePath("dev"));
  const values = {
    ...raw.values,
    notifications: {
      slack: { enabled: true },
      pagerduty: { enabled: true },
      opsgenie: { enabled: true },
      msteams: { enabled: true },
      webhook: { enabled: true },
      heartbeat: { enabled: true },
      email: { enabled: true, from: "alerts@example.com", smarthost: "smtp.example.com:587", to: ["ops@example.com"], username: "alerts" },
    },
    exporters: {
      postgres: { host: "db.internal", user: "monitor" },
      redis: { address: "redis.internal:6379" },
      elasticsearch: { url: "http://es.internal:9200", username: "monitor" },
    },
  };
  const secrets = new Set([
    ...raw.secrets,
    "slackWebhookUrl",
    "pagerdutyRoutingKey",
    "opsgenieApiKey",
    "msteamsWebhookUrl",
    "webhookUrl",
    "heartbeatUrl",
    "smtpPassword",
    ...exporterSecrets,
  ]);
  return runStack("dev", { values, secrets }, secretValue);
}

describe("Docker: secret files are readable by the process that needs them, and by nothing else", () => {
  let run: Run;
  beforeAll(async () => {
    run = await devWithEverySecret();
  });

  it("covers every container that reads a credential", () => {
    const readers = run
      .byType("docker:index/container:Container")
      .filter((c) => secretUploads(c).length > 0)
      .map(alias)
      .sort();
    expect(readers).toEqual(["alertmanager-0", "elasticsearch-exporter", "grafana", "postgres-exporter", "redis-exporter"]);
    const am = run.byType("docker:index/container:Container").find((c) => alias(c) === "alertmanager-0")!;
    expect(
      secretUploads(am)
        .map((u) => u.file)
        .sort(),
    ).toEqual(
      ["heartbeatUrl", "msteamsWebhookUrl", "opsgenieApiKey", "pagerdutyRoutingKey", "slackWebhookUrl", "smtpPassword", "webhookUrl"].map((f) => `/etc/alertmanager/secrets/${f}`),
    );
  });

  it("runs each reader as its image's uid in group 0, with the files 0440 root:root", () => {
    for (const c of run.byType("docker:index/container:Container")) {
      const uploads = secretUploads(c);
      if (uploads.length === 0) continue;
      expect(c.secretInputs).toContain("uploads");
      for (const u of uploads) {
        // No owner or group: the provider writes the upload as root:root.
        expect({ file: u.file, permissions: u.permissions, owner: u.owner, group: u.group }).toEqual({ file: u.file, permissions: "0440", owner: undefined, group: undefined });
        const file = { uid: 0, gid: 0, mode: Number.parseInt(u.permissions as string, 8) };
        expect({ container: alias(c), file: u.file, readable: canRead(file, processIdentity(run, c)) }).toEqual({ container: alias(c), file: u.file, readable: true });
        // Any other non-root user outside group 0 cannot.
        expect(canRead(file, { uid: 12345, gid: 12345 })).toBe(false);
      }
      const { uid } = imageUsers[imageOf(run, c)];
      expect({ container: alias(c), user: c.inputs.user }).toEqual({ container: alias(c), user: uid === 0 ? undefined : `${uid}:0` });
    }
  });

  it("leaves the user of containers without secrets to their image", () => {
    for (const c of run.byType("docker:index/container:Container"))
      if (secretUploads(c).length === 0) expect({ container: alias(c), user: c.inputs.user }).toEqual({ container: alias(c), user: undefined });
  });
});

describe("Docker: SNS signs with the key pair from one mounted AWS credentials file", () => {
  it("uploads the pair as a secret credentials file, points the AWS SDK at it, and keeps both out of the config and the environment", async () => {
    const raw = readStackFile(stackFilePath("dev"));
    const values = { ...raw.values, notifications: { sns: { enabled: true, topicArn: "arn:aws:sns:eu-west-1:123456789012:watchpost-alerts" } } };
    const run = await runStack("dev", { values, secrets: new Set([...raw.secrets, "snsAccessKeyId", "snsSecretAccessKey"]) }, secretValue);
    const am = run.one("docker:index/container:Container", "alerting-alertmanager-0");
    const file = "/etc/alertmanager/secrets/snsCredentials";
    const upload = (am.inputs.uploads as Array<{ file: string; content: string; permissions: string }>).find((u) => u.file === file);
    expect(upload).toMatchObject({
      permissions: "0440",
      content: "[watchpost-sns]\naws_access_key_id = SECRET-VALUE-OF-snsAccessKeyId\naws_secret_access_key = SECRET-VALUE-OF-snsSecretAccessKey\n",
    });
    expect(am.secretInputs).toContain("uploads");
    expect(am.inputs.envs).toEqual([`AWS_SHARED_CREDENTIALS_FILE=${file}`]);
    const others = (am.inputs.uploads as Array<{ file: string; content: string }>).filter((u) => u.file !== file).map((u) => u.content);
    expect([...others, JSON.stringify(am.inputs.envs)].join()).not.toContain("SECRET-VALUE-OF-sns");
  });
});

describe("Docker: a container user that could not read its secret files", () => {
  const spec = { alias: "alertmanager-0", image: "alertmanager" as const, resources: { memory: "128Mi", cpu: "0.2" }, secretFiles: { "/etc/alertmanager/secrets/x": "v" } };

  it("is refused, naming the container, the user and the fix", () => {
    expect(() => containerUser("alerting-alertmanager-0", { ...spec, user: "65534:65534" })).toThrow(
      "'65534:65534' cannot read the container's secret files (mode 0440, root:root); run it in group 0 ('65534:0') or leave 'user' unset",
    );
    expect(() => containerUser("alerting-alertmanager-0", { ...spec, user: "65534" })).toThrow(/run it in group 0 \('65534:0'\)/);
  });

  it("is kept when it is root or in group 0, and derived from the image when unset", () => {
    expect(containerUser("a", { ...spec, user: "1000:0" })).toBe("1000:0");
    expect(containerUser("a", { ...spec, user: "0" })).toBe("0");
    expect(containerUser("a", spec)).toBe("65534:0");
    expect(containerUser("a", { ...spec, secretFiles: {} })).toBeUndefined();
  });
});

describe("Docker: containers that reach services on the host resolve host.docker.internal on a Linux engine", () => {
  const mapping = [{ host: "host.docker.internal", ip: "host-gateway" }];
  const containersOf = (run: Run) => run.byType("docker:index/container:Container");
  const names = (c: Recorded) => JSON.stringify([c.inputs.uploads, c.inputs.envs, c.inputs.command]).includes("host.docker.internal");

  it("maps it for Prometheus and the blackbox exporter of Pulumi.dev.yaml, which scrape and probe host.docker.internal:8080", async () => {
    const run = await runStack("dev", readStackFile(stackFilePath("dev")), secretValue);
    const byAlias = Object.fromEntries(containersOf(run).map((c) => [alias(c), c]));
    // Prometheus scrapes the service and hands the probe target to the blackbox exporter as a parameter.
    const prometheusYml = byAlias.prometheus.inputs.uploads.find((u: any) => u.file === "/etc/prometheus/prometheus.yml").content;
    expect(prometheusYml).toContain("host.docker.internal:8080");
    expect(prometheusYml).toContain("http://host.docker.internal:8080/healthz");
    expect(byAlias.prometheus.inputs.hosts).toEqual(mapping);
    expect(byAlias["blackbox-exporter"].inputs.hosts).toEqual(mapping);
  });

  it("maps it for every container whose config names it, and only for those that reach configured endpoints", async () => {
    const raw = readStackFile(stackFilePath("dev"));
    const host = "host.docker.internal";
    const values = {
      ...raw.values,
      notifications: { email: { enabled: true, from: "alerts@example.com", smarthost: `${host}:1025`, to: ["ops@example.com"] } },
      exporters: {
        postgres: { host, user: "monitor", sslMode: "disable" },
        redis: { address: `${host}:6379` },
        nginx: { statusUrl: `http://${host}:8081/stub_status` },
        elasticsearch: { url: `http://${host}:9200` },
      },
    };
    const run = await runStack("dev", { values, secrets: new Set([...raw.secrets, "postgresPassword"]) }, secretValue);
    const naming = containersOf(run).filter(names).map(alias).sort();
    expect(naming).toEqual(["alertmanager-0", "elasticsearch-exporter", "nginx-exporter", "postgres-exporter", "prometheus", "redis-exporter"]);
    const mapped = containersOf(run).filter((c) => c.inputs.hosts !== undefined);
    for (const c of mapped) expect({ container: alias(c), hosts: c.inputs.hosts }).toEqual({ container: alias(c), hosts: mapping });
    // Plus the blackbox exporter, which probes the targets prometheus.yml passes it.
    expect(mapped.map(alias).sort()).toEqual([...naming, "blackbox-exporter"].sort());
  });
});

describe("Docker: after destroy and up, Grafana accepts the admin password the stack outputs", () => {
  const work = mkdtempSync(path.join(tmpdir(), "watchpost-grafana-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /**
   * A stand-in for the grafana/grafana image, enough to hold its password behaviour: the
   * server (`/run.sh`) creates its database with GF_SECURITY_ADMIN_PASSWORD__FILE only when
   * there is none; `grafana cli admin reset-admin-password --password-from-stdin` sets user
   * 1's password where a database exists and fails where none does (as upstream's does).
   */
  function standInImage(): { bin: string; runSh: string } {
    const bin = path.join(work, "bin");
    mkdirSync(bin, { recursive: true });
    const cli = [
      "#!/bin/sh",
      'db="$GF_PATHS_DATA/grafana.db"',
      'case "$*" in *"admin reset-admin-password --password-from-stdin"*) ;; *) echo "unexpected: $*" >&2; exit 2;; esac',
      '[ -f "$db" ] || { echo "could not read user from database" >&2; exit 1; }',
      'IFS= read -r password || [ -n "$password" ]',
      'printf %s "$password" > "$db"',
    ].join("\n");
    writeFileSync(path.join(bin, "grafana"), cli, { mode: 0o755 });
    const runSh = path.join(work, "run.sh");
    writeFileSync(runSh, ["#!/bin/sh", 'db="$GF_PATHS_DATA/grafana.db"', '[ -f "$db" ] || cat "$GF_SECURITY_ADMIN_PASSWORD__FILE" > "$db"'].join("\n"), { mode: 0o755 });
    return { bin, runSh };
  }

  /** Starts the container as the stack defines it: its entrypoint and command, else the image's /run.sh. */
  function start(grafana: Recorded, secretFile: string, dataDir: string, image: { bin: string; runSh: string }) {
    const envs = Object.fromEntries((grafana.inputs.envs as string[]).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
    const passwordFile = envs.GF_SECURITY_ADMIN_PASSWORD__FILE;
    const script = grafana.inputs.entrypoints ? (grafana.inputs.command as string[])[0] : "exec /run.sh";
    expect(grafana.inputs.entrypoints ?? ["/bin/sh", "-c"]).toEqual(["/bin/sh", "-c"]);
    // The stand-in lives in a temp dir, not at the image's paths.
    const local = script.replaceAll(passwordFile, secretFile).replace("exec /run.sh", `exec ${image.runSh}`);
    const r = spawnSync("/bin/sh", ["-c", local], {
      encoding: "utf8",
      env: {
        ...envs,
        PATH: `${image.bin}:${process.env.PATH}`,
        GF_PATHS_DATA: dataDir,
        GF_PATHS_HOME: "/usr/share/grafana",
        GF_PATHS_CONFIG: "/etc/grafana/grafana.ini",
        GF_SECURITY_ADMIN_PASSWORD__FILE: secretFile,
      },
    });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
  }

  it("sets the password from the secret file on every start, also over a kept database", async () => {
    const run = await runStack("dev", readStackFile(stackFilePath("dev")), secretValue);
    const grafana = run.byType("docker:index/container:Container").find((c) => alias(c) === "grafana")!;
    const image = standInImage();
    const volume = path.join(work, "grafana-data");
    mkdirSync(volume);
    const secretFile = path.join(work, "grafana-admin-password");
    const db = () => readFileSync(path.join(volume, "grafana.db"), "utf8");

    writeFileSync(secretFile, "first-generated-password");
    start(grafana, secretFile, volume, image);
    expect(db()).toBe("first-generated-password");

    // pulumi destroy keeps the volume (retainOnDelete); pulumi up generates a new password.
    writeFileSync(secretFile, "second-generated-password");
    start(grafana, secretFile, volume, image);
    expect(db()).toBe("second-generated-password");
  });

  it("reads the password from the uploaded secret file on stdin, never from the command line or the environment", async () => {
    const run = await runStack("dev", readStackFile(stackFilePath("dev")), secretValue);
    const grafana = run.byType("docker:index/container:Container").find((c) => alias(c) === "grafana")!;
    expect(grafana.inputs.entrypoints).toEqual(["/bin/sh", "-c"]);
    expect(grafana.inputs.command).toEqual([grafanaStartWithAdminPassword("/run/secrets/grafana-admin-password")]);
    expect(grafana.inputs.command[0]).toContain("admin reset-admin-password --password-from-stdin < '/run/secrets/grafana-admin-password'");
    expect(grafana.inputs.uploads.map((u: any) => u.file)).toContain("/run/secrets/grafana-admin-password");
    expect(JSON.stringify([grafana.inputs.entrypoints, grafana.inputs.command, grafana.inputs.envs])).not.toContain(generatedPassword);
  });

  it("leaves a first start to Grafana, and stops rather than run with a password the output does not show", () => {
    const image = standInImage();
    const script = grafanaStartWithAdminPassword(path.join(work, "pw"), image.runSh);
    writeFileSync(path.join(work, "pw"), "p");
    const fresh = path.join(work, "fresh");
    mkdirSync(fresh);
    // No database yet: the CLI is not run (it would fail), the server creates the admin.
    const first = spawnSync("/bin/sh", ["-c", script], {
      encoding: "utf8",
      env: { PATH: `${image.bin}:${process.env.PATH}`, GF_PATHS_DATA: fresh, GF_SECURITY_ADMIN_PASSWORD__FILE: path.join(work, "pw") },
    });
    expect(first.status).toBe(0);
    expect(readFileSync(path.join(fresh, "grafana.db"), "utf8")).toBe("p");
    // A failing reset: the server never starts.
    writeFileSync(path.join(image.bin, "grafana"), "#!/bin/sh\nexit 1\n", { mode: 0o755 });
    writeFileSync(image.runSh, `#!/bin/sh\ntouch "${path.join(work, "server-started")}"\n`, { mode: 0o755 });
    const failed = spawnSync("/bin/sh", ["-c", script], { encoding: "utf8", env: { PATH: `${image.bin}:${process.env.PATH}`, GF_PATHS_DATA: fresh } });
    expect(failed.status).not.toBe(0);
    expect(existsSync(path.join(work, "server-started"))).toBe(false);
  });
});

describe("Docker: publishing beyond loopback is warned about, naming the key, the services and the risk", () => {
  const exposed = (bindAddress: string, more: Record<string, unknown> = {}) => {
    const raw = readStackFile(stackFilePath("dev"));
    return { values: { ...raw.values, docker: { bindAddress }, ...more }, secrets: raw.secrets };
  };
  const warningOf = (warnings: string[]) => warnings.find((w) => w.startsWith("watchpost:docker.bindAddress"));

  it("says which unauthenticated services are on which ports, what anyone can do, and the fix", () => {
    const w = warningOf(parseStackConfig("dev", exposed("0.0.0.0")).warnings);
    expect(w).toBe(
      'watchpost:docker.bindAddress: got "0.0.0.0"; UNAUTHENTICATED services are published on every network interface of the Docker host: ' +
        "Prometheus (:9090), Alertmanager (:9093), Loki (:3100), Alloy (:12345), Tempo (:3200), OTLP (:4317, :4318). " +
        "Anyone who reaches them can read every metric, log and trace, silence or fake alerts, and push data into the stack; only Grafana asks for a login. " +
        "Keep the default 127.0.0.1 and reach the UIs through an SSH tunnel (ssh -L 3000:127.0.0.1:3000 <host>), or put an authenticating proxy in front",
    );
    const lan = warningOf(parseStackConfig("dev", exposed("192.168.1.10", { logging: { enabled: false }, tracing: { backend: "jaeger" } })).warnings);
    expect(lan).toContain(
      'got "192.168.1.10"; UNAUTHENTICATED services are published on 192.168.1.10, beyond loopback: Prometheus (:9090), Alertmanager (:9093), the Jaeger UI (:16686), OTLP (:4317, :4318).',
    );
  });

  it("with the Elasticsearch logs backend, names Elasticsearch and Kibana among the services that ask for a login, not among the open ones", () => {
    const w = warningOf(parseStackConfig("dev", exposed("0.0.0.0", { logging: { backend: "elasticsearch" } })).warnings);
    expect(w).toContain("published on every network interface of the Docker host: Prometheus (:9090), Alertmanager (:9093), Tempo (:3200), OTLP (:4317, :4318).");
    expect(w).toContain("only Grafana, Elasticsearch and Kibana ask for a login.");
  });

  it("stays quiet on loopback", () => {
    for (const address of ["127.0.0.1", "127.0.0.2"]) expect(warningOf(parseStackConfig("dev", exposed(address)).warnings)).toBeUndefined();
  });

  it("reaches the Pulumi log and synth's output", async () => {
    const warn = vi.spyOn(pulumi.log, "warn").mockImplementation(async () => undefined);
    try {
      await runStack("dev", exposed("0.0.0.0"), secretValue);
      expect(warn.mock.calls.map((c) => String(c[0])).filter((m) => m.startsWith('watchpost:docker.bindAddress: got "0.0.0.0"; UNAUTHENTICATED'))).toHaveLength(1);
    } finally {
      warn.mockRestore();
    }
    const dir = mkdtempSync(path.join(tmpdir(), "watchpost-exposed-"));
    try {
      const file = path.join(dir, "Pulumi.dev.yaml");
      const doc = parse(readFileSync(stackFilePath("dev"), "utf8"));
      doc.config["watchpost:docker"] = { bindAddress: "0.0.0.0" };
      writeFileSync(file, stringify(doc));
      const r = spawnSync(process.execPath, [require.resolve("tsx/cli"), "infra/synth.ts", "--stack", "dev", "--file", file, "--out", path.join(dir, "out")], { encoding: "utf8" });
      expect(r.status).toBe(0);
      expect(r.stderr).toContain('warning: watchpost:docker.bindAddress: got "0.0.0.0"; UNAUTHENTICATED services are published on every network interface');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
