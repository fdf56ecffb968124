/**
 * Checks Helm values key by key against a chart's own default values.yaml, so
 * a renamed or misspelled key fails a test instead of being silently ignored
 * by the chart.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export const referenceDir = join(__dirname, "../../../shared/reference/helm");

const cache = new Map<string, string>();
function valuesText(chart: string): string {
  const file = join(referenceDir, chart, "values.yaml");
  if (!cache.has(file)) {
    if (!existsSync(file)) throw new Error(`no reference values for chart '${chart}' at ${file}`);
    cache.set(file, readFileSync(file, "utf8"));
  }
  return cache.get(file) as string;
}

/**
 * Charts with no reference copy of their values, and why none is needed: Watchpost sets none of
 * their values (the tests assert that) and they run no image.
 */
export const chartsWithoutValues: Record<string, string> = {
  "eck-operator-crds": "CustomResourceDefinitions only: no workload, so no image; installed with the chart's defaults",
  "prometheus-operator-crds":
    "CustomResourceDefinitions only: no workload, so no image; installed with the chart's defaults (its values only toggle single CRDs and add annotations)",
};

/**
 * Charts pinned at a version the reference (../shared/reference/versions.md) does not list, with
 * the pinned version (a further bump must update it), the older version whose reference values
 * the key check still compares against (none: no reference copy), and what the pinned version
 * was checked against by hand.
 */
export const pinnedBeyondReference: Record<string, { version: string; reference?: string; checked: string }> = {
  tempo: {
    version: "3.0.0",
    reference: "2.2.4",
    checked:
      "every key Watchpost sets (fullnameOverride, tempo.registry/repository/tag/reportingEnabled/resources/securityContext, config, " +
      "securityContext, serviceAccount.create/name/annotations, persistence.enabled/size/storageClassName/enableStatefulSetAutoDeletePVC, " +
      "tempoQuery.enabled off by default) is in the Tempo 3 chart's values.yaml (grafana-community/helm-charts d1e8f028, the 3.0 " +
      "monolithic chart of pull request 764); the chart renders `config` whole, so Tempo 3's blocks come from renderTempoConfig",
  },
  "prometheus-operator-crds": {
    version: "31.0.1",
    checked: "not in the reference; the 31.0.1 release carries appVersion v0.93.1, the operator kube-prometheus-stack 88.5.3 ships; no values set",
  },
};

export function chartDefaults(chart: string): Record<string, unknown> {
  return parse(valuesText(chart)) as Record<string, unknown>;
}

/** Keys a chart documents only as a commented-out example (`# storageClassName: gp3`), by name. */
export function commentedKeys(chart: string): Set<string> {
  return new Set([...valuesText(chart).matchAll(/^\s*#+\s*([A-Za-z_][\w.-]*):(\s|$)/gm)].map((m) => m[1]));
}

/**
 * Keys whose value is a Kubernetes object the chart copies into a manifest with
 * toYaml: their fields are checked by the Kubernetes schema, not the chart.
 */
export const kubernetesObjectKeys = new Set([
  "securityContext",
  "containerSecurityContext",
  "podSecurityContext",
  "resources",
  "affinity",
  "annotations",
  "labels",
  "podAnnotations",
  "podLabels",
]);

/** Read by every chart's `fullname` helper (helm create scaffolding), even where values.yaml omits them. */
export const scaffoldingKeys = new Set(["nameOverride", "fullnameOverride"]);

export interface FreeForm {
  /** Dotted path of a map the chart renders verbatim, so any key is valid under it. */
  path: string;
  /** Why this map takes arbitrary keys. */
  why: string;
}

export interface Subchart {
  /** Key at the root of the parent's values. */
  key: string;
  /** Folder under the reference dir holding the subchart's defaults. */
  chart: string;
}

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/**
 * Every key path in `values` that the defaults do not know. A key is known
 * when the defaults have it at the same path; maps that are empty in the
 * defaults (labels, annotations, resources, securityContext...) and maps the
 * chart passes through verbatim take any key below them.
 */
export function unknownKeys(
  values: Record<string, unknown>,
  defaults: Record<string, unknown>,
  opts: { freeForm?: FreeForm[]; subcharts?: Subchart[]; commented?: Set<string> } = {},
): string[] {
  const freeForm = new Set((opts.freeForm ?? []).map((f) => f.path));
  const commented = opts.commented ?? new Set<string>();
  const out: string[] = [];
  const walk = (ours: Record<string, unknown>, refs: Array<Record<string, unknown>>, path: string[]) => {
    for (const [key, value] of Object.entries(ours)) {
      const here = [...path, key];
      const dotted = here.join(".");
      if (freeForm.has(dotted) || kubernetesObjectKeys.has(key)) continue;
      const known = refs.filter((r) => key in r);
      if (known.length === 0) {
        if (!commented.has(key)) out.push(dotted);
        continue;
      }
      if (!isMap(value)) continue;
      const below = known.map((r) => r[key]).filter(isMap);
      // Keys below a null, scalar or empty map in the defaults are the chart's to pass through.
      if (below.length === 0 || below.every((m) => Object.keys(m).length === 0)) continue;
      walk(value, below, here);
    }
  };
  const rootRefs = (key: string): Array<Record<string, unknown>> => {
    const sub = opts.subcharts?.find((s) => s.key === key);
    const own = isMap(defaults[key]) ? [defaults[key] as Record<string, unknown>] : [];
    return sub ? [...own, chartDefaults(sub.chart)] : own;
  };
  for (const [key, value] of Object.entries(values)) {
    if (freeForm.has(key) || scaffoldingKeys.has(key)) continue;
    const sub = opts.subcharts?.find((s) => s.key === key);
    if (!(key in defaults) && !sub) {
      out.push(key);
      continue;
    }
    if (!isMap(value) || kubernetesObjectKeys.has(key)) continue;
    const refs = rootRefs(key).filter((m) => Object.keys(m).length > 0);
    if (refs.length > 0) walk(value, refs, [key]);
  }
  return out.sort();
}
