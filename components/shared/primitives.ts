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

/** A binary size as Kubernetes writes it: `512Mi`, `50Gi`. */
export const size = z
  .string({ error: "expected a size such as 512Mi or 50Gi" })
  .refine((v) => sizePattern.test(v), { error: "expected a size such as 512Mi or 50Gi (units Ki, Mi, Gi, Ti)" });

export function sizeBytes(value: string): number {
  const m = sizePattern.exec(value);
  if (!m) throw new Error(`'${value}' is not a size`);
  return Number(m[1]) * sizeFactor[m[2]];
}

/** Characters a URL must percent-encode; braces would also open a Go template where the URL is templated (alert annotations, Alertmanager templates). */
const notInUrls = /[\s{}"<>\\^`|]/;

/** An http(s) URL. */
export const httpUrl = z
  .string({ error: "expected an http(s) URL" })
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "";
    } catch {
      return false;
    }
  }, { error: "expected an http(s) URL such as https://runbooks.example.com", abort: true })
  .refine((v) => !notInUrls.test(v), {
    error: "expected an http(s) URL without spaces or braces (nor quotes, <, >, \\, ^, ` or |); percent-encode them, such as %7B for {",
  })
  .describe("http(s) URL, without spaces or braces");

/** A DNS-label style name: lower case letters, digits and dashes. Used for services, teams, SLOs. */
export const resourceName = z
  .string({ error: "expected a name of lower-case letters, digits and dashes" })
  .regex(/^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/, {
    error: "expected a name of lower-case letters, digits and dashes, starting with a letter (at most 40 characters)",
  });

/** host:port, as a scrape target. */
export const hostPort = z
  .string({ error: "expected host:port" })
  .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, { error: "expected host:port, such as api:8080" });

export const cpu = z
  .string({ error: "expected CPU as cores or millicores, such as 0.5 or 500m" })
  .regex(/^(\d+(\.\d+)?|\d+m)$/, { error: "expected CPU as cores or millicores, such as 0.5 or 500m" });

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

export const labelName = z
  .string({ error: "expected a label name such as service" })
  .superRefine((name, ctx) => {
    const problem = labelNameProblem(name);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .describe("label name: letters, digits and underscores, not starting with a digit or __");
