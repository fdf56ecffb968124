import { describe, expect, it } from "vitest";
import { monitorFor } from "../../components/prometheus/monitors";
import { serviceSpec } from "../../components/prometheus/spec";

const svc = (kubernetes: Record<string, unknown>) => serviceSpec.parse({ name: "checkout", team: "payments", kubernetes });

describe("ServiceMonitor or PodMonitor per configured service", () => {
  it("watches a Service's endpoints by default, with job, service and team set to the config's names", () => {
    const m = monitorFor(svc({ namespace: "shop", port: "http" }), "monitoring");
    expect(m.kind).toBe("ServiceMonitor");
    expect(m.metadata).toEqual({ name: "watchpost-checkout", namespace: "monitoring" });
    expect(m.spec.namespaceSelector).toEqual({ matchNames: ["shop"] });
    expect(m.spec.selector).toEqual({ matchLabels: { "app.kubernetes.io/name": "checkout" } });
    const [endpoint] = m.spec.endpoints as any[];
    expect(endpoint).toMatchObject({ port: "http", path: "/metrics", scheme: "http" });
    expect(endpoint.relabelings.map((r: any) => [r.targetLabel, r.replacement])).toEqual([
      ["job", "checkout"],
      ["service", "checkout"],
      ["team", "payments"],
    ]);
    expect(m.spec).not.toHaveProperty("podMetricsEndpoints");
  });

  it("watches pods directly with discovery: pod, for workloads without a Service", () => {
    const m = monitorFor(svc({ namespace: "jobs", discovery: "pod", matchLabels: { app: "worker" } }), "monitoring");
    expect(m.kind).toBe("PodMonitor");
    expect(m.spec.selector).toEqual({ matchLabels: { app: "worker" } });
    expect((m.spec.podMetricsEndpoints as any[])[0]).toMatchObject({ port: "metrics", path: "/metrics" });
    expect(m.spec).not.toHaveProperty("endpoints");
  });

  it("rejects an unknown discovery mode with what is expected", () => {
    const result = serviceSpec.safeParse({ name: "checkout", kubernetes: { discovery: "endpoints" } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toBe("expected service or pod");
  });
});
