/**
 * Maintenance windows as a stack declares them, checked the way Alertmanager's
 * time intervals are (alertmanager timeinterval package): times of day 00:00 to
 * 24:00 that do not cross midnight, IANA time zones, months by name or number,
 * days of the month counted from either end, ranges that do not run backwards.
 */
import { z } from "zod";
import { resourceName } from "../../model/primitives";
import { nearest } from "../../model/suggest";

const weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
const months = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

const startClock = /^([01]\d|2[0-3]):[0-5]\d$/;
const endClock = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const minutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3));

const weekday = z
  .enum(weekdays, { error: (issue) => `expected a day of the week written out in lower case, such as monday${suggest(issue.input, weekdays)}` })
  .describe("day of the week: monday to sunday");

function suggest(input: unknown, names: readonly string[]): string {
  if (typeof input !== "string") return "";
  const lower = input.toLowerCase();
  const match = names.find((n) => n === lower) ?? names.find((n) => lower.length >= 3 && n.startsWith(lower)) ?? nearest(lower, names, 2);
  return match ? `; write ${match}` : "";
}

/** A range `a:b` or a single value, each side read by `member`; the problem, or undefined. */
function rangeProblem(
  value: string,
  member: (side: string) => number | undefined,
  noun: string,
  expected: string,
  order: (a: number, b: number) => string | undefined,
): string | undefined {
  const sides = value.split(":");
  if (sides.length > 2) return `is not a ${noun} or a range of two; ${expected}`;
  const read = sides.map(member);
  const bad = read.indexOf(undefined);
  if (bad !== -1) return `${sides.length === 1 ? "is" : `${JSON.stringify(sides[bad])} is`} not a ${noun}; ${expected}`;
  return read.length === 2 ? order(read[0] as number, read[1] as number) : undefined;
}

const backwards = (a: number, b: number) => (a > b ? "the range ends before it starts; Alertmanager ranges do not wrap around: write two entries instead" : undefined);

function month(side: string): number | undefined {
  const byName = months.indexOf(side.toLowerCase());
  if (byName !== -1) return byName + 1;
  return /^\d{1,2}$/.test(side) && Number(side) >= 1 && Number(side) <= 12 ? Number(side) : undefined;
}

const monthRange = z
  .string({ error: "expected a month such as january or 1" })
  .superRefine((value, ctx) => {
    const expected = `expected a month (january to december, or 1 to 12) or a range such as march:may${suggest(
      value.split(":").find((s) => month(s) === undefined),
      months,
    )}`;
    const problem = rangeProblem(value, month, "month", expected, backwards);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .describe("month (january to december, or 1 to 12) or a range such as march:may");

function dayOfMonth(side: string): number | undefined {
  if (!/^-?\d{1,2}$/.test(side)) return undefined;
  const n = Number(side);
  return n !== 0 && n >= -31 && n <= 31 ? n : undefined;
}

const dayRange = z
  .string({ error: "expected a day of the month such as 1 or -1, as a string" })
  .superRefine((value, ctx) => {
    const expected = "expected a day of the month from 1 to 31 or -31 to -1 (counting from the month's end), or a range such as 1:7";
    const problem = rangeProblem(value, dayOfMonth, "day of the month", expected, (a, b) => {
      if (a < 0 && b > 0) return "a range that starts at a negative day (counted from the month's end) must end at a negative day too, such as -7:-1";
      // Alertmanager's own test: negative days read as in a 28-day month.
      return (a < 0 ? 28 + a : a) > (b < 0 ? 28 + b : b) ? "the range ends before it starts; Alertmanager ranges do not wrap around: write two entries instead" : undefined;
    });
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .describe("day of the month (1 to 31, or -31 to -1 from the end) or a range such as 1:7");

const yearRange = z
  .string({ error: "expected a year such as 2026, as a string" })
  .superRefine((value, ctx) => {
    const problem = rangeProblem(value, (s) => (/^\d{4}$/.test(s) ? Number(s) : undefined), "year", "expected a four-digit year or a range such as 2026:2027", backwards);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .describe("four-digit year or a range such as 2026:2027");

let zones: { exact: Set<string>; all: string[] } | undefined;
function timeZones() {
  zones ??= { exact: new Set(Intl.supportedValuesOf("timeZone")), all: [...Intl.supportedValuesOf("timeZone"), "UTC"] };
  return zones;
}

/** The problem with a time zone name as Alertmanager loads it (Go's time.LoadLocation), or undefined. */
export function timeZoneProblem(name: string): string | undefined {
  const expected = "expected an IANA time zone name such as Europe/Berlin, America/New_York or UTC";
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat("en", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    const near = nearest(name, timeZones().all, 3);
    return `unknown time zone; ${expected}${near ? `; did you mean ${near}?` : ""}`;
  }
  // Intl ignores case; the zone files Go reads are case-sensitive.
  if (resolved !== name && resolved.toLowerCase() === name.toLowerCase()) return `time zone names are case-sensitive where Alertmanager loads them; write ${resolved}`;
  return undefined;
}

const location = z
  .string({ error: "expected an IANA time zone name such as Europe/Berlin" })
  .superRefine((name, ctx) => {
    const problem = timeZoneProblem(name);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .describe("IANA time zone name, such as Europe/Berlin or UTC (case-sensitive)");

const timeRange = z
  .strictObject({
    start: z
      .string({ error: "expected a time of day such as 22:00" })
      .regex(startClock, { error: "expected a time of day from 00:00 to 23:59, such as 22:00" })
      .describe("time of day HH:MM, 00:00 to 23:59"),
    end: z
      .string({ error: "expected a time of day such as 06:00" })
      .regex(endClock, { error: "expected a time of day from 00:01 to 24:00, such as 06:00 (24:00 is the end of the day)" })
      .describe("time of day HH:MM, 00:01 to 24:00, after start"),
  })
  .superRefine((t, ctx) => {
    if (!startClock.test(t.start) || !endClock.test(t.end) || minutes(t.start) < minutes(t.end)) return;
    ctx.addIssue({
      code: "custom",
      message:
        minutes(t.start) === minutes(t.end)
          ? "starts and ends at the same time; expected an end after the start"
          : `ends before it starts; an Alertmanager time range cannot cross midnight: split it in two, ${t.start} to 24:00 and 00:00 to ${t.end} (on the next weekday)`,
    });
  });

const interval = z
  .strictObject({
    weekdays: z.array(weekday).optional(),
    times: z.array(timeRange).optional(),
    daysOfMonth: z.array(dayRange).optional(),
    months: z.array(monthRange).optional(),
    years: z.array(yearRange).optional(),
    /** IANA time zone. @default "UTC" */
    location: location.default("UTC"),
  })
  .superRefine((i, ctx) => {
    if ([i.weekdays, i.times, i.daysOfMonth, i.months, i.years].every((part) => part === undefined || part.length === 0))
      ctx.addIssue({
        code: "custom",
        message:
          "an interval that names no time matches every moment, so the window mutes its routes all the time; expected at least one of weekdays, times, daysOfMonth, months or years",
      });
  });

/** A named Alertmanager time interval that mutes the routes it names. */
export const maintenanceWindowSpec = z.strictObject({
  name: resourceName,
  intervals: z.array(interval).min(1, { error: "expected at least one interval" }),
  /** Routes it mutes: critical, warning, info, security, team:<name> or route:<name> (a routing.routes entry). */
  mutes: z
    .array(
      z
        .string()
        .regex(/^(critical|warning|info|security|(team|route):[a-z][a-z0-9-]*)$/, {
          error: "expected critical, warning, info, security, team:<name> or route:<name>",
        })
        .describe("critical, warning, info, security, team:<name> or route:<name>"),
    )
    .min(1, { error: "expected at least one route to mute" }),
});
export type MaintenanceWindowSpec = z.infer<typeof maintenanceWindowSpec>;
