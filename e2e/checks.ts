/**
 * What the e2e concludes from what it reads off the deployed stack: pure
 * functions over Pulumi's, Docker's and Prometheus' JSON, so each conclusion is
 * tested on its own, failing cases included (test/e2e/checks.test.ts).
 */

export interface Finding {
  step: string;
  check: string;
  ok: boolean;
  detail: string;
}

/** One step of `pulumi preview --json`. */
export interface PreviewStep {
  op: string;
  urn: string;
  newState?: { type?: string; inputs?: Record<string, unknown>; dependencies?: string[]; propertyDependencies?: Record<string, string[]> };
  oldState?: { type?: string; inputs?: Record<string, unknown>; dependencies?: string[] };
  diffReasons?: string[];
  detailedDiff?: Record<string, unknown>;
}

export interface PreviewJson {
  steps?: PreviewStep[];
  changeSummary?: Record<string, number>;
  diagnostics?: Array<{ severity: string; message: string; urn?: string }>;
}

export function resourceName(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

export function resourceType(urn: string): string {
  const parts = urn.split("::");
  const chain = parts[2] ?? "";
  return chain.slice(chain.lastIndexOf("$") + 1);
}

function dependenciesOf(step: PreviewStep): string[] {
  const state = step.newState ?? step.oldState;
  const direct = state?.dependencies ?? [];
  const byProperty = Object.values(step.newState?.propertyDependencies ?? {}).flat();
  return [...new Set([...direct, ...byProperty])];
}

/**
 * The resources `pulumi up --target` deploys when some images cannot run here:
 * every resource except the images whose reference is in `unavailable` and
 * everything that depends on them, directly or not. Returns both lists.
 */
export function targetsWithout(preview: PreviewJson, unavailable: (imageRef: string) => boolean): { targets: string[]; left: string[] } {
  const steps = (preview.steps ?? []).filter((s) => resourceType(s.urn) !== "pulumi:pulumi:Stack");
  const left = new Set<string>();
  for (const step of steps) {
    const name = step.newState?.inputs?.name;
    if (resourceType(step.urn) === "docker:index/remoteImage:RemoteImage" && typeof name === "string" && unavailable(name)) left.add(step.urn);
  }
  let grew = true;
  while (grew) {
    grew = false;
    for (const step of steps) {
      if (left.has(step.urn)) continue;
      if (dependenciesOf(step).some((d) => left.has(d))) {
        left.add(step.urn);
        grew = true;
      }
    }
  }
  const targets = steps.map((s) => s.urn).filter((u) => !left.has(u) && !resourceType(u).startsWith("pulumi:providers:"));
  return { targets, left: [...left] };
}

/** The resources a preview would touch: every step that is not "same", by name. */
export function changedResources(preview: PreviewJson): Array<{ name: string; type: string; op: string }> {
  return (preview.steps ?? [])
    .filter((s) => s.op !== "same" && resourceType(s.urn) !== "pulumi:pulumi:Stack")
    .map((s) => ({ name: resourceName(s.urn), type: resourceType(s.urn), op: s.op }));
}

/** `docker inspect` of one container, the fields the e2e reads. */
export interface ContainerInspect {
  Name: string;
  Created: string;
  Config: { Image: string; Env?: string[]; Labels?: Record<string, string>; User?: string };
  State: {
    Status: string;
    Running: boolean;
    StartedAt: string;
    Health?: { Status: string; Log?: Array<{ Start: string; End: string; ExitCode: number; Output: string }> };
  };
  HostConfig?: { ExtraHosts?: string[] | null };
}

/** Containers that are not running, or whose health check is not "healthy" (those without one only need to run). */
export function unhealthy(containers: ContainerInspect[]): string[] {
  return containers
    .filter((c) => !c.State.Running || (c.State.Health !== undefined && c.State.Health.Status !== "healthy"))
    .map((c) => `${c.Name.replace(/^\//, "")}: ${c.State.Status}${c.State.Health ? `, ${c.State.Health.Status}` : ""}`);
}

/** When a container became healthy: the end of its first passing check (or its start, without a check). */
export function healthyAt(c: ContainerInspect): number | undefined {
  if (!c.State.Health) return c.State.Running ? Date.parse(c.State.StartedAt) : undefined;
  const passed = (c.State.Health.Log ?? []).filter((l) => l.ExitCode === 0).map((l) => Date.parse(l.End));
  return passed.length > 0 ? Math.min(...passed) : undefined;
}

/** Prometheus' `/api/v1/targets` data. */
export interface TargetsJson {
  activeTargets: Array<{ labels: Record<string, string>; scrapeUrl: string; health: string; lastError: string }>;
}

/**
 * The scrape jobs of containers left out of the deploy: a job is named after the
 * container's alias, and the container's resource is `<component>-<alias>`
 * ("metrics-grafana" for job "grafana").
 */
export function jobsNotStarted(targets: TargetsJson, leftOut: string[]): Set<string> {
  const jobs = new Set(targets.activeTargets.map((t) => t.labels.job));
  return new Set([...jobs].filter((job) => leftOut.some((name) => name === job || name.endsWith(`-${job}`))));
}

/**
 * Scrape targets that are down, leaving out those whose job scrapes a container
 * that was not started here (`notStarted` job names): those are expected down.
 */
export function targetsDown(targets: TargetsJson, notStarted: Set<string>): { down: string[]; expectedDown: string[] } {
  const down: string[] = [];
  const expectedDown: string[] = [];
  for (const t of targets.activeTargets) {
    if (t.health === "up") continue;
    const line = `${t.labels.job} ${t.scrapeUrl}: ${t.health}${t.lastError ? ` (${t.lastError})` : ""}`;
    (notStarted.has(t.labels.job) ? expectedDown : down).push(line);
  }
  return { down, expectedDown };
}

/** Where a secret value shows in plain text: `haystacks` maps a place to its text. */
export function leaks(secrets: string[], haystacks: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [place, text] of Object.entries(haystacks)) {
    for (const secret of secrets) {
      if (secret.length >= 8 && text.includes(secret)) found.push(`${place} holds a secret value in plain text (${secret.slice(0, 3)}…)`);
    }
  }
  return found;
}

/** A Pulumi stack export with every `ciphertext` value removed: what must hold no secret. */
export function withoutCiphertext(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutCiphertext);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === "ciphertext") continue;
      out[k] = withoutCiphertext(v);
    }
    return out;
  }
  return value;
}
