/**
 * The two duration grammars a stack's settings end up in, checked the way the
 * tools that read them check them:
 * - Prometheus durations (prometheus/common model.ParseDuration): whole numbers
 *   with units y, w, d, h, m, s, ms from largest to smallest, each at most once,
 *   below 2^63 nanoseconds. Prometheus, Alertmanager's configuration file, Loki
 *   and PromQL ranges read these.
 * - Go durations where a Kubernetes field takes one: the Alertmanager
 *   resource's `retention` is a prometheus-operator GoDuration, whole h, m, s
 *   and ms in that order (no d, w or y, no fractions). The same setting goes to
 *   --data.retention on Docker, which Alertmanager 0.35 (kingpin 2.4) reads
 *   more loosely, days included; one value serves both platforms, so we
 *   accept what both take.
 * Errors say what was found wrong, what was expected and, where it can be
 * worked out, the value to write instead.
 */
import { z } from "zod";

const promUnits: Array<[string, number]> = [
  ["y", 365 * 86400],
  ["w", 7 * 86400],
  ["d", 86400],
  ["h", 3600],
  ["m", 60],
  ["s", 1],
  ["ms", 0.001],
];
const promPattern = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const nanos: Record<string, bigint> = {
  y: 31_536_000_000_000_000n,
  w: 604_800_000_000_000n,
  d: 86_400_000_000_000n,
  h: 3_600_000_000_000n,
  m: 60_000_000_000n,
  s: 1_000_000_000n,
  ms: 1_000_000n,
};
/** model.ParseDuration and time.ParseDuration both count nanoseconds in an int64. */
const maxNanos = 2n ** 63n - 1n;

export const promDurationExpected = "expected a duration such as 30s, 5m, 1h or 30d (units ms, s, m, h, d, w, y)";

/** Seconds of a Prometheus duration; throws on anything else (validated values only). */
export function durationSeconds(value: string): number {
  if (value === "0") return 0; // model.ParseDuration allows 0 without a unit
  const m = promPattern.exec(value);
  if (!m || value === "") throw new Error(`'${value}' is not a duration`);
  return m.slice(1).reduce((sum, part, i) => sum + (part ? Number(part) * promUnits[i][1] : 0), 0);
}

/** Formats seconds back into the shortest Prometheus duration, in whole seconds. */
export function formatDuration(seconds: number): string {
  return suggestion(Math.round(seconds), secondUnits);
}
const secondUnits = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1000],
] as const;

/** Seconds as whole units down to the smallest given (in ms), largest first: the value an error message suggests. */
function suggestion(seconds: number, units: ReadonlyArray<readonly [string, number]>): string {
  let ms = Math.round(seconds * 1000);
  let out = "";
  for (const [unit, size] of units) {
    if (ms >= size) {
      out += `${Math.floor(ms / size)}${unit}`;
      ms %= size;
    }
  }
  return out || "0s";
}
const promSuggestionUnits = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1000],
  ["ms", 1],
] as const;
const goSuggestionUnits = [
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1000],
  ["ms", 1],
] as const;

/** A Prometheus duration rewritten without days or weeks, for configs parsed by Go's time.ParseDuration (Tempo, Jaeger). */
export function goDuration(value: string): string {
  const seconds = durationSeconds(value);
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

const words: Record<string, string> = {
  year: "y",
  years: "y",
  yr: "y",
  yrs: "y",
  week: "w",
  weeks: "w",
  wk: "w",
  day: "d",
  days: "d",
  hour: "h",
  hours: "h",
  hr: "h",
  hrs: "h",
  minute: "m",
  minutes: "m",
  min: "m",
  mins: "m",
  second: "s",
  seconds: "s",
  sec: "s",
  secs: "s",
  millisecond: "ms",
  milliseconds: "ms",
  msec: "ms",
  us: "us",
  µs: "us",
  ns: "ns",
};

/** Reads `1.5h`, `30 days`, `1m30s` or `30s1m` loosely, as seconds, to suggest what to write; undefined if it cannot. */
function looseSeconds(value: string): number | undefined {
  const parts = [...value.toLowerCase().matchAll(/(\d+(?:\.\d+)?|\.\d+)\s*([a-zµ]+)/g)];
  if (
    parts.length === 0 ||
    parts
      .map((p) => p[0])
      .join("")
      .replace(/\s/g, "") !== value.toLowerCase().replace(/[\s,]|and/g, "")
  )
    return undefined;
  let seconds = 0;
  for (const [, amount, unit] of parts) {
    const u = words[unit] ?? unit;
    const size = u === "us" ? 1e-6 : u === "ns" ? 1e-9 : promUnits.find(([name]) => name === u)?.[1];
    if (size === undefined) return undefined;
    seconds += Number(amount) * size;
  }
  return seconds;
}

/** The problem with a Prometheus duration, or undefined when it is one. */
export function promDurationProblem(value: string): string | undefined {
  if (value === "0") return undefined;
  const m = promPattern.exec(value);
  if (m && value !== "") {
    const ns = m.slice(1).reduce((sum, part, i) => sum + (part ? BigInt(part) * nanos[promUnits[i][0]] : 0n), 0n);
    if (ns > maxNanos) return "is beyond the longest duration Prometheus accepts (292y, a 64-bit count of nanoseconds); expected at most 292y";
    return undefined;
  }
  const loose = looseSeconds(value);
  const units = [...value.matchAll(/[a-zµ]+/gi)].map((u) => u[0]);
  let hint = "";
  if (loose !== undefined && loose > 0 && Number.isInteger(Math.round(loose * 1000)) && units.every((u) => promUnits.some(([name]) => name === u)))
    hint = `; units go from largest to smallest, each once: write ${suggestion(loose, promSuggestionUnits)}`;
  else if (loose !== undefined && loose >= 0.001) hint = `; write ${suggestion(loose, promSuggestionUnits)}`;
  return `${promDurationExpected}${hint}`;
}

export interface DurationRules {
  /** 0 means something here (send at once, fire at once). @default false */
  zeroAllowed?: boolean;
  /** What 0 would do, when it is refused for a reason of its own. */
  zeroMeans?: string;
  /** Smallest value, with the reason. */
  min?: { value: string; why: string };
}

function nonStringDuration(input: unknown, expected: string): string {
  return typeof input === "number" ? `${expected}; write ${input}s for seconds` : expected;
}

/** A Prometheus duration such as `30s`, `5m`, `1h30m` or `30d`; above 0 unless `zeroAllowed`. */
export function promDuration(rules: DurationRules = {}) {
  const accepts = `Prometheus duration: whole numbers with units ms, s, m, h, d, w, y from largest to smallest (such as 30s, 1h30m, 30d)${rules.zeroAllowed ? "; 0s allowed" : ", above 0"}${rules.min ? `, at least ${rules.min.value}` : ""}`;
  return z
    .string({ error: (issue) => nonStringDuration(issue.input, promDurationExpected) })
    .superRefine((value, ctx) => {
      const problem = promDurationProblem(value);
      if (problem) return void ctx.addIssue({ code: "custom", message: problem });
      const seconds = durationSeconds(value);
      if (seconds === 0 && !rules.zeroAllowed)
        return void ctx.addIssue({
          code: "custom",
          message: `${rules.zeroMeans ? `${rules.zeroMeans}; ` : "0 is not a usable value here; "}expected a duration above 0, such as 30s, 5m, 1h or 30d`,
        });
      if (rules.min && seconds < durationSeconds(rules.min.value)) ctx.addIssue({ code: "custom", message: `${rules.min.why}; expected at least ${rules.min.value}` });
    })
    .describe(accepts);
}

const goPattern = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const goMaxSeconds = Number(maxNanos / 1_000_000_000n);

/**
 * A duration passed to an Alertmanager flag or field that Go parses: whole h,
 * m, s and ms, above 0. `what` names the setting in the message.
 */
export function goDurationSpec(what: string) {
  const expected = "expected whole numbers of h, m, s or ms from largest to smallest, such as 120h";
  return z
    .string({ error: (issue) => nonStringDuration(issue.input, `${what} is a Go duration; ${expected}`) })
    .superRefine((value, ctx) => {
      const m = goPattern.exec(value);
      const loose = looseSeconds(value);
      const fix = loose !== undefined && loose >= 0.001 ? `; write ${suggestion(loose, goSuggestionUnits)}` : "";
      if (!m || value === "") {
        const unknown = /\d(d|w|y)\b/.exec(value)?.[1];
        const why = unknown
          ? `${what} is a Go duration, which has no unit ${unknown}`
          : /\d\.\d|\.\d/.test(value)
            ? `${what} is a Go duration in whole numbers (the Alertmanager resource on Kubernetes takes no fractions)`
            : `${what} is a Go duration`;
        return void ctx.addIssue({ code: "custom", message: `${why}; ${expected}${fix}` });
      }
      const seconds = m.slice(1).reduce((sum, part, i) => sum + (part ? Number(part) * [3600, 60, 1, 0.001][i] : 0), 0);
      if (seconds === 0) return void ctx.addIssue({ code: "custom", message: "0 is not a usable value here; expected a duration above 0, such as 120h" });
      if (seconds > goMaxSeconds) ctx.addIssue({ code: "custom", message: `is beyond the longest duration Go accepts (2562047h); ${expected}` });
    })
    .describe("Go duration: whole numbers with units ms, s, m, h from largest to smallest (such as 120h or 1h30m), above 0; no d, w or y");
}

/** Seconds of a validated Go duration. */
export function goDurationSeconds(value: string): number {
  const m = goPattern.exec(value);
  if (!m || value === "") throw new Error(`'${value}' is not a Go duration`);
  return m.slice(1).reduce((sum, part, i) => sum + (part ? Number(part) * [3600, 60, 1, 0.001][i] : 0), 0);
}
