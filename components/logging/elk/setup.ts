/**
 * The setup step that applies the rendered objects: a one-shot container (Docker) or Job
 * (Kubernetes) running the Elasticsearch image's shell and curl. It waits for Elasticsearch,
 * applies the ILM policy, the templates, the ingest pipeline and the shipper's role and user,
 * then waits for Kibana and creates the data views. Every request is an idempotent PUT or an
 * overriding POST, so it runs again on every change.
 *
 * Passwords never reach a command line or the environment: the script reads them from the
 * mounted secret files into files of its own temporary directory (mode 0600) that curl reads. Generated passwords
 * are letters and digits only, so they are written into JSON without escaping.
 */
import type { estypes } from "@elastic/elasticsearch";
import type { ElasticsearchSpec } from "../spec";
import { renderDataViews } from "./data-views";
import { renderIlmPolicy } from "./lifecycle";
import { elasticUser, elkObjectNames, logStreams, setupSecretFiles } from "./names";
import { renderIngestPipeline } from "./pipeline";
import { renderIndexTemplates, renderMappingsTemplate } from "./templates";

/** The shipper's user and its role: create documents in the log streams, nothing else. */
export const shipperUser = "watchpost_filebeat";
export const shipperRole = "watchpost_log_writer";

export function renderShipperRole() {
  return {
    name: shipperRole,
    cluster: ["monitor", "read_ilm", "read_pipeline"],
    indices: [{ names: logStreams.map((s) => `${s}-*`), privileges: ["create_doc", "auto_configure"] }],
    metadata: { managed_by: "watchpost" },
  } satisfies estypes.SecurityPutRoleRequest;
}

export interface SetupRequest {
  service: "elasticsearch" | "kibana";
  method: "PUT" | "POST";
  path: string;
  /** File name of the JSON body under `setupDir`. */
  file: string;
  body: unknown;
}

/** Where the bodies are placed in the setup container. */
export const setupDir = "/etc/watchpost-elk";

/** A request object without its path parameters: what goes in the body. */
function bodyOf<T extends object>(request: T, ...pathParams: Array<keyof T>): Omit<T, (typeof pathParams)[number]> {
  const body = { ...request };
  for (const key of pathParams) delete body[key];
  return body;
}

export function elkSetupRequests(spec: ElasticsearchSpec, environment: string): SetupRequest[] {
  const es = (path: string, file: string, body: unknown): SetupRequest => ({ service: "elasticsearch", method: "PUT", path, file, body });
  const policy = renderIlmPolicy(spec.lifecycle);
  const mappings = renderMappingsTemplate();
  const pipeline = renderIngestPipeline(spec.scrubFields, environment);
  const role = renderShipperRole();
  return [
    es(`/_ilm/policy/${policy.name}`, "ilm-policy.json", bodyOf(policy, "name")),
    es(`/_component_template/${mappings.name}`, "component-template.json", bodyOf(mappings, "name")),
    es(`/_ingest/pipeline/${pipeline.id}`, "pipeline.json", bodyOf(pipeline, "id")),
    ...renderIndexTemplates().map((t) => es(`/_index_template/${t.name}`, `index-template-${t.name}.json`, bodyOf(t, "name"))),
    es(`/_security/role/${role.name}`, "shipper-role.json", bodyOf(role, "name")),
    ...renderDataViews().map(
      (view): SetupRequest => ({ service: "kibana", method: "POST", path: "/api/data_views/data_view", file: `data-view-${view.data_view.id}.json`, body: view }),
    ),
  ];
}

/** The request bodies as files, by name. */
export function elkSetupFiles(requests: SetupRequest[]): Record<string, string> {
  return Object.fromEntries(requests.map((r) => [r.file, `${JSON.stringify(r.body, null, 2)}\n`]));
}

export interface SetupScriptOptions {
  /** The elastic user's password file. */
  elasticPasswordFile: string;
  /** The shipper user's password file. */
  shipperPasswordFile: string;
  /** Docker: the kibana_system password file, set here; on Kubernetes the operator sets up Kibana's own user. */
  kibanaSystemPasswordFile?: string;
  /** CA of Elasticsearch's and Kibana's HTTPS (Kubernetes). */
  caFile?: string;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The setup script; reads ES_URL and KIBANA_URL from its environment (plain URLs, no credentials). */
export function renderElkSetupScript(requests: SetupRequest[], options: SetupScriptOptions): string {
  const ca = options.caFile ? ` --cacert ${quote(options.caFile)}` : "";
  const lines = [
    "#!/bin/sh",
    "set -eu",
    "umask 077",
    "# The files holding a password or an answer go with the script, however it ends.",
    'work="$(mktemp -d)"',
    `trap 'rm -rf "$work"' EXIT`,
    `printf 'Authorization: Basic %s\\n' "$(printf '%s:%s' ${elasticUser} "$(cat ${quote(options.elasticPasswordFile)})" | base64 | tr -d '\\n')" > "$work/auth"`,
    "# request SERVICE METHOD PATH BODY-FILE: fails the step on any answer but 2xx, printing the answer.",
    "request() {",
    '  if [ "$1" = kibana ]; then base="$KIBANA_URL"; else base="$ES_URL"; fi',
    `  code=$(curl -sS${ca} -o "$work/answer" -w '%{http_code}' -H @"$work/auth" -H 'Content-Type: application/json' -H 'kbn-xsrf: watchpost' -X "$2" "$base$3" --data-binary @"$4")`,
    '  case "$code" in 2??) echo "$2 $3: $code" ;; *) echo "$2 $3: $code $(cat "$work/answer")" >&2; exit 1 ;; esac',
    "}",
    "# wait_for URL: up to 10 minutes for a 200 answer.",
    "wait_for() {",
    "  tries=0",
    `  until [ "$(curl -s${ca} -o /dev/null -w '%{http_code}' -H @"$work/auth" "$1" || true)" = 200 ]; do`,
    '    tries=$((tries + 1)); [ "$tries" -lt 120 ] || { echo "no answer from $1 after 10 minutes" >&2; exit 1; }',
    "    sleep 5",
    "  done",
    "}",
    'wait_for "$ES_URL/_cluster/health?wait_for_status=yellow&timeout=5s"',
  ];
  const esRequests = requests.filter((r) => r.service === "elasticsearch");
  const kibanaRequests = requests.filter((r) => r.service === "kibana");
  for (const r of esRequests) lines.push(`request elasticsearch ${r.method} ${r.path} ${setupDir}/${r.file}`);
  lines.push(
    `printf '{"password":"%s","roles":["${shipperRole}"],"full_name":"Watchpost log shipper"}' "$(cat ${quote(options.shipperPasswordFile)})" > "$work/shipper-user.json"`,
    `request elasticsearch PUT /_security/user/${shipperUser} "$work/shipper-user.json"`,
  );
  if (options.kibanaSystemPasswordFile)
    lines.push(
      `printf '{"password":"%s"}' "$(cat ${quote(options.kibanaSystemPasswordFile)})" > "$work/kibana-system.json"`,
      'request elasticsearch POST /_security/user/kibana_system/_password "$work/kibana-system.json"',
    );
  lines.push('wait_for "$KIBANA_URL/api/status"');
  for (const r of kibanaRequests) lines.push(`request kibana ${r.method} ${r.path} ${setupDir}/${r.file}`);
  lines.push(`echo "Elasticsearch and Kibana are set up (${elkObjectNames.policy})"`);
  return `${lines.join("\n")}\n`;
}

/** The setup script of one platform, with the files each platform mounts its passwords at. */
export function elkSetupScript(platform: "docker" | "kubernetes", requests: SetupRequest[]): string {
  const docker = setupSecretFiles.docker;
  const kube = setupSecretFiles.kubernetes;
  return platform === "docker"
    ? renderElkSetupScript(requests, { elasticPasswordFile: docker.elastic, shipperPasswordFile: docker.shipper, kibanaSystemPasswordFile: docker.kibanaSystem })
    : renderElkSetupScript(requests, { elasticPasswordFile: kube.elastic, shipperPasswordFile: kube.shipper, caFile: kube.ca });
}
