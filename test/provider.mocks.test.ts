/**
 * The component provider's facades (provider/) under Pulumi mocks: each wraps
 * its Watchpost component on the Docker engine, on the network it is given by
 * name, with inputs checked as `watchpost:*` config and reported by input name
 * before anything registers.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { AlertRouting, LoggingStack, PrometheusStack, TracingStack } from "../provider/components";
import { lookups, outputValue } from "../harness/pulumi-mocks";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, any>;
  /** Set for a read of an existing resource (`Resource.get`). */
  id?: string;
}

const resources: Registered[] = [];
const calls: Array<{ token: string; inputs: Record<string, any> }> = [];
const secretSig = "4dabf18193072939515e22adb298388d";
const secretValueSig = "1b47061264138c4ac30d75fd1eb44270";

async function mock(stack: string): Promise<void> {
  resources.length = 0;
  calls.length = 0;
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        resources.push({ type: args.type, name: args.name, inputs: args.inputs, id: args.id });
        // A read of the network answers with the state of the network the lookup found.
        if (args.type === "docker:index/network:Network" && args.id) return { id: args.id, state: { name: args.id.replace(/^net-/, "") } };
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => {
        calls.push({ token: args.token, inputs: args.inputs });
        return args.token === "docker:index/getNetwork:getNetwork" ? { ...args.inputs, id: `net-${args.inputs.name}` } : args.inputs;
      },
    },
    "consumer",
    stack,
    false,
  );
}

/** Waits for every output of the facades, then for their registrations to settle. */
async function settle(outputs: pulumi.Output<unknown>[]): Promise<void> {
  await outputValue(pulumi.all(outputs));
  await new Promise((r) => setTimeout(r, 50));
}

describe("provider facades on the Docker engine", () => {
  let urls: Record<string, unknown>;
  beforeAll(async () => {
    await mock("dev");
    const metrics = new PrometheusStack("metrics", {
      networkName: "shop_monitoring",
      grafanaAdminPassword: pulumi.output("from-the-caller-5c1e"),
      logging: true,
      tracingBackend: "jaeger",
      portOffset: 1000,
    });
    const alerting = new AlertRouting("alerting", { networkName: "shop_monitoring", portOffset: 1000 });
    const logging = new LoggingStack("logging", { networkName: "shop_monitoring", portOffset: 1000 });
    const tracing = new TracingStack("tracing", { networkName: "shop_monitoring", backend: "jaeger", portOffset: 1000 });
    await settle([metrics.grafanaUrl, alerting.urls, logging.lokiPublicUrl, tracing.otlpGrpcEndpoint, tracing.backend]);
    urls = {
      grafana: await outputValue(metrics.grafanaUrl),
      prometheus: await outputValue(metrics.prometheusPublicUrl),
      alertmanager: await outputValue(alerting.urls),
      loki: await outputValue(logging.lokiPublicUrl),
      otlpGrpc: await outputValue(tracing.otlpGrpcEndpoint),
      tracing: await outputValue(tracing.backend),
    };
  });

  it("registers each facade under the package's own types, with its Watchpost component as the one child", () => {
    const { one } = lookups(resources);
    expect(one("watchpost:index:PrometheusStack", "metrics")).toBeDefined();
    expect(one("watchpost:metrics:PrometheusStack", "metrics")).toBeDefined();
    expect(one("watchpost:index:AlertRouting", "alerting")).toBeDefined();
    expect(one("watchpost:alerting:AlertRouting", "alerting")).toBeDefined();
    expect(one("watchpost:index:LoggingStack", "logging")).toBeDefined();
    expect(one("watchpost:logging:LoggingStack", "logging")).toBeDefined();
    expect(one("watchpost:index:TracingStack", "tracing")).toBeDefined();
    expect(one("watchpost:tracing:TracingStack", "tracing")).toBeDefined();
  });

  it("looks the network up by name, creates none, and puts every container on it", () => {
    expect(calls.filter((c) => c.token === "docker:index/getNetwork:getNetwork").map((c) => c.inputs.name)).toEqual(Array(4).fill("shop_monitoring"));
    const networks = resources.filter((r) => r.type === "docker:index/network:Network");
    expect(networks.map((n) => `${n.name} ${n.id}`).sort()).toEqual(
      ["alerting-network", "logging-network", "metrics-network", "tracing-network"].map((n) => `${n} net-shop_monitoring`),
    );
    const containers = resources.filter((r) => r.type === "docker:index/container:Container");
    expect(containers.length).toBeGreaterThan(8);
    for (const c of containers) expect(c.inputs.networksAdvanced[0].name, c.name).toBe("shop_monitoring");
    for (const c of containers) expect(c.inputs.name, c.name).toMatch(/^watchpost-dev-/);
  });

  it("publishes on 127.0.0.1 plus the port offset and provisions the datasources asked for", () => {
    expect(urls).toEqual({
      grafana: "http://127.0.0.1:4000",
      prometheus: "http://127.0.0.1:10090",
      alertmanager: ["http://127.0.0.1:10093"],
      loki: "http://127.0.0.1:4100",
      otlpGrpc: "http://127.0.0.1:5317",
      tracing: "jaeger",
    });
    const uploads = JSON.stringify(resources.filter((r) => r.type === "docker:index/container:Container").map((c) => c.inputs.uploads ?? []));
    expect(uploads).toContain("http://loki:3100");
    expect(uploads).toContain("http://jaeger:16686");
  });

  it("hands Grafana the caller's admin password as a secret, never in plain text", () => {
    const holding = resources.flatMap((r) =>
      Object.entries(r.inputs)
        .filter(([, v]) => JSON.stringify(v).includes("from-the-caller-5c1e"))
        .map(([k, v]) => ({ at: `${r.name}.${k}`, v })),
    );
    expect(holding.map((h) => h.at)).toEqual(["metrics-grafana.uploads"]);
    for (const h of holding) expect(h.v[secretSig], h.at).toBe(secretValueSig);
  });
});

describe("provider facade inputs", () => {
  it("are reported all at once, each by its input name, value and fix, before anything registers", async () => {
    await mock("dev");
    const make = () =>
      new PrometheusStack("metrics", {
        networkName: "shop_monitoring",
        grafanaAdminPassword: pulumi.secret("unused-7d2f"),
        retention: "30 days",
        portOffset: -1,
        tracingBackend: "zipkin",
      });
    expect(make).toThrow(pulumi.InputPropertiesError);
    try {
      make();
    } catch (error) {
      const e = error as pulumi.InputPropertiesError;
      expect(e.errors.map((x) => x.propertyPath)).toEqual(["portOffset", "retention", "tracingBackend"]);
      expect(e.message).toContain('PrometheusStack "metrics": invalid inputs:');
      expect(e.message).toContain('retention: got "30 days"; expected a duration such as 30s, 5m, 1h or 30d');
      expect(e.message).toContain("write 30d");
      expect(e.message).toContain('tracingBackend: got "zipkin"; expected tempo or jaeger');
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(resources).toEqual([]);
  });
});
