/**
 * Names of the recording rules Watchpost produces (`level:metric:operations`).
 * Alerts, dashboards and the drill read series by these names, so they are
 * defined once, here.
 */

/** Per-service request rate, req/s. Labels: service. */
export const serviceRequestRate = "service:http_requests:rate5m";
/**
 * Latency buckets per route, summed over instances, methods and status codes: the one rule that reads
 * every raw bucket series. The per-service buckets and the per-route latency panel read this instead.
 * Labels: service, route, le.
 */
export const serviceRouteLatencyBuckets = "service_route_le:http_request_duration_seconds_bucket:rate5m";
/** Per-service latency buckets, so the three quantiles below read a few hundred series, not every bucket of every route. Labels: service, le. */
export const serviceLatencyBuckets = "service_le:http_request_duration_seconds_bucket:rate5m";
/** Per-service 5xx share of requests, 0..1. Labels: service. */
export const serviceErrorRatio = "service:http_requests_errors:ratio_rate5m";
/** Per-service latency quantiles over 5m. Labels: service. */
export const serviceLatency = {
  p50: "service:http_request_duration_seconds:p50_5m",
  p95: "service:http_request_duration_seconds:p95_5m",
  p99: "service:http_request_duration_seconds:p99_5m",
} as const;

/** SLO windows, shortest first. The period window (e.g. 30d) is added per SLO. */
export const sloWindows = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"] as const;
export type SloWindow = (typeof sloWindows)[number];

/** SLO error ratio over a window, 0..1. Labels: service, slo. */
export function sloErrorRatio(window: string): string {
  return `slo:sli_error:ratio_rate${window}`;
}
/** The SLO's objective as a ratio, such as 0.999. Labels: service, slo. */
export const sloObjective = "slo:objective:ratio";
/** Share of the period's error budget left, 1 = untouched, <= 0 = spent. Labels: service, slo. */
export const sloBudgetRemaining = "slo:error_budget:remaining_ratio";
/** SLO error ratio over its whole period. Labels: service, slo. */
export const sloPeriodErrorRatio = "slo:sli_error:ratio_period";

/** Host utilisation, 0..1. Labels: instance. */
export const hostCpuUtilisation = "instance:node_cpu_utilisation:rate5m";
export const hostMemoryUtilisation = "instance:node_memory_utilisation:ratio";
/** Share of each real, writable filesystem that is full, 0..1. Labels: job, instance, device, fstype, mountpoint. */
export const hostFilesystemUsage = "instance_mountpoint:node_filesystem_usage:ratio";
/**
 * Free bytes of each real filesystem averaged over 5 minutes, recorded every 5 minutes: the 6-hour trend
 * of HostDiskWillFillIn24Hours reads 72 samples per filesystem instead of 1,440. Read it only through a
 * range selector (an instant query can find its last sample older than the 5m lookback).
 * Labels: job, instance, device, fstype, mountpoint.
 */
export const hostFilesystemAvailTrend = "instance_mountpoint:node_filesystem_avail_bytes:avg5m";

/**
 * Constant 1 per configured service, carrying its `team` label. Alerts owned by
 * a service join it with `* on (service) group_left (team)`. Labels: service, team.
 */
export const serviceOwner = "service:owner:info";
