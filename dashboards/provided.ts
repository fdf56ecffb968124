/**
 * Dashboards a team brings as exported Grafana JSON. Grafana provisions such a
 * file as it is, so what would break it there is found here, by name: not a
 * dashboard, PromQL that does not parse, a datasource the stack does not have.
 * Datasource references are pointed at the stack's own datasources (fixed
 * uids): an export's `${DS_PROMETHEUS}` inputs, another Grafana's uids and
 * datasource names. Pure: the caller reads the files.
 */
import { createHash } from "node:crypto";
import { lintExpression, describe as near, syntaxErrors } from "../rules/check";

/** A datasource the stack provisions, as its provisioning file names it. */
export interface StackDatasource {
  name: string;
  type: string;
  uid: string;
}

type Json = Record<string, unknown>;

export interface PreparedDashboard {
  /** The dashboard with its datasource references pointed at the stack's datasources, its uid set and no import-only fields. */
  dashboard: Json;
  /** What is wrong with the file, each in words for its author; empty when it can be provisioned. */
  problems: string[];
}

/** Grafana's own pseudo-datasources, which every Grafana has. */
const builtinDatasourceUids = new Set(["grafana", "-- Grafana --", "-- Mixed --", "-- Dashboard --"]);

const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

/** Lower-case letters, digits and dashes: a folder's directory, a uid part, a Kubernetes name part. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/\.json$/, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * The uid of a team dashboard that names none: `<folder>-<name>`, from the folder and the file
 * (or title), so it stays the same from one deploy to the next and links to it keep working.
 * Past Grafana's 40 characters, the start and a hash of the whole.
 */
export function derivedDashboardUid(folder: string, name: string): string {
  const full = `${slug(folder)}-${slug(name)}`;
  if (full.length <= 40) return full;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, 8);
  return `${full.slice(0, 31).replace(/-+$/, "")}-${hash}`;
}

/**
 * Grafana variables replaced by what Prometheus will see, so the grammar checks the query Grafana sends:
 * inside `[…]` and after `offset` a duration, elsewhere a name (a metric, a label, a number's stand-in).
 * Quoted strings keep theirs: any text is valid there.
 */
export function interpolateVariables(expr: string): string {
  // `[[name]]` is Grafana's older spelling of `$name`.
  const text = expr.replace(/\[\[(\w+)(?::\w+)?\]\]/g, "$$$1");
  const variable = /\$\{[^}]*\}|\$\w+/y;
  let out = "";
  let quote: string | undefined;
  let bracket = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      out += c;
      if (c === "\\") out += text[++i] ?? "";
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "[") bracket++;
    else if (c === "]" && bracket > 0) bracket--;
    else if (c === "$") {
      variable.lastIndex = i;
      const match = variable.exec(text);
      if (match) {
        out += bracket > 0 || /\boffset\s*$/.test(out) ? "5m" : "grafana_variable";
        i += match[0].length - 1;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/**
 * What is wrong with one query, after Grafana's variables are stood in for: a syntax error, or a type
 * error of Prometheus' UI linter (`rate(x)` without a range). Types are checked only where no variable
 * stands outside a range: a stand-in name there has no type of the value Grafana will put in.
 */
export function promqlProblem(expr: string): string | undefined {
  if (expr.trim() === "") return undefined;
  const text = interpolateVariables(expr);
  const shown = `; expr: ${expr.replace(/\s+/g, " ")}`;
  const errors = syntaxErrors(text);
  if (errors.length > 0) return `PromQL syntax error at ${near(text, errors[0].from)}${shown}`;
  if (text.includes("grafana_variable")) return undefined;
  const [first] = lintExpression(text).diagnostics;
  return first ? `PromQL type error at ${near(text, first.from)}: ${first.message}${shown}` : undefined;
}

interface Resolver {
  /** `${DS_X}` inputs of the export: input name → plugin id. */
  inputs: Map<string, string>;
  /** The dashboard's own datasource variables (`$datasource`), which Grafana resolves at view time. */
  variables: Set<string>;
  datasources: StackDatasource[];
  problems: string[];
}

function byType(r: Resolver, type: string | undefined): StackDatasource | undefined {
  return type === undefined ? undefined : r.datasources.find((d) => d.type === type);
}

function missing(r: Resolver, type: string, where: string): string {
  return `${where}: needs a datasource of type ${type}, which this stack does not provision (it has: ${r.datasources.map((d) => d.type).join(", ")}); turn on the part of the stack that provides it, or remove the panel`;
}

/** A reference to one of the dashboard's datasource variables: `$ds`, `${ds}`, `[[ds]]`. */
function variableName(text: string): string | undefined {
  return /^\$\{?(\w+)\}?$|^\[\[(\w+)\]\]$/.exec(text)?.slice(1).find(Boolean);
}

/**
 * One datasource reference, resolved: kept where it names a stack datasource, a Grafana built-in or a
 * datasource variable; else pointed at the stack's datasource of its type (from the reference, the
 * export's inputs or the `fallbackType`); else a problem.
 */
function resolveReference(r: Resolver, ref: unknown, where: string, fallbackType?: string): unknown {
  if (ref === undefined || ref === null) return ref;
  const ours = (d: StackDatasource) => ({ type: d.type, uid: d.uid });
  const text = typeof ref === "string" ? ref : isObject(ref) && typeof ref.uid === "string" ? ref.uid : undefined;
  const declaredType = isObject(ref) && typeof ref.type === "string" ? ref.type : undefined;
  if (text === undefined) {
    if (isObject(ref) && declaredType) {
      const d = byType(r, declaredType);
      if (d) return ours(d);
      if (declaredType === "datasource") return ref;
      r.problems.push(missing(r, declaredType, where));
      return ref;
    }
    r.problems.push(
      `${where}: datasource ${JSON.stringify(ref)} is neither a name nor a {type, uid} reference; expected such as {"type": "prometheus", "uid": "${r.datasources[0]?.uid}"}`,
    );
    return ref;
  }
  if (builtinDatasourceUids.has(text) || declaredType === "datasource") return ref;
  if (r.datasources.some((d) => d.uid === text)) return ref;
  const name = variableName(text);
  if (name !== undefined) {
    const plugin = r.inputs.get(name);
    if (plugin !== undefined) {
      const d = byType(r, plugin);
      if (d) return ours(d);
      r.problems.push(missing(r, plugin, `${where} (input \${${name}})`));
      return ref;
    }
    if (r.variables.has(name)) return ref;
    // An input the export does not declare: its type comes from the reference or the panel.
    const type = declaredType ?? fallbackType;
    const d = byType(r, type);
    if (d) return ours(d);
    if (type !== undefined) {
      r.problems.push(missing(r, type, where));
      return ref;
    }
    r.problems.push(
      `${where}: datasource ${JSON.stringify(text)} is neither an input of the export (__inputs) nor a datasource variable of the dashboard; give the reference a type, such as {"type": "prometheus", "uid": "${text}"}, or export the dashboard again with "Export for sharing externally"`,
    );
    return ref;
  }
  const named = r.datasources.find((d) => d.name === text);
  if (typeof ref === "string" && named) return ours(named);
  const d = byType(r, declaredType ?? (typeof ref === "string" ? undefined : fallbackType));
  if (d) return ours(d);
  if (declaredType) r.problems.push(missing(r, declaredType, where));
  else
    r.problems.push(
      `${where}: unknown datasource ${JSON.stringify(text)}; expected one of the stack's datasources (${r.datasources.map((s) => `${s.name} = ${s.uid}`).join(", ")}), or a {type, uid} reference whose type the stack provides`,
    );
  return ref;
}

function typeOf(r: Resolver, ref: unknown): string | undefined {
  if (ref === undefined || ref === null) return r.datasources[0]?.type;
  if (isObject(ref) && typeof ref.type === "string") return ref.type;
  const uid = typeof ref === "string" ? ref : isObject(ref) ? ref.uid : undefined;
  return r.datasources.find((d) => d.uid === uid || d.name === uid)?.type;
}

function preparePanel(r: Resolver, panel: unknown, where: string): unknown {
  if (!isObject(panel)) {
    r.problems.push(`${where}: expected a panel object, not ${JSON.stringify(panel)}`);
    return panel;
  }
  const title = typeof panel.title === "string" && panel.title !== "" ? `panel '${panel.title}'` : `panel id ${String(panel.id ?? "?")}`;
  const at = `${where.replace(/panels\[\d+\]$/, "")}${title}`;
  const out: Json = { ...panel };
  if ("libraryPanel" in panel)
    r.problems.push(`${at}: is a library panel, which file provisioning cannot load; unlink it in Grafana (Panel → More → Unlink library panel) and export again`);
  if ("datasource" in panel) out.datasource = resolveReference(r, panel.datasource, `${at}, datasource`);
  const panelType = typeOf(r, out.datasource);
  if (Array.isArray(panel.targets)) {
    out.targets = panel.targets.map((target, i) => {
      if (!isObject(target)) return target;
      const refId = typeof target.refId === "string" ? target.refId : String(i);
      const copy: Json = { ...target };
      if ("datasource" in target) copy.datasource = resolveReference(r, target.datasource, `${at}, query ${refId}, datasource`, panelType);
      const type = "datasource" in target && typeOf(r, copy.datasource) !== "datasource" ? typeOf(r, copy.datasource) : panelType;
      if (type === "prometheus" && typeof target.expr === "string") {
        const problem = promqlProblem(target.expr);
        if (problem) r.problems.push(`${at}, query ${refId}: ${problem}`);
      }
      return copy;
    });
  }
  if (Array.isArray(panel.panels)) out.panels = panel.panels.map((child, i) => preparePanel(r, child, `${at} › panels[${i}]`));
  return out;
}

/**
 * Checks one exported dashboard and makes it provisionable by the stack.
 * @param uid the uid it gets when it names none (see derivedDashboardUid)
 */
export function prepareProvidedDashboard(json: unknown, datasources: StackDatasource[], uid: string): PreparedDashboard {
  if (!isObject(json))
    return { dashboard: {}, problems: [`is ${Array.isArray(json) ? "a list" : JSON.stringify(json)}; expected a Grafana dashboard: an object with a title and panels`] };
  // What the API wraps an export in ({"dashboard": {...}, "meta": {...}}): the dashboard is inside.
  if (isObject(json.dashboard) && !("panels" in json))
    return {
      dashboard: {},
      problems: ['is the API\'s {"dashboard": …, "meta": …} wrapper; save the inner "dashboard" object instead (such as with jq .dashboard), or use Export → Save to file'],
    };
  const problems: string[] = [];
  if (typeof json.title !== "string" || json.title.trim() === "") problems.push(`title: got ${JSON.stringify(json.title)}; expected the dashboard's title, not empty`);
  if (!Array.isArray(json.panels))
    problems.push(
      Array.isArray(json.rows)
        ? "has rows but no panels: the layout of Grafana before 5.0; open it in a current Grafana and export it again"
        : `panels: got ${JSON.stringify(json.panels)}; expected a list of panels, as Grafana exports it`,
    );
  if (json.uid !== undefined && json.uid !== null && (typeof json.uid !== "string" || !/^[A-Za-z0-9_-]{1,40}$/.test(json.uid)))
    problems.push(
      `uid: got ${JSON.stringify(json.uid)}; expected 1 to 40 letters, digits, - or _; fix it in the file, or remove it to have one derived from the folder and file name`,
    );
  if (problems.length > 0) return { dashboard: json, problems };

  const inputs = new Map<string, string>();
  for (const input of Array.isArray(json.__inputs) ? json.__inputs : [])
    if (isObject(input) && input.type === "datasource" && typeof input.name === "string" && typeof input.pluginId === "string") inputs.set(input.name, input.pluginId);
  const templating = isObject(json.templating) && Array.isArray(json.templating.list) ? json.templating.list : [];
  const variables = new Set(templating.filter((v): v is Json => isObject(v) && v.type === "datasource" && typeof v.name === "string").map((v) => v.name as string));
  const r: Resolver = { inputs, variables, datasources, problems };

  for (const v of templating)
    if (isObject(v) && v.type === "datasource" && typeof v.query === "string" && !byType(r, v.query)) problems.push(missing(r, v.query, `variable $${String(v.name)}`));

  const dashboard: Json = { ...json, uid: typeof json.uid === "string" ? json.uid : uid, id: null };
  // Import-time fields: the inputs are resolved here, and provisioning reads neither.
  delete dashboard.__inputs;
  delete dashboard.__elements;
  dashboard.panels = (json.panels as unknown[]).map((panel, i) => preparePanel(r, panel, `panels[${i}]`));
  if (templating.length > 0)
    dashboard.templating = {
      ...(json.templating as Json),
      list: templating.map((v) => {
        if (!isObject(v) || !("datasource" in v) || v.type === "datasource") return v;
        const copy: Json = { ...v, datasource: resolveReference(r, v.datasource, `variable $${String(v.name)}, datasource`) };
        if (typeOf(r, copy.datasource) === "prometheus" && v.type === "query") {
          const query = isObject(v.query) ? v.query.query : v.query;
          const selector = typeof query === "string" ? /^label_values\((.+),\s*\w+\)$/.exec(query.trim())?.[1] : undefined;
          const problem = selector !== undefined ? promqlProblem(selector) : undefined;
          if (problem) problems.push(`variable $${String(v.name)}: ${problem}`);
        }
        return copy;
      }),
    };
  if (isObject(json.annotations) && Array.isArray(json.annotations.list))
    dashboard.annotations = {
      ...json.annotations,
      list: json.annotations.list.map((a) =>
        isObject(a) && "datasource" in a ? { ...a, datasource: resolveReference(r, a.datasource, `annotation '${String(a.name ?? "?")}', datasource`) } : a,
      ),
    };
  return { dashboard, problems };
}
