/**
 * A port found free can be taken before the server binds it (two suites side
 * by side): the readiness wait ends at once, and the start is retried on
 * another port.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PortTaken, ProcessGroup, StopWaiting, failIfPortTaken, freePort, onFreePort, waitFor } from "../../harness/processes";
import { built, tool } from "../support/tools";

describe("starting on a free port", () => {
  it("retries on another port when the first was taken, and only then", async () => {
    const tried: number[] = [];
    const port = await onFreePort(async (p) => {
      tried.push(p);
      if (tried.length === 1) throw new PortTaken("taken");
      return p;
    });
    expect(tried).toHaveLength(2);
    expect(port).toBe(tried[1]);
    await expect(onFreePort(async () => Promise.reject(new Error("config error")))).rejects.toThrow("config error");
    await expect(onFreePort(async () => Promise.reject(new PortTaken("always")), 3)).rejects.toThrow("always");
  });

  it("ends a wait at once on StopWaiting, while other errors wait for the deadline", async () => {
    const started = Date.now();
    await expect(waitFor("x", async () => Promise.reject(new StopWaiting("hopeless")), 10_000, 50)).rejects.toThrow("hopeless");
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect(waitFor("y", async () => Promise.reject(new Error("not yet")), 300, 50)).rejects.toThrow(/timed out after 300 ms waiting for y: Error: not yet/);
  });

  const prometheus = tool("prometheus");
  it.skipIf(!prometheus)(`sees a real server report its port in use (${built("prometheus")})`, async () => {
    const port = await freePort();
    const holder = createServer().listen(port, "127.0.0.1");
    await new Promise((r) => holder.once("listening", r));
    const group = new ProcessGroup();
    const data = mkdtempSync(join(tmpdir(), "watchpost-port-"));
    try {
      const proc = group.start("prometheus", prometheus as string, [`--web.listen-address=127.0.0.1:${port}`, "--config.file=/dev/null", `--storage.tsdb.path=${data}`]);
      await expect(waitFor("prometheus ready", async () => (failIfPortTaken(proc), undefined), 30_000, 100)).rejects.toBeInstanceOf(PortTaken);
    } finally {
      await group.stopAll();
      holder.close();
      rmSync(data, { recursive: true, force: true });
    }
  });
});
