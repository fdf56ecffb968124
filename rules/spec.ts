/**
 * What a stack may say about alerting rules: which packs run, threshold
 * overrides, business alerts of its own, and SLOs. Plain zod, no Pulumi.
 */
import { z } from "zod";
import { promDuration } from "../model/durations";
import { severities } from "../model/conventions";
import { defaults, exporterIds } from "../model/vocabulary";
import { prometheusTemplates, templateProblem } from "../model/go-template";
import { durationOrZero, httpUrl, labelNameProblem, metricNameProblem, resourceName } from "../model/primitives";

/**
 * The `alerts.packs` toggles: the built-in packs, with one per exporter (named by its id) in its place.
 * A test checks that every toggle names a pack of the catalogue and every toggled pack has one.
 */
export const alertPacks = ["service", "hosts", "containers", "kubernetes", ...exporterIds, "uptime", "security", "selfMonitoring"] as const;
export type AlertPack = (typeof alertPacks)[number];

export const severity = z.enum(severities, {
  error: "expected one of critical, warning, info",
});

/** Text Prometheus expands as a template (annotations and label values): it must parse, as `promtool check rules` would. */
function promTemplate(expected: string, description: string) {
  return z
    .string({ error: expected })
    .superRefine((text, ctx) => {
      const problem = templateProblem(text, prometheusTemplates);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .describe(description);
}

/** Labels an alert carries: Prometheus label names, values that may use Prometheus templates. */
const alertLabels = z.record(z.string(), promTemplate("expected a label value, as a string", "label value; may use Prometheus templates")).superRefine((labels, ctx) => {
  for (const name of Object.keys(labels)) {
    const problem = labelNameProblem(name);
    if (problem) ctx.addIssue({ code: "custom", path: [name], message: `${JSON.stringify(name)} ${problem}` });
  }
});

const pascalCase = z
  .string({ error: "expected a PascalCase alert name" })
  .regex(/^[A-Z][A-Za-z0-9]+$/, { error: "expected a PascalCase alert name such as PaymentFailureRateHigh" });

/** A business or custom alert declared in stack config: `expr op threshold` for `for`. */
export const customAlertSpec = z.strictObject({
  /** PascalCase `<Component><Symptom>` name. */
  name: pascalCase,
  /** PromQL expression whose value is compared with `threshold`. */
  expr: z
    .string({ error: "expected a PromQL expression" })
    .min(1, { error: "expected a PromQL expression" })
    .describe("PromQL expression that is an instant vector, parsed and type-checked as Prometheus does"),
  /** @default ">" */
  op: z.enum([">", "<", ">=", "<=", "==", "!="]).default(">"),
  threshold: z.number({ error: "expected a number" }).describe("number the expression's value is compared with (op)"),
  /** How long the condition must hold; 0s fires at the first evaluation. @default "5m" */
  for: durationOrZero.default("5m"),
  severity,
  /** The service this alert belongs to (label `service`); the alert also gets that service's `team` unless `labels` give one. */
  service: resourceName.optional(),
  summary: promTemplate("expected a one-line summary", "one line of text; may use Prometheus templates such as {{ $labels.instance }} and {{ $value | humanize }}").refine(
    (v) => v.trim() !== "",
    { error: "expected a one-line summary" },
  ),
  description: promTemplate("expected a description", "text; may use Prometheus templates").optional(),
  /** Runbook name under `runbooks/` (without `.md`). @default the alert name */
  runbook: z
    .string({ error: "expected a runbook file name" })
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: "expected a runbook file name under runbooks/, without .md, such as PaymentFailures (letters, digits, ., _ and -)" })
    .describe("runbook file name under runbooks/, without .md")
    .optional(),
  /** Extra labels, such as `team`. Values may use Prometheus' template language. */
  labels: alertLabels.describe("map of label names (letters, digits and _) to values; values may use Prometheus templates").default({}),
});
export type CustomAlertSpec = z.infer<typeof customAlertSpec>;

/**
 * A recording rule declared in stack config: `expr` evaluated every evaluation interval and stored
 * as the series `record`, such as a business ratio a custom alert and a dashboard both read.
 */
export const recordingRuleSpec = z.strictObject({
  /** Name of the recorded series, `level:metric:operations` by convention, such as `service:orders_failed:ratio_rate5m`. */
  record: z
    .string({ error: "expected a metric name such as service:orders_failed:ratio_rate5m" })
    .superRefine((name, ctx) => {
      const problem = metricNameProblem(name, "service:orders_failed:ratio_rate5m");
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .describe("metric name (letters, digits, _ and :), level:metric:operations by convention, such as service:orders_failed:ratio_rate5m"),
  /** PromQL expression that is an instant vector. */
  expr: z
    .string({ error: "expected a PromQL expression" })
    .min(1, { error: "expected a PromQL expression" })
    .describe("PromQL expression that is an instant vector, parsed and type-checked as Prometheus does"),
  /** Labels the recorded series carries besides the expression's own. Fixed values, not templates. @default {} */
  labels: z
    .record(z.string(), z.string({ error: "expected a label value, as a string" }))
    .superRefine((labels, ctx) => {
      for (const name of Object.keys(labels)) {
        const problem = labelNameProblem(name);
        if (problem) ctx.addIssue({ code: "custom", path: [name], message: `${JSON.stringify(name)} ${problem}` });
      }
    })
    .describe("map of label names (letters, digits and _) to fixed values")
    .default({}),
});
export type RecordingRuleSpec = z.infer<typeof recordingRuleSpec>;

/** A service level objective over `http_requests_total` / `http_request_duration_seconds`. */
export const sloSpec = z
  .strictObject({
    name: resourceName,
    /** availability: share of non-5xx requests. latency: share of requests faster than `threshold`. */
    type: z.enum(["availability", "latency"], { error: "expected availability or latency" }),
    /** Target in percent, such as 99.9. */
    objective: z
      .number({ error: "expected a percentage such as 99.9" })
      .gt(0, { error: "expected a percentage above 0 and below 100, such as 99.9" })
      .lt(100, { error: "expected a percentage above 0 and below 100, such as 99.9" }),
    /** @default "30d" */
    period: promDuration({ zeroMeans: "an SLO period of 0 counts no requests" }).default(defaults.sloPeriod),
    /** Latency SLOs only: requests slower than this are errors. Must be a histogram bucket boundary. */
    threshold: promDuration({ zeroMeans: "no request is faster than 0, so every request would count against the SLO" }).optional(),
  })
  .superRefine((slo, ctx) => {
    if (slo.type === "latency" && slo.threshold === undefined) {
      ctx.addIssue({ code: "custom", path: ["threshold"], message: "a latency SLO needs a threshold such as 500ms" });
    }
    if (slo.type === "availability" && slo.threshold !== undefined) {
      ctx.addIssue({ code: "custom", path: ["threshold"], message: "only latency SLOs take a threshold" });
    }
  });
export type SloSpec = z.infer<typeof sloSpec>;

/**
 * Changes to one built-in alert, by name: what a team tunes without forking the catalogue.
 * Labels the routing depends on are refused by the stack checks (rules/overrides.ts).
 */
export const alertOverrideSpec = z
  .strictObject({
    /** How long the condition must hold; 0s fires at the first evaluation. @default the alert's own */
    for: durationOrZero.optional(),
    /** @default the alert's own */
    severity: severity.optional(),
    /** Extra labels, added to the alert's own. @default {} */
    labels: alertLabels.describe("map of label names (letters, digits and _) to values, added to the alert's labels; not severity, alertname or the routing labels").optional(),
    /** Drop the alert from the rule files. @default false */
    disabled: z.boolean({ error: "expected true or false" }).optional(),
  })
  .superRefine((o, ctx) => {
    const changes = (["for", "severity", "labels"] as const).filter((k) => o[k] !== undefined);
    if (o.disabled === true && changes.length > 0)
      ctx.addIssue({
        code: "custom",
        path: [changes[0]],
        message: `a disabled alert is not rendered, so its ${changes.join(", ")} would change nothing; remove them, or remove disabled`,
      });
    if (o.disabled === undefined && changes.length === 0)
      ctx.addIssue({ code: "custom", message: "an override that changes nothing; expected at least one of for, severity, labels or disabled" });
  });
export type AlertOverrideSpec = z.infer<typeof alertOverrideSpec>;

export const alertsSpec = z.strictObject({
  /** Base of every alert's `runbook_url`; the runbook file name is appended. */
  runbookBaseUrl: httpUrl.default("https://github.com/watchpost/watchpost/blob/main/runbooks"),
  /** Packs to switch on or off. Exporter packs default to on when their exporter is configured. */
  packs: z.partialRecord(z.enum(alertPacks), z.boolean({ error: "expected true or false" })).default({}),
  /** Threshold overrides by name (see README, "Alert thresholds"). */
  thresholds: z
    .record(z.string(), z.number({ error: "expected a number" }))
    .describe("map of threshold names (rules/thresholds.ts) to numbers: ratios from 0 to 1, the others 0 or more; warnings before critical alerts")
    .default({}),
  custom: z.array(customAlertSpec).default([]),
  /** Recording rules of the stack's own, rendered into recording.rules.yml (README, "Recording rules"). @default [] */
  recording: z.array(recordingRuleSpec).default([]),
  /**
   * Built-in alerts tuned by name: `for`, `severity`, extra `labels`, or `disabled: true`.
   * Keyed by name like `thresholds`, so an alert has at most one override.
   */
  overrides: z
    .record(z.string(), alertOverrideSpec)
    .describe('map of built-in alert names (such as HighErrorRate) to { for, severity, labels, disabled }; see README, "Tuning built-in alerts"')
    .default({}),
});
export type AlertsSpec = z.infer<typeof alertsSpec>;
