/**
 * Prometheus snapshot and restore (issue 7), the way runbooks/procedures/restore.md
 * does it: a snapshot taken through the admin API, uploaded as a directory
 * (here: copied to a local stand-in for s3://<backups bucket>/prometheus/<timestamp>/),
 * streamed with tar into an empty data directory, checked with promtool, and
 * opened by a fresh Prometheus that scrapes nothing — so every series it
 * answers with came from the snapshot.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ProcessGroup, freePort, waitFor } from "../../harness/processes";
import { built, tool } from "../support/tools";
import { type RunningPrometheus, instantQuery, promApi, startPrometheus } from "../../harness/prometheus";

const prometheusBin = tool("prometheus");
const promtool = tool("promtool");

/** Backfilled history: a few series at one-minute steps, ending an hour ago, with values the test can recompute. */
const backfill = { series: 5, samples: 60, stepSeconds: 60, endsAgoSeconds: 3600 };
const backfillValue = (series: number, i: number) => series * 1000 + i;

function openMetrics(endSeconds: number): string {
  const lines = ["# HELP watchpost_restore_backfill Backfilled before the snapshot.", "# TYPE watchpost_restore_backfill gauge"];
  const start = endSeconds - (backfill.samples - 1) * backfill.stepSeconds;
  for (let s = 0; s < backfill.series; s++)
    for (let i = 0; i < backfill.samples; i++) lines.push(`watchpost_restore_backfill{series="${s}"} ${backfillValue(s, i)} ${start + i * backfill.stepSeconds}`);
  return `${lines.join("\n")}\n# EOF\n`;
}

type Matrix = Array<{ metric: Record<string, string>; values: Array<[number, string]> }>;

/** Raw samples of every series matching `selector` in (at − window, at], sorted for comparison. */
async function rawSamples(prom: { url: string }, selector: string, window: string, at: number): Promise<Matrix> {
  const r = await instantQuery(prom, `${selector}[${window}]`, at);
  const m = r.result as Matrix;
  return m.map((s) => ({ metric: s.metric, values: s.values })).sort((a, b) => JSON.stringify(a.metric).localeCompare(JSON.stringify(b.metric)));
}

/** `tar -C from -cf - . | tar -C to -xf -`: the stream the runbook pipes through `kubectl exec`. */
function tarCopy(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  execFileSync("sh", ["-c", 'tar -C "$1" -cf - . | tar -C "$2" -xf -', "tar-copy", from, to]);
}

describe.skipIf(!prometheusBin || !promtool)(`Prometheus snapshot and restore (${built("prometheus")})`, () => {
  const group = new ProcessGroup();
  const work = mkdtempSync(path.join(tmpdir(), "watchpost-restore-"));
  let source: RunningPrometheus;
  let snapshotName = "";
  let cutoff = 0;
  const backfillEnd = Math.floor(Date.now() / 1000) - backfill.endsAgoSeconds;

  beforeAll(async () => {
    // History older than the head, written as blocks the way `promtool` backfills.
    const sourceData = path.join(work, "source-data");
    mkdirSync(sourceData, { recursive: true });
    writeFileSync(path.join(work, "backfill.om"), openMetrics(backfillEnd));
    execFileSync(promtool as string, ["tsdb", "create-blocks-from", "openmetrics", path.join(work, "backfill.om"), sourceData]);

    const port = await freePort();
    const config = path.join(work, "source.yml");
    writeFileSync(config, stringify({ global: { scrape_interval: "1s" }, scrape_configs: [{ job_name: "self", static_configs: [{ targets: [`127.0.0.1:${port}`] }] }] }));
    source = await startPrometheus(group, prometheusBin as string, {
      name: "prometheus-source",
      port,
      configFile: config,
      dataDir: sourceData,
      extraArgs: ["--web.enable-admin-api"],
    });
  });

  afterAll(async () => {
    await group.stopAll();
    rmSync(work, { recursive: true, force: true });
  });

  it("takes a snapshot through the admin API after live samples reached the head", async () => {
    await waitFor("a few seconds of self-scrapes in the head", async () => {
      const r = await instantQuery(source, 'count_over_time(up{job="self"}[1m])');
      const n = Number((r.result as Array<{ value: [number, string] }>)[0]?.value[1] ?? 0);
      return n >= 4 ? n : undefined;
    });
    // Samples at or before the cutoff are committed before the snapshot starts: a loopback scrape takes milliseconds.
    cutoff = Date.now() / 1000 - 2;
    await new Promise((r) => setTimeout(r, 2000));
    const data = await promApi<{ name: string }>(source, "/api/v1/admin/tsdb/snapshot", {}, "POST");
    snapshotName = data.name;
    expect(readdirSync(path.join(source.dataDir, "snapshots"))).toEqual([snapshotName]);
  });

  it("restores the snapshot, as uploaded to S3, into a fresh Prometheus with the same series and samples", async () => {
    expect(snapshotName).not.toBe("");
    // The backup CronJob uploads the snapshot directory to s3://<backups bucket>/prometheus/<timestamp>/.
    const bucketCopy = path.join(work, "s3", "prometheus", snapshotName);
    tarCopy(path.join(source.dataDir, "snapshots", snapshotName), bucketCopy);
    // Restore: the downloaded prefix streamed into an empty data directory (the PVC's prometheus-db/).
    const restoredData = path.join(work, "restored-data");
    tarCopy(bucketCopy, restoredData);
    const listed = execFileSync(promtool as string, ["tsdb", "list", restoredData], { encoding: "utf8" });
    expect(listed.trim().split("\n").length).toBeGreaterThanOrEqual(2); // header and at least one block

    const port = await freePort();
    const config = path.join(work, "restored.yml");
    writeFileSync(config, stringify({ global: { scrape_interval: "1s" }, scrape_configs: [] }));
    const restored = await startPrometheus(group, prometheusBin as string, { name: "prometheus-restored", port, configFile: config, dataDir: restoredData });

    // Backfilled history: every sample, at its timestamp, with the value written.
    const history = await rawSamples(restored, "watchpost_restore_backfill", `${backfill.samples * backfill.stepSeconds}s`, backfillEnd);
    expect(history).toHaveLength(backfill.series);
    for (const s of history) {
      const n = Number(s.metric.series);
      expect(s.values.map(([, v]) => Number(v))).toEqual(Array.from({ length: backfill.samples }, (_, i) => backfillValue(n, i)));
      expect(s.values.at(-1)?.[0]).toBe(backfillEnd);
    }
    // Live head data: the same series with the same samples up to the cutoff as the source.
    const before = await rawSamples(source, '{job="self"}', "5m", cutoff);
    const after = await rawSamples(restored, '{job="self"}', "5m", cutoff);
    expect(before.length).toBeGreaterThan(100);
    expect(after).toEqual(before);

    // The restored server was started without --web.enable-admin-api: the snapshot endpoint needs it (the backup CronJob relies on enableAdminAPI).
    await expect(promApi(restored, "/api/v1/admin/tsdb/snapshot", {}, "POST")).rejects.toThrow(/admin APIs disabled/);
  });
});
