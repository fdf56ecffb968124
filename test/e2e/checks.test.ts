/**
 * The e2e's conclusions (e2e/checks.ts), each shown passing and failing on
 * JSON shaped like what Pulumi, Docker and Prometheus return.
 */
import { describe, expect, it } from "vitest";
import {
  type ContainerInspect,
  type PreviewJson,
  changedResources,
  healthyAt,
  jobsNotStarted,
  leaks,
  resourceName,
  resourceType,
  targetsDown,
  targetsWithout,
  unhealthy,
  withoutCiphertext,
} from "../../e2e/checks";

const urn = (type: string, name: string, parent = "watchpost:index:PrometheusStack") => `urn:pulumi:dev::watchpost::${parent}$${type}::${name}`;
const stackUrn = "urn:pulumi:dev::watchpost::pulumi:pulumi:Stack::watchpost-dev";

const preview: PreviewJson = {
  steps: [
    { op: "create", urn: stackUrn },
    { op: "create", urn: "urn:pulumi:dev::watchpost::pulumi:providers:docker::default_5_2_0" },
    { op: "create", urn: urn("docker:index/network:Network", "network"), newState: { inputs: { name: "watchpost-dev" } } },
    { op: "create", urn: urn("docker:index/remoteImage:RemoteImage", "prometheus-image"), newState: { inputs: { name: "127.0.0.1:5000/quay.io/prometheus/prometheus:v3.14.0" } } },
    { op: "create", urn: urn("docker:index/remoteImage:RemoteImage", "grafana-image"), newState: { inputs: { name: "127.0.0.1:5000/docker.io/grafana/grafana:13.2.2" } } },
    {
      op: "create",
      urn: urn("docker:index/container:Container", "prometheus"),
      newState: {
        inputs: {},
        dependencies: [urn("docker:index/network:Network", "network")],
        propertyDependencies: { image: [urn("docker:index/remoteImage:RemoteImage", "prometheus-image")] },
      },
    },
    {
      op: "create",
      urn: urn("docker:index/container:Container", "grafana"),
      newState: { inputs: {}, propertyDependencies: { image: [urn("docker:index/remoteImage:RemoteImage", "grafana-image")] } },
    },
    { op: "create", urn: urn("watchpost:x:Dashboards", "dashboards"), newState: { inputs: {}, dependencies: [urn("docker:index/container:Container", "grafana")] } },
  ],
};

describe("which resources the e2e deploys when some images cannot be built here", () => {
  it("leaves out the unbuilt image, what uses it and what depends on that, and nothing else", () => {
    const { targets, left } = targetsWithout(preview, (ref) => ref.includes("grafana"));
    expect(left.map(resourceName).sort()).toEqual(["dashboards", "grafana", "grafana-image"]);
    expect(targets.map(resourceName)).toEqual(["network", "prometheus-image", "prometheus"]);
  });

  it("deploys everything but the stack and providers when every image is built", () => {
    const { targets, left } = targetsWithout(preview, () => false);
    expect(left).toEqual([]);
    expect(targets).toHaveLength(6);
    expect(targets.some((t) => resourceType(t).startsWith("pulumi:"))).toBe(false);
  });
});

describe("what a config change touches", () => {
  it("lists the resources a preview changes, not the unchanged ones or the stack", () => {
    const changes = changedResources({
      steps: [
        { op: "same", urn: urn("docker:index/network:Network", "network") },
        { op: "update", urn: urn("docker:index/container:Container", "prometheus") },
        { op: "update", urn: stackUrn },
      ],
    });
    expect(changes).toEqual([{ name: "prometheus", type: "docker:index/container:Container", op: "update" }]);
  });
});

const container = (name: string, state: Partial<ContainerInspect["State"]>): ContainerInspect => ({
  Name: `/${name}`,
  Created: "2026-11-28T10:00:00Z",
  Config: { Image: "x" },
  State: { Status: "running", Running: true, StartedAt: "2026-11-28T10:00:01Z", ...state },
});

describe("container health", () => {
  it("passes running containers that are healthy or have no health check", () => {
    expect(unhealthy([container("a", { Health: { Status: "healthy" } }), container("b", {})])).toEqual([]);
  });

  it("fails a container still starting, unhealthy or exited", () => {
    expect(
      unhealthy([
        container("starting", { Health: { Status: "starting" } }),
        container("sick", { Health: { Status: "unhealthy" } }),
        container("dead", { Status: "exited", Running: false }),
      ]),
    ).toEqual(["starting: running, starting", "sick: running, unhealthy", "dead: exited"]);
  });

  it("dates health from the first passing check", () => {
    const c = container("a", {
      Health: {
        Status: "healthy",
        Log: [
          { Start: "", End: "2026-11-28T10:00:20Z", ExitCode: 1, Output: "" },
          { Start: "", End: "2026-11-28T10:00:35Z", ExitCode: 0, Output: "" },
          { Start: "", End: "2026-11-28T10:00:50Z", ExitCode: 0, Output: "" },
        ],
      },
    });
    expect(healthyAt(c)).toBe(Date.parse("2026-11-28T10:00:35Z"));
    expect(healthyAt(container("b", { Health: { Status: "starting", Log: [] } }))).toBeUndefined();
  });
});

describe("scrape targets", () => {
  const t = (job: string, health: string) => ({ labels: { job }, scrapeUrl: `http://${job}/metrics`, health, lastError: health === "up" ? "" : "connection refused" });
  it("counts a down target of a started container as a failure", () => {
    expect(targetsDown({ activeTargets: [t("prometheus", "up"), t("api", "down")] }, new Set()).down).toEqual(["api http://api/metrics: down (connection refused)"]);
  });
  it("names the jobs of containers left out by their resource names, and no other", () => {
    const jobs = jobsNotStarted({ activeTargets: [t("grafana", "down"), t("node", "up"), t("loki", "down")] }, ["metrics-grafana", "logging-loki-image", "logging-loki"]);
    expect([...jobs].sort()).toEqual(["grafana", "loki"]);
  });

  it("expects the targets of containers not started here to be down", () => {
    const r = targetsDown({ activeTargets: [t("prometheus", "up"), t("grafana", "down")] }, new Set(["grafana"]));
    expect(r.down).toEqual([]);
    expect(r.expectedDown).toHaveLength(1);
  });
});

describe("secret leaks", () => {
  it("finds a secret value in any place, naming the place and not the whole value", () => {
    const found = leaks(["s3cr3t-token-value"], { "docker inspect a": '{"Env":["X=s3cr3t-token-value"]}', "docker logs b": "fine" });
    expect(found).toEqual(["docker inspect a holds a secret value in plain text (s3c…)"]);
  });
  it("finds nothing when the value is absent", () => {
    expect(leaks(["s3cr3t-token-value"], { logs: "nothing here" })).toEqual([]);
  });
  it("drops ciphertext from a stack export before looking", () => {
    const exported = {
      deployment: { resources: [{ outputs: { password: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:abc" }, name: "x" } }] },
    };
    expect(JSON.stringify(withoutCiphertext(exported))).not.toContain("v1:abc");
    expect(JSON.stringify(withoutCiphertext(exported))).toContain('"name":"x"');
  });
});
