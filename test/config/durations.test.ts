/**
 * The duration grammars, case by case. Cross-checked once against the
 * upstream parsers (prometheus/common v0.70.1 model.ParseDuration and Go's
 * time.ParseDuration) on these strings: the Prometheus grammar agrees on every
 * one; the Go-duration setting refuses, on purpose, what the Alertmanager
 * resource's GoDuration pattern refuses (fractions, repeated or unordered
 * units, ns, signs) and zero.
 */
import { describe, expect, it } from "vitest";
import { durationSeconds, goDurationSpec, promDuration, promDurationProblem } from "../../model/durations";

describe("Prometheus durations", () => {
  it.each(["30s", "1h30m", "30d", "292y", "1y1w1d1h1m1s1ms", "0", "0s", "10ms", "01s", "1m0s"])("accepts %s as Prometheus does", (value) => {
    expect(promDurationProblem(value)).toBeUndefined();
  });

  it.each([
    ["30s1m", "units go from largest to smallest, each once: write 1m30s"],
    ["1h1h", "units go from largest to smallest, each once: write 2h"],
    ["293y", "is beyond the longest duration Prometheus accepts (292y, a 64-bit count of nanoseconds); expected at most 292y"],
    ["1.5h", "write 1h30m"],
    ["30 days", "write 30d"],
    ["2 weeks", "write 14d"],
    ["", "expected a duration such as 30s"],
    ["-1s", "expected a duration such as 30s"],
    ["1 month", "expected a duration such as 30s, 5m, 1h or 30d (units ms, s, m, h, d, w, y)"],
  ])("refuses %j: %s", (value, words) => {
    expect(promDurationProblem(value)).toContain(words);
  });

  it("reads 0 as zero seconds, as Prometheus does", () => {
    expect(durationSeconds("0")).toBe(0);
    expect(durationSeconds("1d2h")).toBe(93600);
  });

  it("refuses 0 unless 0 means something there, saying what it would do", () => {
    expect(promDuration().safeParse("0s").error?.issues[0].message).toBe("0 is not a usable value here; expected a duration above 0, such as 30s, 5m, 1h or 30d");
    expect(promDuration({ zeroMeans: "Alertmanager refuses a group_interval of 0" }).safeParse("0m").error?.issues[0].message).toMatch(
      /^Alertmanager refuses a group_interval of 0; expected a duration above 0/,
    );
    expect(promDuration({ zeroAllowed: true }).safeParse("0s").success).toBe(true);
  });

  it("holds a minimum with its reason", () => {
    const loki = promDuration({ min: { value: "24h", why: "Loki's minimum retention is 24h" } });
    expect(loki.safeParse("23h59m").error?.issues[0].message).toBe("Loki's minimum retention is 24h; expected at least 24h");
    expect(loki.safeParse("1d").success).toBe(true);
  });

  it("suggests seconds for a bare number", () => {
    expect(promDuration().safeParse(15).error?.issues[0].message).toContain("write 15s for seconds");
  });
});

describe("Go durations (Alertmanager's retention)", () => {
  const retention = goDurationSpec("the retention");
  const message = (value: unknown) => retention.safeParse(value).error?.issues[0].message;

  it.each(["120h", "1h30m", "90m", "10s", "500ms", "2562047h"])("accepts %s, which Go and the Alertmanager resource both take", (value) => {
    expect(retention.safeParse(value).success).toBe(true);
  });

  it.each([
    ["5d", "the retention is a Go duration, which has no unit d; expected whole numbers of h, m, s or ms from largest to smallest, such as 120h; write 120h"],
    ["2w", "no unit w; expected whole numbers of h, m, s or ms from largest to smallest, such as 120h; write 336h"],
    [
      "1.5h",
      "in whole numbers (the Alertmanager resource on Kubernetes takes no fractions); expected whole numbers of h, m, s or ms from largest to smallest, such as 120h; write 1h30m",
    ],
    ["30m1h", "write 1h30m"],
    ["0h", "0 is not a usable value here; expected a duration above 0, such as 120h"],
    ["2562048h", "is beyond the longest duration Go accepts (2562047h)"],
  ])("refuses %j", (value, words) => {
    expect(message(value)).toContain(words);
  });
});
