/**
 * Checks of a parsed stack against what the stack itself and its platform
 * make of it: names its own scrape jobs already use, host ports after the
 * offset, volume sizes the platform can give, thresholds in their units, and
 * latency SLO thresholds off the usual histogram buckets, the Docker networks
 * to join. Pure: run by
 * validate.ts once the shape of the configuration is valid.
 */
import { jobs } from "../../model/conventions";
import { planPrometheusStorage } from "../../components/prometheus/sizing";
import { durationSeconds, sizeBytes } from "../../model/primitives";
import { alertOverrideProblems, recordingRuleProblems } from "../../components/catalogue";
import { defaultLatencyBuckets } from "../../rules/slo";
import { ruleContext } from "../plan";
import { resolveThresholds, thresholdOrder, thresholdProblem, type ThresholdName } from "../../rules/thresholds";
import { dockerStackPrefix, type StackConfig } from "./schema";
import { publishedPorts } from "./exposure";
import { type ConfigProblem, keyPath } from "./problems";

export interface CheckResult {
  problems: ConfigProblem[];
  warnings: string[];
}

/** Scrape jobs the stack defines itself, with what scrapes under each name. */
function ownJobs(cfg: StackConfig): Map<string, string> {
  const own = new Map<string, string>(Object.values(jobs).map((job) => [job, `the stack's own scrape job ${JSON.stringify(job)}`]));
  own.set("kubernetes-annotated-pods", 'the stack\'s own scrape job "kubernetes-annotated-pods"');
  for (const probe of cfg.probes) own.set(`${jobs.blackbox}-${probe.name}`, `the scrape job of probe ${probe.name} (${jobs.blackbox}-${probe.name})`);
  return own;
}

function serviceNames(cfg: StackConfig): ConfigProblem[] {
  const own = ownJobs(cfg);
  return cfg.services.flatMap((svc, i) => {
    const clash = own.get(svc.name);
    if (!clash) return [];
    return [
      {
        key: keyPath(["services", i, "name"]),
        value: svc.name,
        message: `clashes with ${clash}: a service's name is its job and service label, so its series and alerts would mix with that job's; rename the service, such as ${svc.name}-app`,
      },
    ];
  });
}

function portOffset(cfg: StackConfig): ConfigProblem[] {
  if (cfg.platform !== "docker") return [];
  const highest = publishedPorts(cfg).reduce((a, b) => (b.port > a.port ? b : a));
  const offset = cfg.docker.portOffset;
  if (highest.port + offset <= 65535) return [];
  return [
    {
      key: keyPath(["docker", "portOffset"]),
      value: offset,
      message: `publishes ${highest.what} on ${highest.port + offset}, beyond the highest TCP port 65535; expected at most ${65535 - highest.port} with this stack (its highest port is ${highest.port}, ${highest.what}); lower the offset`,
    },
  ];
}

/** Networks a container cannot usefully join besides the stack's own, with why and what to do. */
const unjoinableNetworks: Record<string, string> = {
  host: "the host network cannot be joined together with another network; list the app's own network instead, such as myapp_default (docker network ls)",
  none: "the none network cannot be joined together with another network; list the app's own network instead, such as myapp_default (docker network ls)",
  bridge:
    "the default bridge network resolves no container names, so targets such as api:8080 would not resolve there; list the app's own network instead, such as myapp_default (docker network ls)",
};

function dockerNetworks(cfg: StackConfig): ConfigProblem[] {
  const names = cfg.docker.networks;
  if (cfg.platform !== "docker")
    return names.length === 0
      ? []
      : [
          {
            key: keyPath(["docker", "networks"]),
            value: names,
            message: "is for the docker platform; on kubernetes Prometheus reaches services through their Kubernetes Service (services[].kubernetes); remove it",
          },
        ];
  const own = dockerStackPrefix(cfg.stack);
  return names.flatMap((name, i): ConfigProblem[] => {
    const at = { key: keyPath(["docker", "networks", i]), value: name };
    if (names.indexOf(name) !== i) return [{ ...at, message: `is listed already as docker.networks[${names.indexOf(name)}]; list each network once` }];
    if (name === own) return [{ ...at, message: "is the stack's own network, which every container joins anyway; remove it" }];
    const why = unjoinableNetworks[name];
    return why ? [{ ...at, message: why }] : [];
  });
}

/** gp3, the StorageClass every volume gets on eks, holds 1 GiB to 16 TiB; another cluster's classes have limits of their own. */
const gp3MaxBytes = 16 * 2 ** 40;

function volumeSizes(cfg: StackConfig): ConfigProblem[] {
  if (cfg.profile !== "eks") return [];
  const problems: ConfigProblem[] = [];
  const sized: Array<[PropertyKey[], string | undefined, boolean]> = [
    [["prometheus", "volumeSize"], cfg.prometheus.volumeSize, true],
    [["logging", "volumeSize"], cfg.logging.volumeSize, cfg.logging.enabled],
    [["tracing", "volumeSize"], cfg.tracing.volumeSize, cfg.tracing.enabled],
  ];
  for (const [path, size, used] of sized)
    if (used && size !== undefined && sizeBytes(size) > gp3MaxBytes)
      problems.push({ key: keyPath(path), value: size, message: "is beyond the largest gp3 volume, 16Ti; expected at most 16Ti" });
  if (cfg.prometheus.volumeSize === undefined) {
    const plan = planPrometheusStorage(cfg.prometheus);
    if (plan.volumeGi * 2 ** 30 > gp3MaxBytes)
      problems.push({
        key: keyPath(["prometheus", "expectedActiveSeries"]),
        value: cfg.prometheus.expectedActiveSeries,
        message: `with prometheus.retention ${cfg.prometheus.retention} this needs a ${plan.volumeGi}Gi volume, beyond the largest gp3 volume (16Ti); shorten prometheus.retention, or keep long-term data in a remote store (prometheus.remoteWrite or prometheus.amp)`,
      });
  }
  return problems;
}

function thresholds(cfg: StackConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const overrides = cfg.alerts.thresholds as Partial<Record<ThresholdName, number>>;
  const resolved = resolveThresholds(overrides);
  const wrongUnit = new Set<ThresholdName>();
  for (const [name, value] of Object.entries(overrides) as Array<[ThresholdName, number]>) {
    const problem = thresholdProblem(name, value);
    if (problem) {
      wrongUnit.add(name);
      problems.push({ key: keyPath(["alerts", "thresholds", name]), value, message: problem });
    }
  }
  for (const [warning, critical, side] of thresholdOrder) {
    if (wrongUnit.has(warning) || wrongUnit.has(critical)) continue;
    const w = resolved[warning];
    const c = resolved[critical];
    const wrong = side === "below" ? w >= c : w <= c;
    if (!wrong) continue;
    const key = warning in overrides ? warning : critical;
    const [up, down] = side === "below" ? [critical, warning] : [warning, critical];
    problems.push({
      key: keyPath(["alerts", "thresholds", key]),
      value: resolved[key],
      message: `${warning} (${w}) must be ${side} ${critical} (${c}), or the warning would come after the critical alert; raise ${up} or lower ${down}`,
    });
  }
  return problems;
}

const bucketWords = defaultLatencyBuckets.map((s) => (s < 1 ? `${Math.round(s * 1000)}ms` : `${s}s`)).join(", ");

function latencyBuckets(cfg: StackConfig): string[] {
  return cfg.services.flatMap((svc, i) =>
    svc.slos.flatMap((slo, j) => {
      if (slo.type !== "latency" || slo.threshold === undefined) return [];
      const seconds = durationSeconds(slo.threshold);
      if (defaultLatencyBuckets.some((b) => Math.abs(b - seconds) < 1e-9)) return [];
      const le = String(Number(seconds.toPrecision(12)));
      return [
        `${keyPath(["services", i, "slos", j, "threshold"])}: ${slo.threshold} (le="${le}") is not one of the default histogram buckets of the Prometheus client libraries (${bucketWords}); ` +
          `the SLO reads http_request_duration_seconds_bucket{le="${le}"}, so unless ${svc.name} declares that bucket the SLO has no data and SLOMetricAbsent fires; use one of those thresholds, or add ${le} to the service's buckets`,
      ];
    }),
  );
}

/** Overrides name built-in alerts this stack renders; custom alerts keep clear of built-in names. */
function alertOverrides(cfg: StackConfig): ConfigProblem[] {
  // The Grafana URL only feeds annotations, which the checks do not read.
  return alertOverrideProblems(ruleContext(cfg, "http://grafana")).map((p) => ({ key: keyPath(["alerts", ...p.path]), value: p.value, message: p.message }));
}

/** Recording rules of the stack's own: PromQL that checks, names of their own. */
function recordingRules(cfg: StackConfig): ConfigProblem[] {
  return recordingRuleProblems(ruleContext(cfg, "http://grafana")).map((p) => ({ key: keyPath(["alerts", "recording", p.index, p.path]), value: p.value, message: p.message }));
}

export function stackChecks(cfg: StackConfig): CheckResult {
  return {
    problems: [...serviceNames(cfg), ...portOffset(cfg), ...dockerNetworks(cfg), ...volumeSizes(cfg), ...thresholds(cfg), ...alertOverrides(cfg), ...recordingRules(cfg)],
    warnings: latencyBuckets(cfg),
  };
}
