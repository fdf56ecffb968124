/**
 * Value types shared by every part of the stack configuration. Each schema
 * carries its own "expected" wording so validation errors read the same
 * everywhere: key path, offending value, what was expected.
 */
import { z } from "zod";

const durationPattern = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const durationUnits = [365 * 86400, 7 * 86400, 86400, 3600, 60, 1, 0.001];

/** A Prometheus duration such as `30s`, `5m`, `1h30m` or `30d`. */
export const duration = z
  .string({ error: "expected a duration such as 30s, 5m, 1h or 30d" })
  .refine((v) => v !== "" && durationPattern.test(v), {
    error: "expected a duration such as 30s, 5m, 1h or 30d (units ms, s, m, h, d, w, y)",
  });

export function durationSeconds(value: string): number {
  const m = durationPattern.exec(value);
  if (!m || value === "") throw new Error(`'${value}' is not a duration`);
  return m.slice(1).reduce((sum, part, i) => sum + (part ? Number(part) * durationUnits[i] : 0), 0);
}

/** Formats seconds back into the shortest Prometheus duration. */
export function formatDuration(seconds: number): string {
  const units: Array<[string, number]> = [["d", 86400], ["h", 3600], ["m", 60], ["s", 1]];
  let rest = Math.round(seconds);
  let out = "";
  for (const [unit, size] of units) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out || "0s";
}

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

/** An http(s) URL without credentials in it; `fix` says where the credential goes instead. */
export function credentialFreeUrl(fix: string) {
  return z
    .string({ error: "expected an http(s) URL" })
    .refine(isHttpUrl, { error: "expected an http(s) URL such as https://runbooks.example.com", abort: true })
    .refine((v) => !urlCarriesCredentials(v), { error: urlCredentialsMessage(fix), params: { redact: redactUrlCredentials } });
}

/** An http(s) URL, never with credentials in it. */
export const httpUrl = credentialFreeUrl("remove them");

/** A DNS-label style name: lower case letters, digits and dashes. Used for services, teams, SLOs. */
export const resourceName = z
  .string({ error: "expected a name of lower-case letters, digits and dashes" })
  .regex(/^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/, {
    error: "expected a name of lower-case letters, digits and dashes, starting with a letter (at most 40 characters)",
  });

/** A Kubernetes namespace name (a DNS-1123 label). */
export const kubernetesNamespace = z
  .string({ error: "expected a Kubernetes namespace name such as apps" })
  .regex(/^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: "expected a Kubernetes namespace name such as apps (lower-case letters, digits and dashes, at most 63)" });

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

export const email = z.string({ error: "expected an email address" }).regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, {
  error: "expected an email address such as oncall@example.com",
});

/** A Go duration (no days or weeks), for components whose config is parsed by Go's time.ParseDuration. */
export function goDuration(value: string): string {
  const seconds = durationSeconds(value);
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
