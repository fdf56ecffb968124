/**
 * `watchpost:docker.networks` under Pulumi mocks: the containers that reach
 * configured endpoints join the listed existing networks, each looked up by
 * name, after the stack's own network; the others stay on the stack's network.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { readStackFile, stackFilePath } from "../infra/config/load";
import { type Recorded, runStack } from "../harness/pulumi-mocks";

let run: Awaited<ReturnType<typeof runStack>>;
const networksOf = (c: Recorded) => c.inputs.networksAdvanced as Array<{ name: string; aliases?: string[] }>;
const aliasOf = (c: Recorded) => networksOf(c)[0].aliases?.[0];

describe("dev stack joining existing Docker networks", () => {
  beforeAll(async () => {
    const raw = readStackFile(stackFilePath("dev"));
    raw.values.docker = { networks: ["shop_default", "payments_backend"] };
    run = await runStack("dev", raw, () => "unused");
  });

  it("looks each network up by name and creates none", () => {
    const lookups = run.calls.filter((c) => c.token === "docker:index/getNetwork:getNetwork").map((c) => c.inputs.name);
    expect(lookups).toEqual(["shop_default", "payments_backend"]);
    expect(run.byType("docker:index/network:Network").map((n) => n.inputs.name)).toEqual(["watchpost-dev"]);
  });

  it("joins them from the containers that reach configured endpoints, after the stack's own network", () => {
    const joining = run
      .byType("docker:index/container:Container")
      .filter((c) => networksOf(c).length > 1)
      .map((c) => aliasOf(c))
      .sort();
    expect(joining).toEqual(["alertmanager-0", "blackbox-exporter", "prometheus"]);
    for (const c of run.byType("docker:index/container:Container").filter((x) => networksOf(x).length > 1))
      expect(networksOf(c), c.name).toEqual([{ name: "watchpost-dev", aliases: [aliasOf(c)] }, { name: "shop_default" }, { name: "payments_backend" }]);
  });

  it("leaves every other container on the stack's own network alone", () => {
    const others = run.byType("docker:index/container:Container").filter((c) => !["alertmanager-0", "blackbox-exporter", "prometheus"].includes(aliasOf(c) ?? ""));
    expect(others.map((c) => aliasOf(c)).sort()).toEqual(["alloy", "cadvisor", "grafana", "loki", "node-exporter", "otel-collector", "tempo"]);
    for (const c of others) expect(networksOf(c), c.name).toEqual([{ name: "watchpost-dev", aliases: [aliasOf(c)] }]);
  });
});
