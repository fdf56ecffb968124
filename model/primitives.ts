/**
 * Value types shared by every part of the stack configuration. Each schema
 * carries its own "expected" wording so validation errors read the same
 * everywhere: key path, offending value, what was expected.
 */
import { z } from "zod";
import { promDuration } from "./durations";

export { durationSeconds, formatDuration, goDuration } from "./durations";

/** A Prometheus duration such as `30s`, `5m`, `1h30m` or `30d`, above 0. */
export const duration = promDuration();

/** A Prometheus duration where 0 means "at once" (group_wait, an alert's `for`). */
export const durationOrZero = promDuration({ zeroAllowed: true });

const sizePattern = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti)$/;
const sizeFactor: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

/** A binary size as Kubernetes writes it: `512Mi`, `50Gi`; above 0. */
export const size = z
  .string({ error: "expected a size such as 512Mi or 50Gi" })
  .refine((v) => sizePattern.test(v), { error: "expected a size such as 512Mi or 50Gi (units Ki, Mi, Gi, Ti)", abort: true })
  .refine((v) => sizeBytes(v) > 0, { error: "a size of 0 holds nothing; expected a size above 0, such as 512Mi or 50Gi" })
  .describe("size with unit Ki, Mi, Gi or Ti, such as 50Gi, above 0");

export function sizeBytes(value: string): number {
  const m = sizePattern.exec(value);
  if (!m) throw new Error(`'${value}' is not a size`);
  return Number(m[1]) * sizeFactor[m[2]];
}

function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "";
  } catch {
    return false;
  }
}

/** URL userinfo (`user:password@`): credentials that would be written in the clear wherever the URL goes. */
export function urlCarriesCredentials(v: string): boolean {
  try {
    const u = new URL(v);
    return u.username !== "" || u.password !== "";
  } catch {
    return false;
  }
}

/** Marks the issue whose offending value must be shown with its credentials masked. */
export const redactUrlCredentials = "url-credentials";

/** The URL with its userinfo masked, for error messages; anything else unchanged. */
export function maskUrlCredentials(value: unknown): unknown {
  if (typeof value !== "string" || !urlCarriesCredentials(value)) return value;
  const u = new URL(value);
  if (u.username) u.username = "***";
  if (u.password) u.password = "***";
  return u.toString();
}

/**
 * The message for a URL with credentials in it, naming where the credential belongs instead.
 * The Pulumi stack file, every rendered config and the state would otherwise hold it in the clear.
 */
export function urlCredentialsMessage(fix: string): string {
  return `must not carry credentials (user:password@host): they would be stored in plain text in the stack file, the rendered configs and the Pulumi state; ${fix}`;
}

/** Characters a URL must percent-encode; braces would also open a Go template where the URL is templated (alert annotations, Alertmanager templates). */
const notInUrls = /[\s{}"<>\\^`|]/;

/**
 * An http(s) URL without credentials in it (`fix` says where the credential goes instead),
 * and without spaces, braces or other characters a URL must percent-encode.
 */
export function credentialFreeUrl(fix: string) {
  return z
    .string({ error: "expected an http(s) URL" })
    .refine(isHttpUrl, { error: "expected an http(s) URL such as https://runbooks.example.com", abort: true })
    .refine((v) => !urlCarriesCredentials(v), { error: urlCredentialsMessage(fix), params: { redact: redactUrlCredentials } })
    .refine((v) => !notInUrls.test(v), {
      error: "expected an http(s) URL without spaces or braces (nor quotes, <, >, \\, ^, ` or |); percent-encode them, such as %7B for {",
    })
    .describe("http(s) URL, without credentials, spaces or braces");
}

/** An http(s) URL, never with credentials in it. */
export const httpUrl = credentialFreeUrl("remove them");

/** A DNS-label style name: lower case letters, digits and dashes. Used for services, teams, SLOs. */
export const resourceName = z.string({ error: "expected a name of lower-case letters, digits and dashes" }).regex(/^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/, {
  error: "expected a name of lower-case letters, digits and dashes, starting with a letter (at most 40 characters)",
});

/** A TCP port number. */
export const port = z
  .number({ error: "expected a port number from 1 to 65535" })
  .int({ error: "expected a port number from 1 to 65535" })
  .min(1, { error: "expected a port number from 1 to 65535" })
  .max(65535, { error: "is beyond the highest TCP port; expected a port number from 1 to 65535" })
  .describe("port number, 1 to 65535");

/** host:port, as a scrape target. */
export const hostPort = z
  .string({ error: "expected host:port" })
  .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, { error: "expected host:port, such as api:8080", abort: true })
  .refine(
    (v) => {
      const p = Number(v.slice(v.lastIndexOf(":") + 1));
      return p >= 1 && p <= 65535;
    },
    { error: "the port is beyond the TCP range; expected host:port with a port from 1 to 65535, such as api:8080" },
  )
  .describe("host:port, such as api:8080 (port 1 to 65535)");

/**
 * Kubernetes object names. A DNS-1123 label (namespaces, most names): lower-case
 * letters, digits and dashes, starting and ending with a letter or digit, at
 * most 63 characters. A DNS-1123 subdomain (StorageClasses): the same, with
 * dots, at most 253.
 */
function kubernetesNameProblem(value: string, max: 63 | 253, noun: string, example: string): string | undefined {
  const label = max === 63 ? /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/ : /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
  const expected = `expected a ${noun} such as ${example} (lower-case letters, digits${max === 253 ? ", dots" : ""} and dashes, starting and ending with a letter or digit, at most ${max} characters)`;
  if (value.length > max) return `is not a ${noun}: it is ${value.length} characters long; ${expected}`;
  if (label.test(value)) return undefined;
  const fixed = value
    .toLowerCase()
    .replace(max === 63 ? /[^a-z0-9-]+/g : /[^a-z0-9.-]+/g, "-")
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, "");
  return `is not a ${noun}; ${expected}${fixed !== "" && fixed !== value ? `; write ${fixed}` : ""}`;
}

const kubernetesName = (max: 63 | 253, noun: string, example: string, description: string) =>
  z
    .string({ error: `expected a ${noun} such as ${example}` })
    .superRefine((value, ctx) => {
      const problem = kubernetesNameProblem(value, max, noun, example);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .describe(description);

/** A Kubernetes namespace name (a DNS-1123 label). */
export const kubernetesNamespace = kubernetesName(
  63,
  "Kubernetes namespace name",
  "apps",
  "Kubernetes namespace name: lower-case letters, digits and dashes, at most 63 characters",
);
/** A StorageClass or other DNS-1123 subdomain name. */
export const kubernetesSubdomainName = kubernetesName(
  253,
  "Kubernetes name",
  "watchpost-gp3",
  "Kubernetes name: lower-case letters, digits, dots and dashes, at most 253 characters",
);

const labelPart = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** The problem with a Kubernetes label key (`[prefix/]name`), or undefined. */
export function kubernetesLabelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf("/");
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  const ok = name.length <= 63 && labelPart.test(name) && (prefix === undefined || kubernetesNameProblem(prefix, 253, "DNS prefix", "app.kubernetes.io") === undefined);
  return ok
    ? undefined
    : "is not a Kubernetes label key; expected an optional DNS prefix and a slash, then at most 63 letters, digits, dashes, underscores and dots, starting and ending with a letter or digit, such as app.kubernetes.io/name";
}

/** The problem with a Kubernetes label value, or undefined. */
export function kubernetesLabelValueProblem(value: string): string | undefined {
  return value === "" || (value.length <= 63 && labelPart.test(value))
    ? undefined
    : "is not a Kubernetes label value; expected at most 63 letters, digits, dashes, underscores and dots, starting and ending with a letter or digit (or empty)";
}

/** A named Service or container port (IANA service name), as ServiceMonitors and PodMonitors refer to it. */
export const kubernetesPortName = z
  .string({ error: "expected a port name such as metrics" })
  .refine((v) => v.length <= 15 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v) && /[a-z]/.test(v) && !v.includes("--"), {
    error:
      "is not a port name; expected at most 15 lower-case letters, digits and dashes with at least one letter, as Kubernetes names Service and container ports, such as metrics or http",
  })
  .describe("port name: at most 15 lower-case letters, digits and dashes");

export const cpu = z
  .string({ error: "expected CPU as cores or millicores, such as 0.5 or 500m" })
  .regex(/^(\d+(\.\d+)?|\d+m)$/, { error: "expected CPU as cores or millicores, such as 0.5 or 500m", abort: true })
  .refine((v) => cpuCores(v) > 0, { error: "a CPU limit of 0 lets the container run nothing; expected cores or millicores above 0, such as 0.5 or 500m" })
  .describe("CPU as cores or millicores, such as 0.5 or 500m, above 0");

export function cpuCores(value: string): number {
  return value.endsWith("m") ? Number(value.slice(0, -1)) / 1000 : Number(value);
}

/** Memory and CPU limits of one container. */
export const resources = z.strictObject({
  memory: size,
  cpu,
});
export type Resources = z.infer<typeof resources>;

/** Alertmanager expands `to` and `from` as templates, so braces (and quotes, <, >) are refused with the rest. */
export const email = z
  .string({ error: "expected an email address" })
  .regex(/^[^@\s{}"<>]+@[^@\s{}"<>]+\.[^@\s{}"<>]+$/, {
    error: "expected an email address such as oncall@example.com",
  })
  .describe("email address");

/**
 * A Prometheus label name in the classic form every tool and matcher takes
 * unquoted: letters, digits and underscores, not starting with a digit; names
 * starting with __ are Prometheus' own.
 */
export function labelNameProblem(name: string): string | undefined {
  if (name.startsWith("__")) return "label names starting with __ are reserved for Prometheus' internal use; expected a label name such as team";
  if (/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) return undefined;
  const fixed = name.replace(/[^a-zA-Z0-9_]+/g, "_").replace(/^(\d)/, "_$1");
  return `is not a label name; expected letters, digits and underscores, not starting with a digit, such as alertname or service${fixed !== "" && fixed !== "_" ? `; write ${fixed}` : ""}`;
}

/** What is wrong with a metric (or recording rule) name, in Prometheus' grammar; `example` shows a good one. */
export function metricNameProblem(name: string, example: string): string | undefined {
  if (/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) return undefined;
  const fixed = name.replace(/[^a-zA-Z0-9_:]+/g, "_").replace(/^(\d)/, "_$1");
  return `is not a metric name; expected letters, digits, _ and :, not starting with a digit, such as ${example}${fixed !== name && /[a-zA-Z0-9]/.test(fixed) ? `; write ${fixed}` : ""}`;
}

export const labelName = z
  .string({ error: "expected a label name such as service" })
  .superRefine((name, ctx) => {
    const problem = labelNameProblem(name);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .describe("label name: letters, digits and underscores, not starting with a digit or __");

/**
 * `base` + a lower-case, dashed name in PascalCase: `postgresPassword` and `orders-eu` give
 * `postgresPasswordOrdersEu`. A Pulumi config key is `<namespace>:<name>` with no nesting, so a
 * secret of one named thing (an exporter instance, a team) carries the name in the key itself.
 */
export function namedKey(base: string, name: string): string {
  return (
    base +
    name
      .split("-")
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
      .join("")
  );
}

/** The base (one of `bases`) and name a `namedKey` was made of, if `key` is one. */
export function parseNamedKey(key: string, bases: readonly string[]): { base: string; name: string } | undefined {
  for (const base of bases) {
    if (!key.startsWith(base)) continue;
    const rest = key.slice(base.length);
    if (!/^([A-Z][a-z0-9]*)+$/.test(rest)) continue;
    return { base, name: rest.replace(/[A-Z]/g, (c, at: number) => `${at === 0 ? "" : "-"}${c.toLowerCase()}`) };
  }
  return undefined;
}
