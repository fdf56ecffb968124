/**
 * A corpus of malformed stack files, as a careless user writes them: each is
 * one mutation of the repository's own Pulumi.dev.yaml or Pulumi.prod.yaml
 * (or, for the shape of the file itself, the file's text verbatim), with the
 * words its rejection must contain. `materialize` writes one to disk so the
 * tests read it the way synth and the Pulumi program do.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { stackFilePath } from "../../infra/config/load";
import { prodSecrets } from "../../harness/stacks";

export type BadStackClass = "crash" | "file" | "url" | "duration" | "maintenance" | "label" | "template" | "promql" | "name" | "port" | "size" | "threshold";

type Config = Record<string, any>;

export interface BadStack {
  /** File-safe id, also the test's name. */
  name: string;
  class: BadStackClass;
  /** The repository stack file mutated. @default "dev" */
  base?: "dev" | "prod";
  /** Stack name the file is read as. @default the base */
  stack?: string;
  /** One change to the base file's `config:` mapping. */
  edit?: (config: Config) => void;
  /** The whole file, verbatim, for cases about the file's own shape. */
  text?: string;
  /** Substrings the rejection must contain, in order of appearance is not required. */
  expect: string[];
}

/** The `alerts.custom` entry the PromQL and template cases mutate. */
export function customAlert(patch: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: "PaymentFailures", expr: "sum(rate(payments_failed_total[5m]))", threshold: 1, severity: "critical", summary: "Payments are failing", ...patch };
}

const custom = (patch: Record<string, unknown>) => (c: Config) => {
  c["watchpost:alerts"].custom = [customAlert(patch)];
};

const window = (interval: Record<string, unknown>) => (c: Config) => {
  c["watchpost:routing"].maintenanceWindows = [{ name: "weekly", intervals: [interval], mutes: ["warning"] }];
};

const set = (key: string, patch: Record<string, unknown>) => (c: Config) => {
  c[`watchpost:${key}`] = { ...(c[`watchpost:${key}`] ?? {}), ...patch };
};

export const badStacks: BadStack[] = [
  // The three stack traces of the report.
  {
    name: "grafana-root-url-with-braces",
    class: "crash",
    edit: set("grafana", { rootUrl: "https://grafana.example.com/{{ .x" }),
    expect: ['watchpost:grafana.rootUrl: got "https://grafana.example.com/{{ .x"; ', "without spaces or braces"],
  },
  {
    name: "yaml-bad-indentation",
    class: "crash",
    text: "config:\n  watchpost:prometheus:\n    retention: 30d\n   scrapeInterval: 15s\n",
    expect: ["Pulumi.dev.yaml:4:1: YAML syntax error: All mapping items must start at the same column", '(line 4: "   scrapeInterval: 15s")', "fix the indentation"],
  },
  {
    name: "yaml-unterminated-quote",
    class: "crash",
    text: 'config:\n  watchpost:grafana:\n    rootUrl: "https://grafana.example.com\n',
    expect: ['Pulumi.dev.yaml:3:14: YAML syntax error: Missing closing "quote', "close the quote"],
  },

  // The file's own shape.
  { name: "file-is-a-list", class: "file", text: "- watchpost:platform: docker\n", expect: ["Pulumi.dev.yaml: got [", "is a list", "expected a mapping with a config: section"] },
  {
    name: "file-is-a-string",
    class: "file",
    text: "watchpost:platform docker\n",
    expect: ['Pulumi.dev.yaml: got "watchpost:platform docker"', "is a string", "expected a mapping with a config: section"],
  },
  { name: "file-is-empty", class: "file", text: "", expect: ["Pulumi.dev.yaml: ", "is empty", "config: {}"] },
  {
    name: "file-config-is-a-list",
    class: "file",
    text: "config:\n  - watchpost:platform: docker\n",
    expect: ["Pulumi.dev.yaml: config: got [", "expected a mapping of <namespace>:<key> settings"],
  },
  {
    name: "file-keys-outside-config",
    class: "file",
    text: "watchpost:platform: docker\nwatchpost:logging:\n  enabled: false\n",
    expect: ['Pulumi.dev.yaml: watchpost:platform: got "docker"; unknown top-level key of a stack file', "settings go under config:", "watchpost:logging: got {"],
  },
  {
    name: "file-duplicate-key",
    class: "file",
    text: "config:\n  watchpost:platform: docker\n  watchpost:platform: kubernetes\n",
    expect: ["Pulumi.dev.yaml:3:3: YAML syntax error: Map keys must be unique", "keep one of them"],
  },
  {
    name: "namespace-typo",
    class: "file",
    edit: (c) => ((c["watchpots:logging"] = { enabled: false }), delete c["watchpost:logging"]),
    expect: ["watchpots:logging: got {", "unknown namespace 'watchpots'", "did you mean watchpost:logging?"],
  },
  {
    name: "namespace-unknown",
    class: "file",
    edit: (c) => (c["grafana:rootUrl"] = "https://grafana.example.com"),
    expect: ["grafana:rootUrl: ", "unknown namespace 'grafana'", "expected watchpost: or a provider's namespace (aws, docker, kubernetes, pulumi, random)"],
  },
  { name: "namespace-missing", class: "file", edit: (c) => (c.tracing = { enabled: false }), expect: ["tracing: got {", "has no namespace", "did you mean watchpost:tracing?"] },
  {
    name: "dotted-key",
    class: "file",
    edit: (c) => (c["watchpost:prometheus.retention"] = "15d"),
    expect: ['watchpost:prometheus.retention: got "15d"; unknown key', "write nested keys as YAML", "watchpost:prometheus:"],
  },
  { name: "empty-value", class: "file", edit: (c) => (c["watchpost:tracing"] = null), expect: ["watchpost:tracing: got null; ", "is empty", "remove the key or give it a value"] },
  {
    name: "stack-name-not-an-environment",
    class: "file",
    stack: "Prod_EU",
    base: "dev",
    edit: (c) => (c["watchpost:platform"] = "docker"),
    expect: ['watchpost:environment: the stack name "Prod_EU" is used as the environment name', "set watchpost:environment"],
  },

  // Durations.
  {
    name: "scrape-interval-zero",
    class: "duration",
    edit: set("prometheus", { scrapeInterval: "0s" }),
    expect: ['watchpost:prometheus.scrapeInterval: got "0s"; ', "expected a duration above 0"],
  },
  {
    name: "evaluation-interval-zero",
    class: "duration",
    edit: set("prometheus", { evaluationInterval: "0m" }),
    expect: ['watchpost:prometheus.evaluationInterval: got "0m"; ', "expected a duration above 0"],
  },
  {
    name: "retention-zero",
    class: "duration",
    edit: set("prometheus", { retention: "0d" }),
    expect: ['watchpost:prometheus.retention: got "0d"; ', "expected a duration above 0"],
  },
  {
    name: "retention-beyond-prometheus",
    class: "duration",
    edit: set("prometheus", { retention: "300y" }),
    expect: ['watchpost:prometheus.retention: got "300y"; ', "beyond the longest duration Prometheus accepts", "292y"],
  },
  {
    name: "retention-words",
    class: "duration",
    edit: set("prometheus", { retention: "30 days" }),
    expect: ['watchpost:prometheus.retention: got "30 days"; expected a duration', "write 30d"],
  },
  {
    name: "duration-units-out-of-order",
    class: "duration",
    edit: set("prometheus", { scrapeInterval: "30s1m" }),
    expect: ['watchpost:prometheus.scrapeInterval: got "30s1m"; expected a duration', "largest to smallest"],
  },
  {
    name: "scrape-interval-a-number",
    class: "duration",
    edit: set("prometheus", { scrapeInterval: 15 }),
    expect: ["watchpost:prometheus.scrapeInterval: got 15; expected a duration", "write 15s"],
  },
  {
    name: "alertmanager-retention-in-days",
    class: "duration",
    edit: set("alertmanager", { retention: "5d" }),
    expect: ['watchpost:alertmanager.retention: got "5d"; ', "Go duration", "no unit d", "write 120h"],
  },
  {
    name: "alertmanager-retention-fraction",
    class: "duration",
    edit: set("alertmanager", { retention: "1.5h" }),
    expect: ['watchpost:alertmanager.retention: got "1.5h"; ', "whole numbers", "write 1h30m"],
  },
  {
    name: "alertmanager-retention-zero",
    class: "duration",
    edit: set("alertmanager", { retention: "0h" }),
    expect: ['watchpost:alertmanager.retention: got "0h"; ', "expected a duration above 0"],
  },
  {
    name: "loki-retention-below-a-day",
    class: "duration",
    edit: set("logging", { retention: "12h" }),
    expect: ['watchpost:logging.retention: got "12h"; ', "Loki", "at least 24h"],
  },
  { name: "loki-retention-zero", class: "duration", edit: set("logging", { retention: "0s" }), expect: ['watchpost:logging.retention: got "0s"; ', "keeps logs forever"] },
  {
    name: "tracing-retention-zero",
    class: "duration",
    edit: set("tracing", { retention: "0h" }),
    expect: ['watchpost:tracing.retention: got "0h"; ', "expected a duration above 0"],
  },
  {
    name: "group-interval-zero",
    class: "duration",
    edit: set("routing", { timing: { critical: { groupInterval: "0s" } } }),
    expect: ['watchpost:routing.timing.critical.groupInterval: got "0s"; ', "expected a duration above 0"],
  },
  {
    name: "repeat-interval-zero",
    class: "duration",
    edit: set("routing", { timing: { warning: { repeatInterval: "0m" } } }),
    expect: ['watchpost:routing.timing.warning.repeatInterval: got "0m"; ', "expected a duration above 0"],
  },
  {
    name: "heartbeat-interval-zero",
    class: "duration",
    edit: set("notifications", { heartbeat: { interval: "0s" } }),
    expect: ['watchpost:notifications.heartbeat.interval: got "0s"; ', "expected a duration above 0"],
  },
  {
    name: "slo-period-zero",
    class: "duration",
    edit: (c) => (c["watchpost:services"][0].slos[0].period = "0d"),
    expect: ['watchpost:services[0].slos[0].period: got "0d"; ', "expected a duration above 0"],
  },
  {
    name: "slo-threshold-zero",
    class: "duration",
    edit: (c) => (c["watchpost:services"][0].slos[1].threshold = "0ms"),
    expect: ['watchpost:services[0].slos[1].threshold: got "0ms"; ', "expected a duration above 0"],
  },
  {
    name: "custom-for-in-words",
    class: "duration",
    edit: custom({ for: "5 minutes" }),
    expect: ['watchpost:alerts.custom[0].for: got "5 minutes"; expected a duration', "write 5m"],
  },

  // Maintenance windows.
  {
    name: "window-start-24-30",
    class: "maintenance",
    edit: window({ weekdays: ["sunday"], times: [{ start: "24:30", end: "24:00" }] }),
    expect: ['watchpost:routing.maintenanceWindows[0].intervals[0].times[0].start: got "24:30"; ', "00:00 to 23:59"],
  },
  {
    name: "window-end-25-00",
    class: "maintenance",
    edit: window({ weekdays: ["sunday"], times: [{ start: "22:00", end: "25:00" }] }),
    expect: ['watchpost:routing.maintenanceWindows[0].intervals[0].times[0].end: got "25:00"; ', "00:01 to 24:00"],
  },
  {
    name: "window-overnight",
    class: "maintenance",
    edit: window({ weekdays: ["saturday"], times: [{ start: "22:00", end: "02:00" }] }),
    expect: ["watchpost:routing.maintenanceWindows[0].intervals[0].times[0]: got {", "ends before it starts", "split it in two"],
  },
  {
    name: "window-unknown-time-zone",
    class: "maintenance",
    edit: window({ weekdays: ["sunday"], location: "Europe/Berlinn" }),
    expect: ['watchpost:routing.maintenanceWindows[0].intervals[0].location: got "Europe/Berlinn"; unknown time zone', "IANA"],
  },
  {
    name: "window-time-zone-case",
    class: "maintenance",
    edit: window({ weekdays: ["sunday"], location: "europe/berlin" }),
    expect: ['location: got "europe/berlin"; ', "write Europe/Berlin"],
  },
  {
    name: "window-month-abbreviated",
    class: "maintenance",
    edit: window({ months: ["jan"] }),
    expect: ['watchpost:routing.maintenanceWindows[0].intervals[0].months[0]: got "jan"; ', "january", "1 to 12"],
  },
  { name: "window-month-13", class: "maintenance", edit: window({ months: ["13"] }), expect: ['months[0]: got "13"; ', "1 to 12"] },
  {
    name: "window-months-reversed",
    class: "maintenance",
    edit: window({ months: ["december:january"] }),
    expect: ['months[0]: got "december:january"; ', "ends before it starts"],
  },
  { name: "window-day-of-month-zero", class: "maintenance", edit: window({ daysOfMonth: ["0"] }), expect: ['daysOfMonth[0]: got "0"; ', "1 to 31 or -31 to -1"] },
  { name: "window-days-negative-to-positive", class: "maintenance", edit: window({ daysOfMonth: ["-1:5"] }), expect: ['daysOfMonth[0]: got "-1:5"; ', "negative"] },
  { name: "window-years-reversed", class: "maintenance", edit: window({ years: ["2027:2025"] }), expect: ['years[0]: got "2027:2025"; ', "ends before it starts"] },
  {
    name: "window-interval-empty",
    class: "maintenance",
    edit: window({ location: "UTC" }),
    expect: ["watchpost:routing.maintenanceWindows[0].intervals[0]: got {", "mutes its routes all the time", "weekdays, times, daysOfMonth, months or years"],
  },
  { name: "window-weekday-abbreviated", class: "maintenance", edit: window({ weekdays: ["mon"] }), expect: ['weekdays[0]: got "mon"; ', "monday"] },

  // Label names.
  {
    name: "group-by-not-a-label",
    class: "label",
    edit: set("routing", { groupBy: ["alertname", "service name"] }),
    expect: ['watchpost:routing.groupBy[1]: got "service name"; ', "not a label name"],
  },
  { name: "group-by-reserved", class: "label", edit: set("routing", { groupBy: ["__name__"] }), expect: ['watchpost:routing.groupBy[0]: got "__name__"; ', "reserved"] },
  { name: "group-by-all-and-more", class: "label", edit: set("routing", { groupBy: ["...", "service"] }), expect: ['watchpost:routing.groupBy: got ["...","service"]; ', "alone"] },
  {
    name: "custom-label-with-dash",
    class: "label",
    edit: custom({ labels: { "owner-team": "payments" } }),
    expect: ['watchpost:alerts.custom[0].labels.owner-team: got "payments"; ', "not a label name", "owner_team"],
  },
  {
    name: "custom-label-severity",
    class: "label",
    edit: custom({ labels: { severity: "page" } }),
    expect: ['watchpost:alerts.custom[0].labels.severity: got "page"; ', "set alerts.custom[0].severity"],
  },

  // Go templates.
  {
    name: "summary-unclosed-action",
    class: "template",
    edit: custom({ summary: "Payments failing on {{ $labels.instance }" }),
    expect: ['watchpost:alerts.custom[0].summary: got "Payments failing on {{ $labels.instance }"; ', "unclosed action"],
  },
  {
    name: "summary-unknown-function",
    class: "template",
    edit: custom({ summary: "{{ $value | humanise }} failures" }),
    expect: ["watchpost:alerts.custom[0].summary: ", 'function "humanise" not defined', "humanize"],
  },
  {
    name: "summary-undefined-variable",
    class: "template",
    edit: custom({ summary: "{{ $lables.service }} failing" }),
    expect: ["watchpost:alerts.custom[0].summary: ", 'undefined variable "$lables"', "$labels"],
  },
  {
    name: "description-if-without-end",
    class: "template",
    edit: custom({ description: "{{ if gt $value 10.0 }}very high" }),
    expect: ["watchpost:alerts.custom[0].description: ", "{{if}} has no {{end}}"],
  },
  { name: "description-stray-end", class: "template", edit: custom({ description: "high {{ end }}" }), expect: ["watchpost:alerts.custom[0].description: ", "unexpected {{end}}"] },
  {
    name: "description-unterminated-string",
    class: "template",
    edit: custom({ description: '{{ printf "%.2f $value }}' }),
    expect: ["watchpost:alerts.custom[0].description: ", "unterminated quoted string"],
  },
  {
    name: "custom-label-value-template",
    class: "template",
    edit: custom({ labels: { team: "{{ $labels.team" } }),
    expect: ["watchpost:alerts.custom[0].labels.team: ", "unclosed action"],
  },
  {
    name: "runbook-base-url-braces",
    class: "url",
    edit: set("alerts", { runbookBaseUrl: "https://wiki.example.com/{{runbooks}}" }),
    expect: ['watchpost:alerts.runbookBaseUrl: got "https://wiki.example.com/{{runbooks}}"; ', "without spaces or braces"],
  },
  { name: "runbook-name-with-braces", class: "template", edit: custom({ runbook: "payments/{{ $labels.x }}" }), expect: ["watchpost:alerts.custom[0].runbook: ", "file name"] },
  {
    name: "email-with-braces",
    class: "template",
    edit: (c) => (c["watchpost:routing"].teams[0].email = ["on{{call@example.com"]),
    expect: ['watchpost:routing.teams[0].email[0]: got "on{{call@example.com"; ', "expected an email address"],
  },

  // PromQL that parses but is wrong.
  {
    name: "promql-rate-without-range",
    class: "promql",
    edit: custom({ expr: "sum(rate(payments_failed_total))" }),
    expect: ["watchpost:alerts.custom[0].expr: ", 'expected type matrix in call to function "rate", got vector', "[5m]"],
  },
  {
    name: "promql-range-vector",
    class: "promql",
    edit: custom({ expr: "payments_failed_total[5m]" }),
    expect: ["watchpost:alerts.custom[0].expr: ", "range vector", "an alert needs an instant vector"],
  },
  {
    name: "promql-scalar",
    class: "promql",
    edit: custom({ expr: "scalar(sum(payments_failed_total))" }),
    expect: ["watchpost:alerts.custom[0].expr: ", "scalar", "an alert needs an instant vector", "vector("],
  },
  {
    name: "promql-argument-count",
    class: "promql",
    edit: custom({ expr: "abs(payments_failed_total, 2)" }),
    expect: ["watchpost:alerts.custom[0].expr: ", 'expected 1 argument(s) in call to "abs", got 2'],
  },
  {
    name: "promql-unknown-function",
    class: "promql",
    edit: custom({ expr: "sum(rates(payments_failed_total[5m]))" }),
    expect: ["watchpost:alerts.custom[0].expr: ", "not valid PromQL"],
  },
  {
    name: "promql-topk-vector-parameter",
    class: "promql",
    edit: custom({ expr: "topk(payments_failed_total, payments_total)" }),
    expect: ["watchpost:alerts.custom[0].expr: ", "expected type scalar in aggregation parameter, got vector"],
  },

  // Names.
  {
    name: "service-named-prometheus",
    class: "name",
    edit: (c) => c["watchpost:services"].push({ name: "prometheus", targets: ["web:9090"] }),
    expect: ['watchpost:services[1].name: got "prometheus"; ', "clashes with the stack's own scrape job", "rename"],
  },
  {
    name: "service-named-blackbox-exporter",
    class: "name",
    edit: (c) => c["watchpost:services"].push({ name: "blackbox-exporter", targets: ["web:9115"] }),
    expect: ['watchpost:services[1].name: got "blackbox-exporter"; ', "clashes with the stack's own scrape job"],
  },
  {
    name: "service-named-like-a-probe-job",
    class: "name",
    edit: (c) => c["watchpost:services"].push({ name: "blackbox-api-health", targets: ["web:8080"] }),
    expect: ['watchpost:services[1].name: got "blackbox-api-health"; ', "probe api-health"],
  },
  {
    name: "kubernetes-namespace-upper-case",
    class: "name",
    base: "prod",
    edit: set("kubernetes", { namespace: "Monitoring" }),
    expect: ['watchpost:kubernetes.namespace: got "Monitoring"; ', "is not a Kubernetes namespace name", "write monitoring"],
  },
  {
    name: "kubernetes-namespace-too-long",
    class: "name",
    base: "prod",
    edit: set("kubernetes", { namespace: "m".repeat(64) }),
    expect: ["watchpost:kubernetes.namespace: ", "at most 63 characters"],
  },
  {
    name: "service-namespace-underscore",
    class: "name",
    base: "prod",
    edit: (c) => (c["watchpost:services"][0].kubernetes.namespace = "apps_prod"),
    expect: ['watchpost:services[0].kubernetes.namespace: got "apps_prod"; ', "write apps-prod"],
  },
  {
    name: "match-labels-bad-key",
    class: "name",
    base: "prod",
    edit: (c) => (c["watchpost:services"][0].kubernetes.matchLabels = { "app name": "api" }),
    expect: ['watchpost:services[0].kubernetes.matchLabels.app name: got "api"; ', "not a Kubernetes label key"],
  },
  {
    name: "match-labels-bad-value",
    class: "name",
    base: "prod",
    edit: (c) => (c["watchpost:services"][0].kubernetes.matchLabels = { "app.kubernetes.io/name": "api server" }),
    expect: ['matchLabels.app.kubernetes.io/name: got "api server"; ', "not a Kubernetes label value"],
  },
  {
    name: "service-port-name-invalid",
    class: "name",
    base: "prod",
    edit: (c) => (c["watchpost:services"][0].kubernetes.port = "http_metrics"),
    expect: ['watchpost:services[0].kubernetes.port: got "http_metrics"; ', "port name", "at most 15"],
  },
  {
    name: "storage-class-upper-case",
    class: "name",
    base: "prod",
    edit: set("kubernetes", { storageClass: "GP3" }),
    expect: ['watchpost:kubernetes.storageClass: got "GP3"; ', "Kubernetes name"],
  },
  {
    name: "dns-probe-of-a-url",
    class: "name",
    edit: (c) => c["watchpost:probes"].push({ name: "api-dns", target: "https://api.example.com", module: "dns" }),
    expect: ['watchpost:probes[1].target: got "https://api.example.com"; a dns probe needs a DNS name to resolve'],
  },
  {
    name: "docker-host-not-an-address",
    class: "name",
    edit: (c) => (c["watchpost:docker"] = { host: "/var/run/docker.sock" }),
    expect: ['watchpost:docker.host: got "/var/run/docker.sock"; expected a Docker engine address such as unix:///var/run/docker.sock'],
  },
  { name: "environment-upper-case", class: "name", edit: (c) => (c["watchpost:environment"] = "Dev"), expect: ['watchpost:environment: got "Dev"; ', "lower-case"] },

  // Ports.
  {
    name: "port-offset-overflows",
    class: "port",
    edit: (c) => ((c["watchpost:docker"] = { portOffset: 49000 }), (c["watchpost:tracing"].backend = "jaeger")),
    expect: ["watchpost:docker.portOffset: got 49000; ", "65686", "65535", "at most 48849"],
  },
  {
    name: "scrape-target-port-too-large",
    class: "port",
    edit: (c) => (c["watchpost:services"][0].targets = ["host.docker.internal:99999"]),
    expect: ['watchpost:services[0].targets[0]: got "host.docker.internal:99999"; ', "1 to 65535"],
  },
  {
    name: "postgres-port-too-large",
    class: "port",
    edit: (c) => ((c["watchpost:exporters"] = { postgres: { host: "db", user: "exporter", port: 70000 } }), (c["watchpost:postgresPassword"] = { secure: "v1:AAAAencrypted" })),
    expect: ["watchpost:exporters.postgres.port: got 70000; ", "1 to 65535"],
  },

  // Sizes.
  { name: "volume-size-zero", class: "size", edit: set("prometheus", { volumeSize: "0Gi" }), expect: ['watchpost:prometheus.volumeSize: got "0Gi"; ', "above 0"] },
  { name: "tracing-volume-size-zero", class: "size", edit: set("tracing", { volumeSize: "0Mi" }), expect: ['watchpost:tracing.volumeSize: got "0Mi"; ', "above 0"] },
  {
    name: "volume-size-beyond-gp3",
    class: "size",
    base: "prod",
    edit: set("prometheus", { volumeSize: "20Ti" }),
    expect: ['watchpost:prometheus.volumeSize: got "20Ti"; ', "gp3", "16Ti"],
  },
  {
    name: "computed-volume-beyond-gp3",
    class: "size",
    base: "prod",
    edit: set("prometheus", { expectedActiveSeries: 100_000_000, retention: "1y" }),
    expect: ["watchpost:prometheus.expectedActiveSeries: got 100000000; ", "Gi volume", "16Ti", "remoteWrite"],
  },
  {
    name: "memory-limit-zero",
    class: "size",
    edit: (c) => (c["watchpost:resources"] = { grafana: { memory: "0Mi", cpu: "0.5" } }),
    expect: ['watchpost:resources.grafana.memory: got "0Mi"; ', "above 0"],
  },
  {
    name: "cpu-limit-zero",
    class: "size",
    edit: (c) => (c["watchpost:resources"] = { grafana: { memory: "256Mi", cpu: "0m" } }),
    expect: ['watchpost:resources.grafana.cpu: got "0m"; ', "above 0"],
  },

  // Thresholds.
  {
    name: "threshold-negative",
    class: "threshold",
    edit: set("alerts", { thresholds: { hostCpuWarning: -0.1 } }),
    expect: ["watchpost:alerts.thresholds.hostCpuWarning: got -0.1; ", "negative", "0 to 1"],
  },
  {
    name: "threshold-percent-for-ratio",
    class: "threshold",
    edit: set("alerts", { thresholds: { hostCpuWarning: 85 } }),
    expect: ["watchpost:alerts.thresholds.hostCpuWarning: got 85; ", "ratio", "write 0.85"],
  },
  {
    name: "threshold-negative-seconds",
    class: "threshold",
    edit: set("alerts", { thresholds: { endpointSlowSeconds: -2 } }),
    expect: ["watchpost:alerts.thresholds.endpointSlowSeconds: got -2; ", "negative"],
  },
  {
    name: "threshold-warning-above-critical",
    class: "threshold",
    edit: set("alerts", { thresholds: { hostCpuWarning: 0.95 } }),
    expect: ["watchpost:alerts.thresholds.hostCpuWarning: got 0.95; ", "hostCpuCritical (0.9)"],
  },
];

/**
 * Files that crashed synth or were wrongly refused and must now synthesize:
 * one mutation each, and the warning it must print, if any.
 */
export interface ToleratedStack {
  name: string;
  class: BadStackClass;
  edit: (config: Config) => void;
  /** What the rendered files must contain. */
  renders?: { file: string; contains: string };
  warning?: string;
}

export const toleratedStacks: ToleratedStack[] = [
  // A PromQL comment runs to the end of its line; the rule's own comparison must not end up inside it.
  {
    name: "custom-expr-ending-in-a-comment",
    class: "crash",
    edit: custom({ expr: "sum(rate(payments_failed_total[5m])) # failed payments per second" }),
    renders: { file: "prometheus/rules/custom.rules.yml", contains: "# failed payments per second" },
  },
  {
    name: "latency-slo-threshold-off-the-default-buckets",
    class: "threshold",
    edit: (c) => (c["watchpost:services"][0].slos[1].threshold = "300ms"),
    warning: 'watchpost:services[0].slos[1].threshold: 300ms (le="0.3") is not one of the default histogram buckets',
  },
];

/** The stack file as a user has it after `pulumi config set --secret` for every secret the base needs. */
function baseDocument(base: "dev" | "prod"): { config: Config } {
  const doc = parse(readFileSync(stackFilePath(base), "utf8"));
  if (base === "prod") for (const key of prodSecrets) doc.config[`watchpost:${key}`] = { secure: "v1:AAAAencrypted" };
  return doc;
}

/** Writes the case as `Pulumi.<stack>.yaml` under `dir`; returns the stack name and the file. */
export function materialize(bad: Pick<BadStack, "base" | "stack" | "edit" | "text">, dir: string): { stack: string; file: string } {
  const stack = bad.stack ?? bad.base ?? "dev";
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  if (bad.text !== undefined) {
    writeFileSync(file, bad.text);
  } else {
    const doc = baseDocument(bad.base ?? "dev");
    bad.edit?.(doc.config);
    writeFileSync(file, stringify(doc));
  }
  return { stack, file };
}
