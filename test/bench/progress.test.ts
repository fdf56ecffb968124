import { describe, expect, it } from "vitest";
import { BenchProgress, benchSteps, estimateLeftMs, formatDuration, progressLine } from "../../bench/progress";

const steps = [
  { name: "drill", expectedSeconds: 100 },
  { name: "synth dev", expectedSeconds: 10 },
  { name: "scale", expectedSeconds: 200 },
];

describe("bench progress", () => {
  it("has no estimate before the first step finishes", () => {
    expect(estimateLeftMs(steps, 0, 0)).toBeUndefined();
    expect(estimateLeftMs(steps, 0, 5_000)).toBeUndefined();
  });

  it("scales the expected duration of the steps left by how the finished ones ran", () => {
    // The drill took 200 s against 100 expected: twice as slow, so 210 expected seconds left take 420.
    expect(estimateLeftMs(steps, 1, 200_000)).toBe(420_000);
    // As expected so far: the steps left take what they were expected to.
    expect(estimateLeftMs(steps, 2, 110_000)).toBe(200_000);
    expect(estimateLeftMs(steps, 3, 999_000)).toBe(0);
  });

  it("formats durations as a person reads them", () => {
    expect(formatDuration(45_000)).toBe("45s");
    expect(formatDuration(160_000)).toBe("2m40s");
    expect(formatDuration(65_000)).toBe("1m05s");
    expect(formatDuration(3_900_000)).toBe("1h05m");
  });

  it("prints one line per step with its position and the estimate", () => {
    expect(progressLine(steps, 0, 0)).toBe("[1/3] drill: estimate after the first step");
    expect(progressLine(steps, 1, 200_000)).toBe("[2/3] synth dev: ~7m00s left");
    const lines: string[] = [];
    let now = 1_000;
    const progress = new BenchProgress(
      steps,
      (l) => lines.push(l),
      () => now,
    );
    progress.start("drill");
    now += 100_000;
    progress.start("scale");
    expect(lines).toEqual(["[1/3] drill: estimate after the first step", "[3/3] scale: ~3m02s left"]);
    expect(() => progress.start("drill")).toThrow(/no step 'drill' left in the plan/);
  });

  it("plans the steps of the chosen sections only, in the order they run", () => {
    const options = { runs: 3, warmup: 90, cycles: 6, interval: 5 };
    expect(benchSteps({ ...options, only: new Set(["mocks", "synth"]) }).map((s) => s.name)).toEqual(["synth dev", "synth prod", "mocks dev", "mocks prod"]);
    const all = benchSteps({ ...options, only: new Set(["drill", "synth", "mocks", "scale", "deploy"]) });
    expect(all.map((s) => s.name)).toEqual(["drill", "synth dev", "synth prod", "mocks dev", "mocks prod", "scale", "deploy", "builds"]);
    expect(all.find((s) => s.name === "scale")?.expectedSeconds).toBe(90 + 6 * 5 + 120);
    expect(all.every((s) => s.expectedSeconds > 0)).toBe(true);
  });
});
