/**
 * Maintenance windows take what Alertmanager's time intervals take, and no
 * more: the refusals are in the bad-stack corpus (test/config/bad-stacks.ts);
 * here, the values on the edge that must still pass.
 */
import { describe, expect, it } from "vitest";
import { maintenanceWindowSpec, timeZoneProblem } from "../../components/alerting/maintenance";

const window = (interval: Record<string, unknown>) => maintenanceWindowSpec.safeParse({ name: "w", intervals: [interval], mutes: ["info"] });

describe("maintenance windows", () => {
  it.each([
    [{ times: [{ start: "00:00", end: "24:00" }] }],
    [{ times: [{ start: "23:59", end: "24:00" }] }],
    [
      {
        weekdays: ["saturday", "sunday"],
        times: [
          { start: "22:00", end: "24:00" },
          { start: "00:00", end: "02:00" },
        ],
      },
    ],
    [{ months: ["december", "1", "march:may", "10:12", "January"] }],
    [{ daysOfMonth: ["1", "31", "-1", "-7:-1", "1:7", "24:31", "-31:-28"] }],
    [{ years: ["2030", "2030:2031"] }],
    [{ weekdays: ["monday"], location: "Europe/Berlin" }],
    [{ weekdays: ["monday"], location: "America/Argentina/Buenos_Aires" }],
    [{ weekdays: ["monday"], location: "Etc/UTC" }],
  ])("accepts %j", (interval) => {
    expect(window(interval).error?.issues).toBeUndefined();
  });

  it("says where each problem of a window is, all at once", () => {
    const issues = window({ times: [{ start: "24:30", end: "22:00" }], months: ["13"], location: "Mars/Olympus" }).error?.issues ?? [];
    expect(issues.map((i) => i.path.join("."))).toEqual(["intervals.0.times.0.start", "intervals.0.months.0", "intervals.0.location"]);
  });

  it("suggests the time zone meant", () => {
    expect(timeZoneProblem("Europe/Londn")).toContain("did you mean Europe/London?");
    expect(timeZoneProblem("UTC")).toBeUndefined();
  });
});
