import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isAlive, startDockerEngine } from "../../e2e/docker-engine";
import { startRegistry } from "../../e2e/registry";
import { engineMissing, ready, registryMissing } from "../support/e2e";

const docker = (host: string, ...args: string[]) => spawnSync("docker", ["-H", host, ...args], { encoding: "utf8", timeout: 30_000 });
const developersEngine = "unix:///var/run/docker.sock";
const developersAnswers = () => existsSync("/var/run/docker.sock") && docker(developersEngine, "version").status === 0;

describe("e2e support: a Docker engine of its own", () => {
  it.skipIf(!ready(engineMissing()))(
    "starts beside the running engine on its own socket, data root and bridge, and stops leaving nothing running (by pid) or on disk",
    async () => {
      const before = developersAnswers();
      const engine = await startDockerEngine({ startTimeoutMs: 60_000 });
      let stopped = false;
      try {
        expect(engine.host).toBe(`unix://${engine.dir}/docker.sock`);
        expect(engine.host).not.toBe(developersEngine);
        const info = docker(engine.host, "info", "--format", "{{.DockerRootDir}}");
        expect(info.stdout.trim()).toBe(`${engine.dir}/data`);
        expect(isAlive(engine.pid)).toBe(true);
        expect(engine.containerdPid !== undefined && isAlive(engine.containerdPid)).toBe(true);
        expect(spawnSync("ip", ["link", "show", engine.bridge]).status).toBe(0);
        await engine.stop();
        stopped = true;
      } finally {
        if (!stopped) await engine.stop();
      }
      expect(isAlive(engine.pid)).toBe(false);
      expect(isAlive(engine.containerdPid)).toBe(false);
      expect(existsSync(engine.dir)).toBe(false);
      expect(spawnSync("ip", ["link", "show", engine.bridge]).status).not.toBe(0);
      // The developer's engine, when one runs, is untouched.
      expect(developersAnswers()).toBe(before);
    },
    120_000,
  );
});

describe("e2e support: the local registry", () => {
  it.skipIf(!ready(registryMissing()))("answers /v2/ on a loopback port and stops by pid, removing its storage", async () => {
    const registry = await startRegistry();
    try {
      expect(registry.address).toMatch(/^127\.0\.0\.1:\d+$/);
      const res = await fetch(`http://${registry.address}/v2/_catalog`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ repositories: [] });
    } finally {
      await registry.stop();
    }
    expect(isAlive(registry.pid)).toBe(false);
  });
});
