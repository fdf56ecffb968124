import { fires, type PackCases, quiet, s } from "./types";

const node = 'job="node",instance="h1:9100"';
const host = { instance: "h1:9100" };
const idle = (idlePerSecond: number) => [s(`node_cpu_seconds_total{${node},cpu="0",mode="idle"}`, `0+${idlePerSecond * 60}x20`)];
const memory = (availablePercent: number) => [s(`node_memory_MemAvailable_bytes{${node}}`, `${availablePercent}x20`), s(`node_memory_MemTotal_bytes{${node}}`, "100x20")];
const fs = `${node},device="/dev/sda1",mountpoint="/",fstype="ext4"`;
const fsLabels = { job: "node", instance: "h1:9100", device: "/dev/sda1", mountpoint: "/", fstype: "ext4" };
const disk = (avail: string, minutes = 20) => [
  s(`node_filesystem_avail_bytes{${fs}}`, avail),
  s(`node_filesystem_size_bytes{${fs}}`, `1000x${minutes}`),
  s(`node_filesystem_readonly{${fs}}`, `0x${minutes}`),
];
const inodes = (free: number) => [s(`node_filesystem_files_free{${fs}}`, `${free}x20`), s(`node_filesystem_files{${fs}}`, "100x20")];
const nic = `${node},device="eth0"`;
const network = (errorsPerMin: number) => [
  s(`node_network_receive_errs_total{${nic}}`, `0+${errorsPerMin}x20`),
  s(`node_network_transmit_errs_total{${nic}}`, "0x20"),
  s(`node_network_receive_packets_total{${nic}}`, "0+6000x20"),
  s(`node_network_transmit_packets_total{${nic}}`, "0+6000x20"),
];

export const hostsCases: PackCases = {
  files: ["hosts.rules.yml"],
  cases: [
    fires("HostDown", "node exporter down 3m", "3m", [s(`up{${node}}`, "0x5")], [{ labels: { severity: "critical", job: "node", ...host } }]),
    quiet("HostDown", "down for under 1m", "3m", [s(`up{${node}}`, "1 1 1 0")]),
    fires("HostHighCpuUsage", "92% busy", "15m", idle(0.08), [{ labels: { severity: "warning", ...host }, value: "92%" }]),
    quiet("HostHighCpuUsage", "80% busy", "15m", idle(0.2)),
    fires("HostCriticalCpuUsage", "92% busy", "15m", idle(0.08), [{ labels: { severity: "critical", ...host }, value: "92%" }]),
    quiet("HostCriticalCpuUsage", "88% busy is only a warning", "15m", idle(0.12)),
    fires("HostHighMemoryUsage", "90% used", "10m", memory(10), [{ labels: { severity: "warning", ...host }, value: "90%" }]),
    quiet("HostHighMemoryUsage", "80% used", "10m", memory(20)),
    fires("HostCriticalMemoryUsage", "96% used", "10m", memory(4), [{ labels: { severity: "critical", ...host }, value: "96%" }]),
    quiet("HostCriticalMemoryUsage", "90% used is only a warning", "10m", memory(10)),
    fires("HostHighDiskUsage", "90% full", "10m", disk("100x20"), [{ labels: { severity: "warning", ...fsLabels }, value: "90%" }]),
    quiet("HostHighDiskUsage", "80% full", "10m", disk("200x20")),
    fires("HostCriticalDiskUsage", "97% full", "10m", disk("30x20"), [{ labels: { severity: "critical", ...fsLabels }, value: "97%" }]),
    quiet("HostCriticalDiskUsage", "a read-only filesystem does not fill", "10m", [
      s(`node_filesystem_avail_bytes{${fs}}`, "30x20"),
      s(`node_filesystem_size_bytes{${fs}}`, "1000x20"),
      s(`node_filesystem_readonly{${fs}}`, "1x20"),
    ]),
    fires("HostDiskWillFillIn24Hours", "losing 1 byte/min with 200 left", "2h30m", disk("350-1x200", 200), [{ labels: { severity: "warning", ...fsLabels }, value: "80%" }]),
    quiet("HostDiskWillFillIn24Hours", "70% full but steady", "2h30m", disk("300x200", 200)),
    fires("HostOutOfInodes", "3% inodes free", "10m", inodes(3), [{ labels: { severity: "warning", ...fsLabels }, value: "3%" }]),
    quiet("HostOutOfInodes", "10% inodes free", "10m", inodes(10)),
    fires("HostNetworkErrors", "2% of packets errored", "10m", network(240), [{ labels: { severity: "warning", job: "node", device: "eth0", ...host }, value: "2%" }]),
    quiet("HostNetworkErrors", "0.5% of packets errored", "10m", network(60)),
    fires("HostClockSkew", "100ms off", "15m", [s(`node_timex_offset_seconds{${node}}`, "0.1x20")], [{ labels: { severity: "warning", job: "node", ...host }, value: "100ms" }]),
    quiet("HostClockSkew", "-10ms off", "15m", [s(`node_timex_offset_seconds{${node}}`, "-0.01x20")]),
  ],
  exprs: [
    {
      name: "disk usage is recorded for writable real filesystems only, with the filesystem's labels",
      at: "10m",
      series: [
        ...disk("250x20"),
        s(`node_filesystem_avail_bytes{${node},device="/dev/sdb",mountpoint="/mnt/ro",fstype="ext4"}`, "0x20"),
        s(`node_filesystem_size_bytes{${node},device="/dev/sdb",mountpoint="/mnt/ro",fstype="ext4"}`, "1000x20"),
        s(`node_filesystem_readonly{${node},device="/dev/sdb",mountpoint="/mnt/ro",fstype="ext4"}`, "1x20"),
        s(`node_filesystem_avail_bytes{${node},device="tmpfs",mountpoint="/run",fstype="tmpfs"}`, "0x20"),
        s(`node_filesystem_size_bytes{${node},device="tmpfs",mountpoint="/run",fstype="tmpfs"}`, "1000x20"),
        s(`node_filesystem_readonly{${node},device="tmpfs",mountpoint="/run",fstype="tmpfs"}`, "0x20"),
      ],
      expr: "instance_mountpoint:node_filesystem_usage:ratio",
      samples: [{ labels: `instance_mountpoint:node_filesystem_usage:ratio{${fs}}`, value: 0.75 }],
    },
    {
      name: "the disk trend records the mean free bytes of the last 5 minutes",
      at: "10m",
      // One sample a minute, 1000 bytes fewer each: the window (5m, 10m] holds 6000 … 2000 bytes.
      series: [s(`node_filesystem_avail_bytes{${fs}}`, "12000-1000x12")],
      expr: "instance_mountpoint:node_filesystem_avail_bytes:avg5m",
      samples: [{ labels: `instance_mountpoint:node_filesystem_avail_bytes:avg5m{${fs}}`, value: 4000 }],
    },
  ],
};
