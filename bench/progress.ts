/**
 * The bench's progress on stderr: one line as each step starts, with an estimate
 * of the time left. Steps differ by orders of magnitude (a synth run is
 * milliseconds, the scale section minutes), so each carries an expected duration
 * and the estimate scales the steps left by how the finished ones compared with
 * theirs: a machine twice as slow as expected doubles the estimate.
 */

export interface BenchStep {
  name: string;
  /** Expected duration in seconds at these options; only the ratios between steps matter. */
  expectedSeconds: number;
}

/**
 * The steps the chosen sections run, in order, each with a rough expected duration on a
 * 2-core machine (seconds); the progress estimate corrects them by the steps already done.
 */
export function benchSteps(o: { only: Set<string>; runs: number; warmup: number; cycles: number; interval: number }): BenchStep[] {
  const steps: BenchStep[] = [];
  if (o.only.has("drill")) steps.push({ name: "drill", expectedSeconds: 120 * o.runs });
  for (const stack of ["dev", "prod"]) if (o.only.has("synth")) steps.push({ name: `synth ${stack}`, expectedSeconds: 0.5 * o.runs });
  for (const stack of ["dev", "prod"]) if (o.only.has("mocks")) steps.push({ name: `mocks ${stack}`, expectedSeconds: 10 * o.runs });
  // Series generation and the panel queries besides the warm-up and the measured cycles.
  if (o.only.has("scale")) steps.push({ name: "scale", expectedSeconds: o.warmup + o.cycles * o.interval + 120 });
  if (o.only.has("deploy")) steps.push({ name: "deploy", expectedSeconds: 300 }, { name: "builds", expectedSeconds: 150 });
  return steps;
}

/**
 * Milliseconds left once `done` of `steps` have finished in `elapsedMs`; undefined before
 * the first step finishes (nothing measured yet). Zero when every step is done.
 */
export function estimateLeftMs(steps: BenchStep[], done: number, elapsedMs: number): number | undefined {
  const expected = (list: BenchStep[]) => list.reduce((n, s) => n + s.expectedSeconds, 0);
  const left = expected(steps.slice(done));
  if (left === 0) return 0;
  const finished = expected(steps.slice(0, done));
  if (done === 0 || finished <= 0 || elapsedMs <= 0) return undefined;
  return (elapsedMs / finished) * left;
}

/** A duration as a person reads it: "45s", "2m40s", "1h05m". */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** The line printed as step `index` (0-based) starts: "[3/12] rules: … ~2m40s left". */
export function progressLine(steps: BenchStep[], index: number, elapsedMs: number): string {
  const left = estimateLeftMs(steps, index, elapsedMs);
  const estimate = left === undefined ? "estimate after the first step" : `~${formatDuration(left)} left`;
  return `[${index + 1}/${steps.length}] ${steps[index].name}: ${estimate}`;
}

/** Tracks the bench's plan of steps; `start(name)` logs the step's line as it begins. */
export class BenchProgress {
  private readonly started: number;
  private next = 0;

  constructor(
    private readonly steps: BenchStep[],
    private readonly log: (line: string) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  start(name: string): void {
    const index = this.steps.findIndex((s, i) => i >= this.next && s.name === name);
    if (index < 0) throw new Error(`bench progress: no step '${name}' left in the plan (${this.steps.map((s) => s.name).join(", ")})`);
    this.next = index + 1;
    this.log(progressLine(this.steps, index, this.now() - this.started));
  }
}
