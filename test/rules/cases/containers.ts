import { fires, type PackCases, quiet, s } from "./types";

// The all-packs fixture runs on Kubernetes: containers are named by namespace, pod and container.
const c = 'namespace="apps",pod="api-1",container="api"';
const who = { namespace: "apps", pod: "api-1", container: "api" };
const cpu = (coresUsed: number) => [
  s(`container_cpu_usage_seconds_total{${c},id="/a"}`, `0+${coresUsed * 60}x20`),
  s(`container_spec_cpu_quota{${c},id="/a"}`, "100000x20"),
  s(`container_spec_cpu_period{${c},id="/a"}`, "100000x20"),
];
const memory = (used: number) => [s(`container_memory_working_set_bytes{${c},id="/a"}`, `${used}x20`), s(`container_spec_memory_limit_bytes{${c},id="/a"}`, "100x20")];
// Each restart is a new cgroup, so a new series with a new id.
const starts = (count: number) => Array.from({ length: count }, (_, i) => s(`container_start_time_seconds{${c},id="/${i}"}`, `${"_ ".repeat(i * 3)}${100 * (i + 1)}x2`));

export const containersCases: PackCases = {
  files: ["containers.rules.yml"],
  cases: [
    fires("ContainerHighCpuUsage", "95% of a 1-core limit", "15m", cpu(0.95), [{ labels: { severity: "warning", ...who }, value: "95%" }]),
    quiet("ContainerHighCpuUsage", "50% of its limit", "15m", cpu(0.5)),
    quiet("ContainerHighCpuUsage", "no CPU limit set", "15m", [
      s(`container_cpu_usage_seconds_total{${c},id="/a"}`, "0+60x20"),
      s(`container_spec_cpu_quota{${c},id="/a"}`, "0x20"),
      s(`container_spec_cpu_period{${c},id="/a"}`, "100000x20"),
    ]),
    fires("ContainerHighMemoryUsage", "90% of its limit", "10m", memory(90), [{ labels: { severity: "warning", ...who }, value: "90%" }]),
    quiet("ContainerHighMemoryUsage", "50% of its limit", "10m", memory(50)),
    fires("ContainerRestarting", "started 3 times in 15m", "10m", starts(3), [{ labels: { severity: "warning", ...who }, value: "2" }]),
    quiet("ContainerRestarting", "restarted once", "10m", starts(2)),
    fires("ContainerOomKilled", "one OOM kill", "14m", [s(`container_oom_events_total{${c},id="/a"}`, "0x5 1x10")], [{ labels: { severity: "warning", ...who }, value: "1" }]),
    quiet("ContainerOomKilled", "no OOM kill", "14m", [s(`container_oom_events_total{${c},id="/a"}`, "0x15")]),
  ],
};
