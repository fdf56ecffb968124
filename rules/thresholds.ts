/**
 * Default alert thresholds, overridable per stack under `alerts.thresholds`.
 * One table so the README, the validator and the rules agree.
 */
export const defaultThresholds = {
  errorRatioCritical: 0.05,
  latencyP95WarningSeconds: 2,
  latencyP95CriticalSeconds: 5,
  trafficDropRatio: 0.5,
  /** Below this many req/s a day ago, a drop is noise rather than an outage. */
  trafficDropMinRequestsPerSecond: 1,
  hostCpuWarning: 0.85,
  hostCpuCritical: 0.9,
  hostMemoryWarning: 0.85,
  hostMemoryCritical: 0.95,
  hostDiskWarning: 0.85,
  hostDiskCritical: 0.95,
  hostInodesFree: 0.05,
  hostClockSkewSeconds: 0.05,
  /** Share of packets received or sent with errors. */
  hostNetworkErrorRatio: 0.01,
  containerCpu: 0.9,
  containerMemoryOfLimit: 0.85,
  /** Restarts within 15 minutes. */
  containerRestarts: 2,
  pvcUsage: 0.9,
  postgresConnectionsOfMax: 0.8,
  postgresReplicationLagSeconds: 30,
  postgresTransactionsPerSecond: 1000,
  postgresSlowQuerySeconds: 60,
  /** Deadlocks within 10 minutes above which to alert. */
  postgresDeadlocks: 0,
  redisMemoryOfMax: 0.9,
  redisEvictionsPerSecond: 10,
  redisHitRate: 0.8,
  rabbitmqQueueDepth: 10000,
  rabbitmqUnacked: 1000,
  rabbitmqConnections: 1000,
  nginxErrorRatio: 0.05,
  elasticsearchHeapRatio: 0.9,
  endpointSlowSeconds: 2,
  tlsExpiryWarningDays: 14,
  tlsExpiryCriticalDays: 3,
  authFailuresPerSecond: 5,
  rateLimitedPerSecond: 10,
  prometheusStorageRatio: 0.8,
  /** Share of Loki requests answered with 5xx. */
  lokiErrorRatio: 0.05,
  /** Share of the SLO period's error budget left below which SLOErrorBudgetExhausted fires. */
  sloBudgetRemaining: 0.1,
} as const;

export type ThresholdName = keyof typeof defaultThresholds;

/**
 * What each threshold measures, so an override is checked for its unit: a
 * ratio is a share from 0 to 1 (0.85 is 85%), the others are never negative.
 */
export type ThresholdKind = "ratio" | "seconds" | "count" | "perSecond" | "days";
export const thresholdKinds: Record<ThresholdName, ThresholdKind> = {
  errorRatioCritical: "ratio",
  latencyP95WarningSeconds: "seconds",
  latencyP95CriticalSeconds: "seconds",
  trafficDropRatio: "ratio",
  trafficDropMinRequestsPerSecond: "perSecond",
  hostCpuWarning: "ratio",
  hostCpuCritical: "ratio",
  hostMemoryWarning: "ratio",
  hostMemoryCritical: "ratio",
  hostDiskWarning: "ratio",
  hostDiskCritical: "ratio",
  hostInodesFree: "ratio",
  hostClockSkewSeconds: "seconds",
  hostNetworkErrorRatio: "ratio",
  containerCpu: "ratio",
  containerMemoryOfLimit: "ratio",
  containerRestarts: "count",
  pvcUsage: "ratio",
  postgresConnectionsOfMax: "ratio",
  postgresReplicationLagSeconds: "seconds",
  postgresTransactionsPerSecond: "perSecond",
  postgresSlowQuerySeconds: "seconds",
  postgresDeadlocks: "count",
  redisMemoryOfMax: "ratio",
  redisEvictionsPerSecond: "perSecond",
  redisHitRate: "ratio",
  rabbitmqQueueDepth: "count",
  rabbitmqUnacked: "count",
  rabbitmqConnections: "count",
  nginxErrorRatio: "ratio",
  elasticsearchHeapRatio: "ratio",
  endpointSlowSeconds: "seconds",
  tlsExpiryWarningDays: "days",
  tlsExpiryCriticalDays: "days",
  authFailuresPerSecond: "perSecond",
  rateLimitedPerSecond: "perSecond",
  prometheusStorageRatio: "ratio",
  lokiErrorRatio: "ratio",
  sloBudgetRemaining: "ratio",
};

/** Pairs where the warning must come before the critical alert: [warning, critical, "below" | "above"]. */
export const thresholdOrder: ReadonlyArray<[ThresholdName, ThresholdName, "below" | "above"]> = [
  ["latencyP95WarningSeconds", "latencyP95CriticalSeconds", "below"],
  ["hostCpuWarning", "hostCpuCritical", "below"],
  ["hostMemoryWarning", "hostMemoryCritical", "below"],
  ["hostDiskWarning", "hostDiskCritical", "below"],
  ["tlsExpiryWarningDays", "tlsExpiryCriticalDays", "above"],
];

const kindWords: Record<ThresholdKind, string> = {
  ratio: "a ratio from 0 to 1 (0.85 means 85%)",
  seconds: "seconds, 0 or more",
  count: "a count, 0 or more",
  perSecond: "a rate per second, 0 or more",
  days: "days, 0 or more",
};

/** The problem with one override, or undefined. */
export function thresholdProblem(name: ThresholdName, value: number): string | undefined {
  const kind = thresholdKinds[name];
  if (value < 0) return `a negative threshold never means anything here; ${name} is ${kindWords[kind]}`;
  if (kind === "ratio" && value > 1)
    return `${name} is a ratio, not a percentage; expected ${kindWords[kind]}${value <= 100 ? `; write ${Number((value / 100).toPrecision(6))}` : ""}`;
  return undefined;
}
export type Thresholds = Record<ThresholdName, number>;

export function knownThresholds(): Readonly<Thresholds> {
  return defaultThresholds;
}

export function resolveThresholds(overrides: Partial<Record<string, number>>): Thresholds {
  return { ...defaultThresholds, ...overrides } as Thresholds;
}
