/** The node and blackbox exporters (built from source) on loopback ports, awaited until they serve /metrics. */
import { type ProcessGroup, type Started, waitFor } from "./processes";

export interface RunningExporter {
  address: string;
  proc: Started;
}

async function awaitMetrics(name: string, proc: Started, address: string): Promise<void> {
  await waitFor(`${name} to serve /metrics`, async () => {
    if (proc.proc.exitCode !== null) throw new Error(`${name} exited ${proc.proc.exitCode}:\n${proc.output()}`);
    const res = await fetch(`http://${address}/metrics`);
    return res.ok ? true : undefined;
  });
}

export async function startNodeExporter(group: ProcessGroup, bin: string, port: number): Promise<RunningExporter> {
  const address = `127.0.0.1:${port}`;
  const proc = group.start("node-exporter", bin, [`--web.listen-address=${address}`]);
  await awaitMetrics("node-exporter", proc, address);
  return { address, proc };
}

export async function startBlackboxExporter(group: ProcessGroup, bin: string, port: number, configFile: string): Promise<RunningExporter> {
  const address = `127.0.0.1:${port}`;
  const proc = group.start("blackbox-exporter", bin, [`--config.file=${configFile}`, `--web.listen-address=${address}`]);
  await awaitMetrics("blackbox-exporter", proc, address);
  return { address, proc };
}
