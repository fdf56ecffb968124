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
