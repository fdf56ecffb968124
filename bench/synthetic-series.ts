/**
 * A synthetic exporter serving ~N active series shaped like what Watchpost's
 * rules and dashboards read: application metrics by the README's conventions
 * (http_requests_total and the latency histogram by service, method, route,
 * status_code), node exporter hosts, cAdvisor containers and blackbox probes,
 * with `up` for each simulated target. Split into shards, each on its own
 * loopback port, so Prometheus scrapes it as several targets in parallel.
 * Counters grow at a steady per-series rate, so rate() and the recording
 * rules built on it have data after two scrapes. Values are those of a healthy
 * production system (errors and latency within the dev stack's SLOs, hosts and
 * containers well inside every threshold), so no alert is pending unless a
 * case means it to: an alert pending on every host would time Prometheus'
 * alert bookkeeping, not the rule.
 */
import { createServer, type Server } from "node:http";

export interface SeriesShape {
  services: number;
  instancesPerService: number;
  routes: number;
  hosts: number;
  containers: number;
  probes: number;
}

interface Series {
  /** `name{labels}` as exposed. */
  key: string;
  counter: boolean;
  /** Per-second increase for counters, the value for gauges. */
  rate: number;
}

const methods = ["GET", "POST"];
const codes = ["200", "201", "404", "500"];
/** 0.5 is the dev stack's latency SLO threshold: the SLI reads that bucket. */
const buckets = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"];
/**
 * Share of requests at or under each bucket: p50 ≈ 35 ms, p95 ≈ 0.23 s, p99 ≈ 0.45 s,
 * 99.5% within the latency SLO's 0.5 s (objective 99%), a mean of about 65 ms.
 */
const underBucket = [0.05, 0.15, 0.4, 0.65, 0.85, 0.97, 0.995, 0.999, 1, 1, 1, 1];
const meanSeconds = 0.065;
/** Requests per second of one method and route, by status code: 0.04% are 5xx, within the availability SLO's 0.1%. */
const requestRate: Record<string, number> = { "200": 2, "201": 0.2, "404": 0.2, "500": 0.001 };
const cpuModes = ["idle", "user", "system", "iowait", "irq", "softirq", "steal", "nice"];
/** Per-second increase of each network counter of one device: 100 packets/s of 1 kB, one in 10,000 with an error (HostNetworkErrors: 1%). */
const networkRates = { bytes: 1e5, packets: 100, errs: 0.01, drop: 0.01 };
/** A 16 GB host using half its memory (HostHighMemoryUsage: 85%). */
const hostMemoryBytes = { MemTotal: 16e9, MemAvailable: 8e9, MemFree: 2e9, Buffers: 5e8, Cached: 5.5e9, SwapTotal: 2e9, SwapFree: 2e9 };
/** An NTP-synchronised 8-CPU host: the clock 0.5 ms off (HostClockSkew: 50 ms), up since late 2023. */
const hostGauges = { load1: 2, load5: 2, load15: 2, timex_offset_seconds: 0.0005, timex_sync_status: 1, boot_time_seconds: 1.7e9, filefd_allocated: 5000, filefd_maximum: 1e6 };
const mounts = [
  { device: "/dev/nvme0n1p1", fstype: "ext4", mountpoint: "/" },
  { device: "/dev/nvme1n1", fstype: "xfs", mountpoint: "/data" },
  { device: "/dev/nvme0n1p15", fstype: "vfat", mountpoint: "/boot/efi" },
  { device: "tmpfs", fstype: "tmpfs", mountpoint: "/run" },
];

/** Series each unit of the shape contributes; used to size a shape for a target count. */
export const seriesPer = {
  appInstance: (routes: number) => routes * methods.length * codes.length * (1 + buckets.length + 2) + 3 + 7 + 1,
  host: 64 + 7 + mounts.length * 5 + 3 * 8 + 2 * 4 + 12 + 1,
  container: 10,
  cadvisorHost: 1,
  probe: 10,
};

/** A shape of about `target` series: ~58% application, ~20% hosts, ~2% probes, containers making up the rest. */
export function shapeFor(target: number): SeriesShape {
  const routes = 8;
  const services = 10;
  const instancesPerService = Math.max(1, Math.round((target * 0.58) / services / seriesPer.appInstance(routes)));
  const hosts = Math.max(1, Math.round((target * 0.2) / seriesPer.host));
  const probes = Math.max(1, Math.round((target * 0.02) / seriesPer.probe));
  const rest = target - services * instancesPerService * seriesPer.appInstance(routes) - hosts * seriesPer.host - probes * seriesPer.probe;
  // One cAdvisor `up` per 20 containers.
  const containers = Math.max(1, Math.round(rest / (seriesPer.container + seriesPer.cadvisorHost / 20)));
  return { services, instancesPerService, routes, hosts, containers, probes };
}

const labels = (l: Record<string, string>) =>
  `{${Object.entries(l)
    .map(([k, v]) => `${k}="${v}"`)
    .join(",")}}`;

export function buildSeries(shape: SeriesShape): Series[] {
  const out: Series[] = [];
  const counter = (name: string, l: Record<string, string>, rate: number) => out.push({ key: `${name}${labels(l)}`, counter: true, rate });
  const gauge = (name: string, l: Record<string, string>, value: number) => out.push({ key: `${name}${labels(l)}`, counter: false, rate: value });

  for (let s = 0; s < shape.services; s++) {
    // The first service is the dev stack's `api`, so its SLO rules have data.
    const service = s === 0 ? "api" : `svc-${s}`;
    for (let i = 0; i < shape.instancesPerService; i++) {
      const base = { job: service, service, instance: `${service}-${i}:8080` };
      gauge("up", base, 1);
      for (let r = 0; r < shape.routes; r++)
        for (const method of methods)
          for (const code of codes) {
            const l = { ...base, method, route: `/r${r}`, status_code: code };
            const rps = requestRate[code];
            counter("http_requests_total", l, rps);
            buckets.forEach((le, b) => {
              counter("http_request_duration_seconds_bucket", { ...l, le }, rps * underBucket[b]);
            });
            counter("http_request_duration_seconds_sum", l, rps * meanSeconds);
            counter("http_request_duration_seconds_count", l, rps);
          }
      for (const reason of ["bad_password", "expired_token", "rate_limited"]) counter("auth_failures_total", { ...base, reason }, 0.01);
      counter("process_cpu_seconds_total", base, 0.2);
      gauge("process_resident_memory_bytes", base, 2e8);
      gauge("db_connection_pool_used", base, 5);
      gauge("db_connection_pool_size", base, 20);
      gauge("queue_jobs_waiting", { ...base, queue: "emails" }, 3);
      counter("queue_jobs_failed_total", { ...base, queue: "emails" }, 0.001);
      counter("security_suspicious_uploads_total", base, 0);
    }
  }

  for (let h = 0; h < shape.hosts; h++) {
    const base = { job: "node", instance: `host-${h}:9100` };
    gauge("up", base, 1);
    for (let cpu = 0; cpu < 8; cpu++) for (const mode of cpuModes) counter("node_cpu_seconds_total", { ...base, cpu: String(cpu), mode }, mode === "idle" ? 0.7 : 0.04);
    for (const [m, bytes] of Object.entries(hostMemoryBytes)) gauge(`node_memory_${m}_bytes`, base, bytes);
    for (const m of mounts) {
      gauge("node_filesystem_avail_bytes", { ...base, ...m }, 6e10);
      gauge("node_filesystem_size_bytes", { ...base, ...m }, 1e11);
      gauge("node_filesystem_files", { ...base, ...m }, 6e6);
      gauge("node_filesystem_files_free", { ...base, ...m }, 5e6);
      gauge("node_filesystem_readonly", { ...base, ...m }, 0);
    }
    for (const device of ["eth0", "eth1", "lo"])
      for (const dir of ["receive", "transmit"])
        for (const [what, perSecond] of Object.entries(networkRates)) counter(`node_network_${dir}_${what}_total`, { ...base, device }, perSecond);
    for (const device of ["nvme0n1", "nvme1n1"])
      for (const what of ["io_time_seconds", "read_bytes", "written_bytes", "reads_completed"]) counter(`node_disk_${what}_total`, { ...base, device }, 0.1);
    for (const [m, value] of Object.entries(hostGauges)) gauge(`node_${m}`, base, value);
    gauge("node_uname_info", { ...base, nodename: `host-${h}`, release: "6.1.0" }, 1);
    counter("node_vmstat_oom_kill", base, 0);
    counter("node_context_switches_total", base, 1000);
    counter("node_intr_total", base, 1000);
  }

  const cadvisorHosts = Math.max(1, Math.ceil(shape.containers / 20));
  for (let h = 0; h < cadvisorHosts; h++) gauge("up", { job: "cadvisor", instance: `host-${h}:8080` }, 1);
  for (let c = 0; c < shape.containers; c++) {
    const l = {
      job: "cadvisor",
      instance: `host-${c % cadvisorHosts}:8080`,
      name: `c-${c}`,
      image: `registry.example.test/app:${c % 7}`,
      namespace: `ns-${c % 5}`,
      pod: `pod-${c}`,
      container: `app-${c % 3}`,
    };
    counter("container_cpu_usage_seconds_total", l, 0.1);
    gauge("container_memory_working_set_bytes", l, 1e8);
    gauge("container_spec_memory_limit_bytes", l, 5e8);
    gauge("container_spec_cpu_quota", l, 50000);
    gauge("container_spec_cpu_period", l, 100000);
    counter("container_oom_events_total", l, 0);
    gauge("container_start_time_seconds", l, 1.7e9);
    counter("container_network_receive_bytes_total", l, 1000);
    counter("container_network_transmit_bytes_total", l, 1000);
    gauge("container_fs_usage_bytes", l, 1e7);
  }

  for (let p = 0; p < shape.probes; p++) {
    const l = { job: "blackbox", instance: `https://svc-${p}.example.test/healthz`, probe: `probe-${p}`, service: p === 0 ? "api" : `svc-${p % 10}`, probe_module: "http_2xx" };
    gauge("probe_success", l, 1);
    gauge("probe_duration_seconds", l, 0.05);
    gauge("probe_http_status_code", l, 200);
    gauge("probe_ssl_earliest_cert_expiry", l, 1.9e9);
    gauge("probe_dns_lookup_time_seconds", l, 0.001);
    for (const phase of ["resolve", "connect", "tls", "processing", "transfer"]) gauge("probe_http_duration_seconds", { ...l, phase }, 0.01);
  }
  return out;
}

export interface SyntheticExporter {
  series: number;
  addresses: string[];
  stop(): Promise<void>;
}

/** Serves `series` split into `shards` endpoints on loopback ports (each `/metrics`). */
export async function startSyntheticExporter(series: Series[], shards: number): Promise<SyntheticExporter> {
  const started = Date.now();
  const parts: Series[][] = Array.from({ length: shards }, () => []);
  series.forEach((s, i) => {
    parts[i % shards].push(s);
  });
  const servers: Server[] = [];
  const addresses: string[] = [];
  for (const part of parts) {
    const server = createServer((_req, res) => {
      const t = (Date.now() - started) / 1000;
      const lines = part.map((s) => `${s.key} ${s.counter ? (1000 + s.rate * t).toFixed(3) : s.rate}`);
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      res.end(`${lines.join("\n")}\n`);
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const addr = server.address();
    if (addr === null || typeof addr === "string") throw new Error("synthetic exporter: no port");
    servers.push(server);
    addresses.push(`127.0.0.1:${addr.port}`);
  }
  return {
    series: series.length,
    addresses,
    stop: async () => {
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
