/**
 * The e2e: the dev stack deployed by the real Pulumi engine on a Docker engine
 * of its own, with the commands the README gives, and what that deploy does
 * checked from the outside. Steps (each one's findings in the report):
 *
 * 1. `pulumi preview` of the unmodified dev stack succeeds offline.
 * 2. With every channel enabled (secrets through `pulumi config set --secret`,
 *    pointing at local sinks) and images from a local registry (built from
 *    source), `npm run up` starts every container whose image could be built
 *    here (the rest left out with `--target`): containers healthy, every
 *    target up (a service on the host through host.docker.internal), rules
 *    loaded, Alertmanager replicas in one cluster, and stopping the host
 *    service gets the alert to every sink.
 * 3. A second `up` changes nothing; a config change previews only what it touches.
 * 4. `destroy` then `up`: samples and silences survive.
 * 5. No secret value in the stack export (outside ciphertext), in `docker inspect`
 *    or in any container's logs.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { ports } from "../model/conventions";
import { type ImageName, images as imageRefs } from "../model/versions";
import { HttpSink, SmtpSink } from "../drill/sinks";
import { DemoService } from "../drill/demo-service";
import { freePort } from "../harness/processes";
import { builtEngine } from "../tools/engine/pulumi";
import { builtProviders, providerPackages, sourceBuilds } from "../tools/engine/plugins";
import { builtTool } from "../tools/cache";
import {
  type ContainerInspect,
  type Finding,
  type PreviewJson,
  type TargetsJson,
  changedResources,
  healthyAt,
  jobsNotStarted,
  leaks,
  resourceName,
  targetsDown,
  targetsWithout,
  unhealthy,
  withoutCiphertext,
} from "./checks";
import { startDockerEngine } from "./docker-engine";
import { buildImages } from "./images/build";
import { startRegistry } from "./registry";
import { type Workspace, makeWorkspace, run } from "./workspace";

const root = resolve(__dirname, "..");
/** Published ports move up by this much, clear of a developer's own dev stack. */
const portOffset = 20000;
const stack = "dev";

export interface E2eReport {
  ok: boolean;
  findings: Finding[];
  timings: Record<string, number>;
  images: Array<{ name: string; ref: string; built: boolean; reason?: string; seconds: number }>;
  notStarted: string[];
  /** Checks the issue asks for that cannot run here, with the reason. */
  notChecked: Array<{ step: string; check: string; why: string }>;
  startedAt: string;
}

type Log = (line: string) => void;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value, or gives up after `seconds` (then returns undefined). */
async function until<T>(seconds: number, probe: () => Promise<T | undefined>, everyMs = 2000): Promise<T | undefined> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) return undefined;
    await sleep(everyMs);
  }
}

async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

function docker(host: string, args: string[]): string {
  const out = spawnSync("docker", ["-H", host, ...args], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, timeout: 120_000 });
  if (out.status !== 0) throw new Error(`docker ${args.join(" ")}: ${out.stderr.trim()}`);
  return out.stdout;
}

function stackContainers(host: string): ContainerInspect[] {
  const ids = docker(host, ["ps", "-aq", "--filter", "label=watchpost.service"]).split("\n").filter(Boolean);
  return ids.length === 0 ? [] : (JSON.parse(docker(host, ["inspect", ...ids])) as ContainerInspect[]);
}

/** A check the later steps cannot do without: the e2e stops there and cleans up. */
class StepFailed extends Error {}

class Report {
  readonly findings: Finding[] = [];
  readonly timings: Record<string, number> = {};
  constructor(private readonly log: Log) {}
  check(step: string, check: string, ok: boolean, detail = ""): boolean {
    this.findings.push({ step, check, ok, detail });
    this.log(`${ok ? "ok  " : "FAIL"} [${step}] ${check}${detail ? `: ${detail}` : ""}`);
    return ok;
  }
  /** What the e2e cannot check here, and why: listed in the report, neither passed nor failed. */
  readonly notCheckedHere: Array<{ step: string; check: string; why: string }> = [];
  notChecked(step: string, check: string, why: string): void {
    this.notCheckedHere.push({ step, check, why });
    this.log(`not checked [${step}] ${check}: ${why}`);
  }
  must(step: string, check: string, ok: boolean, detail = ""): void {
    if (!this.check(step, check, ok, detail)) throw new StepFailed(`${step}: ${check}`);
  }
}

export async function e2e(opts: { json?: string; log: Log; keep?: boolean }): Promise<E2eReport> {
  const { log } = opts;
  const report = new Report(log);
  const startedAt = new Date().toISOString();
  const engineBins = builtEngine();
  const missing = [
    ...(engineBins ? [] : ["the Pulumi CLI and language host"]),
    ...providerPackages()
      .filter((p) => p.name in sourceBuilds && !builtProviders().some((b) => b.name === p.name))
      .map((p) => `the ${p.name} provider ${p.version}`),
    ...(["prometheus", "alertmanager"] as const).filter((t) => !builtTool(t)).map((t) => t),
  ];
  if (missing.length > 0) throw new Error(`e2e: not built yet: ${missing.join(", ")}; run: npm run tools`);

  const tmp = mkdtempSync(join(tmpdir(), "watchpost-e2e-"));
  const stops: Array<[string, () => Promise<void> | void]> = [];
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    for (const [what, stop] of stops.reverse()) {
      try {
        await stop();
      } catch (err) {
        log(`e2e: could not stop ${what}: ${(err as Error).message}`);
      }
    }
  };
  // Interrupted, it still stops what it started (the engine, the registry, the sinks) by pid.
  // A signal often comes twice (to the process group and relayed by tsx): the second must not end it mid-cleanup.
  const onSignal = (signal: NodeJS.Signals) => {
    if (cleaned) return;
    log(`e2e: ${signal}: stopping what it started`);
    void cleanup().finally(() => process.exit(130));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  let images: E2eReport["images"] = [];
  let notStarted: string[] = [];
  let ws: Workspace | undefined;
  try {
    log(`e2e: working in ${tmp}`);
    const engine = await startDockerEngine({ baseDir: tmp, log });
    stops.push(["the Docker engine", () => engine.stop()]);
    const registry = await startRegistry({ baseDir: tmp, log });
    stops.push(["the registry", () => registry.stop()]);
    const workspace = makeWorkspace(root, tmp, engine.host);
    ws = workspace;
    const npm = (args: string[], seconds: number) => run(workspace, "npm", ["run", "-s", ...args], seconds);
    const pulumi = (args: string[], seconds = 600) => npm(["pulumi", "--", ...args, "--non-interactive"], seconds);

    // 1. The unmodified dev stack previews offline.
    const init = await pulumi(["stack", "init", stack, "--secrets-provider", "passphrase"]);
    report.must("1 preview", "the dev stack is created on the local backend", init.status === 0, init.stderr.trim().split("\n").slice(-3).join(" "));
    const preview1 = await pulumi(["preview", "--stack", stack, "--json"]);
    const p1 = parseJson<PreviewJson>(preview1.stdout);
    const errors1 = (p1?.diagnostics ?? []).filter((d) => d.severity === "error").map((d) => d.message.trim());
    report.must("1 preview", "pulumi preview of the unmodified dev stack succeeds", preview1.status === 0 && errors1.length === 0, errors1.join(" | ") || tail(preview1));
    report.check("1 preview", "every resource of the dev stack is in the plan", (p1?.steps ?? []).length > 10, `${(p1?.steps ?? []).length} steps`);

    // The images the dev stack pulls, built from source and pushed to the local registry.
    const pulled = (p1?.steps ?? []).filter((x) => x.urn.includes("docker:index/remoteImage:RemoteImage")).map((x) => String(x.newState?.inputs?.name ?? ""));
    const wanted = (Object.keys(imageRefs) as ImageName[]).filter((name) => pulled.some((ref) => ref.endsWith(imageRefs[name])));
    let t = Date.now();
    images = await buildImages({ registry: registry.address, dockerHost: engine.host, log, only: wanted });
    images = images.filter((i) => (wanted as string[]).includes(i.name));
    report.timings.imagesSeconds = (Date.now() - t) / 1000;
    const built = new Set(images.filter((i) => i.built).map((i) => i.ref));
    log(`images: ${images.map((i) => `${i.name} ${i.built ? "built" : `not built (${i.reason})`}`).join("; ")}`);

    // 2. Every channel on, images from the local registry, a service on the host.
    const gateway = JSON.parse(docker(engine.host, ["network", "inspect", "bridge"]))[0].IPAM.Config[0].Gateway as string;
    const token = () => randomBytes(12).toString("hex");
    const secrets = { slack: token(), pagerduty: token(), smtp: token(), heartbeat: token() };
    const http = new HttpSink(gateway);
    await http.start();
    stops.push(["the HTTP sink", () => http.stop()]);
    const smtp = new SmtpSink("alertmanager@e2e.example", secrets.smtp, gateway);
    await smtp.start();
    stops.push(["the SMTP sink", () => smtp.stop()]);
    const service = new DemoService(await freePort(), gateway);
    await service.start();
    stops.push(["the host service", () => service.stop()]);
    const viaHost = (port: number, path: string) => `http://host.docker.internal:${port}${path}`;
    const settings: Array<[string, string, string?]> = [
      ["watchpost:images.registryMirror", registry.address],
      ["watchpost:docker.portOffset", String(portOffset), "int"],
      // Two replicas, so the HA cluster is what is checked.
      ["watchpost:alertmanager.replicas", "2", "int"],
      ["watchpost:services[0].targets[0]", `host.docker.internal:${service.port}`],
      ["watchpost:probes[0].target", viaHost(service.port, "/healthz")],
      ["watchpost:notifications.slack.enabled", "true", "bool"],
      ["watchpost:notifications.pagerduty.enabled", "true", "bool"],
      ["watchpost:notifications.pagerduty.url", viaHost(http.port, "/pagerduty")],
      ["watchpost:notifications.email.enabled", "true", "bool"],
      ["watchpost:notifications.email.to[0]", "oncall@e2e.example"],
      ["watchpost:notifications.email.from", "alertmanager@e2e.example"],
      ["watchpost:notifications.email.smarthost", `host.docker.internal:${smtp.port}`],
      ["watchpost:notifications.email.username", "alertmanager@e2e.example"],
      ["watchpost:notifications.email.requireTls", "false", "bool"],
      ["watchpost:notifications.heartbeat.enabled", "true", "bool"],
    ];
    for (const [key, value, type] of settings) {
      const set = await pulumi(["config", "set", "--stack", stack, "--path", key, value, ...(type ? ["--type", type] : [])], 120);
      if (set.status !== 0) report.must("2 up", `pulumi config set ${key}`, false, tail(set));
    }
    const secretSettings: Array<[string, string]> = [
      ["watchpost:slackWebhookUrl", viaHost(http.port, `/slack/${secrets.slack}`)],
      ["watchpost:pagerdutyRoutingKey", secrets.pagerduty],
      ["watchpost:smtpPassword", secrets.smtp],
      ["watchpost:heartbeatUrl", viaHost(http.port, `/heartbeat/${secrets.heartbeat}`)],
    ];
    for (const [key, value] of secretSettings) {
      const set = await pulumi(["config", "set", "--stack", stack, "--secret", key, value], 120);
      report.must("2 up", `pulumi config set --secret ${key}`, set.status === 0, set.status === 0 ? "" : tail(set));
    }

    const preview2 = await pulumi(["preview", "--stack", stack, "--json"]);
    const p2 = parseJson<PreviewJson>(preview2.stdout);
    const { targets, left } = targetsWithout(p2 ?? {}, (ref) => !built.has(ref));
    notStarted = left.map(resourceName);
    report.must(
      "2 up",
      "the stack with every channel previews",
      preview2.status === 0 && targets.length > 0,
      `${targets.length} resources to deploy; left out (images not built here): ${notStarted.join(", ") || "none"}`,
    );
    const targetArgs = targets.flatMap((u) => ["--target", u]);

    t = Date.now();
    const up = await npm(["up", "--", "--stack", stack, "--yes", "--skip-preview", ...targetArgs], 900);
    report.timings.upSeconds = (Date.now() - t) / 1000;
    report.must("2 up", "npm run up -- --stack dev deploys", up.status === 0, up.status === 0 ? `${report.timings.upSeconds} s` : tail(up));
    const allHealthy = await until(
      300,
      async () => {
        const cs = stackContainers(engine.host);
        return cs.length > 0 && unhealthy(cs).length === 0 ? cs : undefined;
      },
      3000,
    );
    report.timings.upToHealthySeconds = (Date.now() - t) / 1000;
    const containers = allHealthy ?? stackContainers(engine.host);
    report.check(
      "2 up",
      "every started container is running and healthy",
      allHealthy !== undefined,
      allHealthy ? `${containers.length} containers` : unhealthy(containers).join("; "),
    );
    const created = Math.min(...containers.map((c) => Date.parse(c.Created)));
    const healthy = containers.map(healthyAt);
    if (healthy.every((h) => h !== undefined)) report.timings.containersCreateToHealthySeconds = (Math.max(...(healthy as number[])) - created) / 1000;

    const prom = `http://127.0.0.1:${ports.prometheus + portOffset}`;
    const am = `http://127.0.0.1:${ports.alertmanager + portOffset}`;
    const targetsOk = await until(
      180,
      async () => {
        const data = (await getJson<{ data: TargetsJson }>(`${prom}/api/v1/targets`)).data;
        return targetsDown(data, jobsNotStarted(data, notStarted)).down.length === 0 && data.activeTargets.length > 0 ? data : undefined;
      },
      5000,
    );
    const lastTargets =
      targetsOk ??
      (await getJson<{ data: TargetsJson }>(`${prom}/api/v1/targets`)
        .then((r) => r.data)
        .catch(() => ({ activeTargets: [] })));
    const { down, expectedDown } = targetsDown(lastTargets, jobsNotStarted(lastTargets, notStarted));
    report.check(
      "2 up",
      "Prometheus reports every target of a started container up",
      targetsOk !== undefined,
      down.join("; ") || `${lastTargets.activeTargets.length} targets; down as expected (not started): ${expectedDown.join("; ") || "none"}`,
    );
    const hostTarget = lastTargets.activeTargets.find((x) => x.scrapeUrl.includes(`host.docker.internal:${service.port}`));
    report.check(
      "2 up",
      "the service on the host is scraped through host.docker.internal",
      hostTarget?.health === "up",
      hostTarget ? `${hostTarget.scrapeUrl}: ${hostTarget.health} ${hostTarget.lastError}` : "no such target",
    );

    const rules = await getJson<{ data: { groups: Array<{ name: string; rules: Array<{ name: string; health: string; lastError?: string }> }> } }>(`${prom}/api/v1/rules`).catch(
      () => undefined,
    );
    const ruleCount = rules?.data.groups.reduce((n, g) => n + g.rules.length, 0) ?? 0;
    const broken = rules?.data.groups.flatMap((g) => g.rules.filter((r) => r.health === "err").map((r) => `${g.name}/${r.name}: ${r.lastError}`)) ?? [];
    report.check(
      "2 up",
      "the rules are loaded and evaluate without error",
      ruleCount > 0 && broken.length === 0,
      broken.join("; ") || `${rules?.data.groups.length ?? 0} groups, ${ruleCount} rules`,
    );

    const amContainers = containers.filter((c) => c.Config.Labels?.["watchpost.service"]?.startsWith("alertmanager"));
    const cluster = await until(
      120,
      async () => {
        const status = await getJson<{ cluster: { status: string; peers?: unknown[] } }>(`${am}/api/v2/status`);
        return status.cluster.status === "ready" && (status.cluster.peers ?? []).length === amContainers.length ? status : undefined;
      },
      3000,
    );
    report.check(
      "2 up",
      "the Alertmanager replicas form one cluster",
      cluster !== undefined,
      `${amContainers.length} replicas${cluster ? `, ${cluster.cluster.peers?.length} peers` : ""}`,
    );

    const heartbeat = await until(180, async () => (http.at(`/heartbeat/${secrets.heartbeat}`).length > 0 ? true : undefined), 3000);
    report.check("2 up", "the Watchdog heartbeat reaches its URL (read from its secret file)", heartbeat === true);
    await service.stop();
    const stoppedAt = Date.now();
    const delivered = await until(
      420,
      async () => {
        const slack = http.at(`/slack/${secrets.slack}`).some((d) => JSON.stringify(d.body).includes("ServiceDown"));
        const pd = http.at("/pagerduty").some((d) => JSON.stringify(d.body).includes("ServiceDown") && JSON.stringify(d.body).includes(secrets.pagerduty));
        const mail = smtp.mails.some((m) => m.text.includes("ServiceDown"));
        return slack && pd && mail ? { slack, pd, mail } : undefined;
      },
      5000,
    );
    report.timings.alertToEverySinkSeconds = (Date.now() - stoppedAt) / 1000;
    report.check(
      "2 up",
      "stopping the host service gets ServiceDown to Slack, PagerDuty and email",
      delivered !== undefined,
      `slack ${http.at(`/slack/${secrets.slack}`).length}, pagerduty ${http.at("/pagerduty").length}, email ${smtp.mails.length} deliveries; smtp auth failures: ${smtp.authFailures.length}`,
    );
    await service.start();

    // 3. Nothing to do twice; a config change touches what it should.
    t = Date.now();
    const again = await npm(["up", "--", "--stack", stack, "--yes", "--skip-preview", "--expect-no-changes", ...targetArgs], 600);
    report.timings.noopUpSeconds = (Date.now() - t) / 1000;
    report.check(
      "3 no-op",
      "a second npm run up changes nothing (--expect-no-changes)",
      again.status === 0,
      again.status === 0 ? `${report.timings.noopUpSeconds} s` : tail(again),
    );
    await pulumi(["config", "set", "--stack", stack, "--path", "watchpost:prometheus.retention", "15d"], 120);
    const preview3 = await pulumi(["preview", "--stack", stack, "--json", ...targetArgs]);
    const changed = changedResources(parseJson<PreviewJson>(preview3.stdout) ?? {});
    const stray = changed.filter((c) => !/(^|-)prometheus$/.test(c.name));
    report.check(
      "3 no-op",
      "changing prometheus.retention previews a change to Prometheus only",
      preview3.status === 0 && changed.length > 0 && stray.length === 0,
      changed.map((c) => `${c.op} ${c.name}`).join(", ") || tail(preview3),
    );
    await pulumi(["config", "set", "--stack", stack, "--path", "watchpost:prometheus.retention", "30d"], 120);

    // 4. Destroy and up again: data on the retained volumes survives.
    const before = Math.floor(Date.now() / 1000) - 30;
    const silence = await getJson<{ silenceID: string }>(`${am}/api/v2/silences`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        matchers: [{ name: "alertname", value: "E2eSilence", isRegex: false, isEqual: true }],
        startsAt: new Date().toISOString(),
        endsAt: new Date(Date.now() + 3600_000).toISOString(),
        createdBy: "watchpost-e2e",
        comment: "survives destroy and up",
      }),
    }).catch((err: Error) => ({ silenceID: "", error: err.message }));
    report.check("4 redeploy", "a silence is created", silence.silenceID !== "");
    // Alertmanager writes silences to disk on its maintenance interval and on shutdown; destroy stops it gracefully.
    const destroy = await pulumi(["destroy", "--stack", stack, "--yes", "--skip-preview"], 600);
    report.check("4 redeploy", "pulumi destroy removes the stack", destroy.status === 0 && stackContainers(engine.host).length === 0, tail(destroy));
    const up2 = await npm(["up", "--", "--stack", stack, "--yes", "--skip-preview", ...targetArgs], 900);
    report.check("4 redeploy", "npm run up brings it back", up2.status === 0, tail(up2));
    await until(300, async () => (unhealthy(stackContainers(engine.host)).length === 0 ? true : undefined), 3000);
    const samples = await until(
      120,
      async () => {
        const r = await getJson<{ data: { result: unknown[] } }>(`${prom}/api/v1/query?query=${encodeURIComponent('up{job="prometheus"}')}&time=${before}`);
        return r.data.result.length > 0 ? r.data.result.length : undefined;
      },
      5000,
    );
    report.check(
      "4 redeploy",
      "Prometheus still has the samples from before the destroy",
      samples !== undefined,
      `up{job="prometheus"} at ${new Date(before * 1000).toISOString()}`,
    );
    const silences = await until(
      120,
      async () => {
        const list = await getJson<Array<{ id: string; status: { state: string } }>>(`${am}/api/v2/silences`);
        return list.some((s) => s.id === silence.silenceID && s.status.state === "active") ? list.length : undefined;
      },
      3000,
    );
    report.check("4 redeploy", "Alertmanager still has the silence from before the destroy", silences !== undefined);
    if (notStarted.some((n) => /(^|-)grafana$/.test(n)))
      report.notChecked("4 redeploy", "the Grafana admin password in the stack output is the one Grafana accepts", "Grafana is not built here (AGPL module), so it is not started");

    // 5. Secrets stay secret.
    // The outputs Pulumi marks secret ("[secret]" without --show-secrets), by their values.
    const masked = parseJson<Record<string, unknown>>((await pulumi(["stack", "output", "--stack", stack, "--json"], 120)).stdout) ?? {};
    const shown = parseJson<Record<string, unknown>>((await pulumi(["stack", "output", "--stack", stack, "--json", "--show-secrets"], 120)).stdout) ?? {};
    const outputSecrets = Object.keys(masked)
      .filter((k) => JSON.stringify(masked[k]).includes("[secret]"))
      .flatMap((k) => collectStrings(shown[k]));
    const secretValues = [...Object.values(secrets), ...secretSettings.map(([, v]) => v), ...outputSecrets];
    const exported = await pulumi(["stack", "export", "--stack", stack], 120);
    const haystacks: Record<string, string> = { "pulumi stack export": JSON.stringify(withoutCiphertext(parseJson<unknown>(exported.stdout) ?? {})) };
    for (const c of stackContainers(engine.host)) {
      const name = c.Name.replace(/^\//, "");
      haystacks[`docker inspect ${name}`] = JSON.stringify(c);
      const logs = spawnSync("docker", ["-H", engine.host, "logs", name], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
      haystacks[`docker logs ${name}`] = `${logs.stdout}${logs.stderr}`;
    }
    const found = leaks(secretValues, haystacks);
    report.check(
      "5 secrets",
      "no secret value in the stack export, docker inspect or container logs",
      exported.status === 0 && found.length === 0,
      found.join("; ") || `${secretValues.length} values against ${Object.keys(haystacks).length} places`,
    );

    const final = await pulumi(["destroy", "--stack", stack, "--yes", "--skip-preview"], 600);
    report.check("cleanup", "pulumi destroy at the end", final.status === 0, tail(final));
  } catch (err) {
    if (!(err instanceof StepFailed)) throw err;
    log(`e2e: stopped at "${err.message}": the later steps need it`);
  } finally {
    // What the stack started goes with the engine; the engine, registry and sinks go by pid.
    await cleanup();
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    const passed = report.findings.length > 0 && report.findings.every((f) => f.ok);
    // A passing run leaves nothing behind; a failing one keeps the command log (and --keep the project copy too).
    if (passed && !opts.keep) rmSync(tmp, { recursive: true, force: true });
    else {
      if (!opts.keep) rmSync(join(tmp, "project"), { recursive: true, force: true });
      if (ws) log(`e2e: commands and their output: ${ws.log}`);
    }
  }
  const result: E2eReport = {
    ok: report.findings.length > 0 && report.findings.every((f) => f.ok),
    findings: report.findings,
    timings: report.timings,
    images,
    notStarted,
    notChecked: report.notCheckedHere,
    startedAt,
  };
  if (opts.json) {
    mkdirSync(dirname(resolve(opts.json)), { recursive: true });
    writeFileSync(opts.json, `${JSON.stringify(result, null, 2)}\n`);
  }
  return result;
}

function parseJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

function tail(r: { stdout: string; stderr: string }): string {
  return `${r.stderr}\n${r.stdout}`.trim().split("\n").slice(-6).join(" | ");
}

function collectStrings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(collectStrings);
  if (value && typeof value === "object") return Object.values(value).flatMap(collectStrings);
  return [];
}
