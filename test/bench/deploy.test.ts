/** The bench's deploy rows from an e2e report: values, the overhead ratio, and why a value is missing. */
import { describe, expect, it } from "vitest";
import { deployRows } from "../../bench/deploy";
import type { E2eReport } from "../../e2e/run";

const report = (timings: Record<string, number>, failed = false): E2eReport => ({
  ok: !failed,
  findings: [{ step: "2 up", check: "npm run up -- --stack dev deploys", ok: !failed, detail: "" }],
  timings,
  images: [{ name: "prometheus", ref: "r/p", built: true, seconds: 3 }],
  notStarted: ["metrics-grafana"],
  notChecked: [],
  startedAt: "2026-11-28T12:00:00Z",
});

describe("deploy rows", () => {
  it("gives up → healthy over the containers' own time as the overhead ratio", () => {
    const rows = deployRows(
      report({ upSeconds: 9, upToHealthySeconds: 60, containersCreateToHealthySeconds: 48, noopUpSeconds: 20, alertToEverySinkSeconds: 100, imagesSeconds: 40 }),
    );
    const ratio = rows.find((r) => r.unit === "ratio");
    expect(ratio?.value).toBeCloseTo(1.25);
    expect(rows.find((r) => r.name.startsWith("no-op"))?.value).toBe(20);
    expect(rows[0].note).toContain("metrics-grafana");
  });

  it("says why a timing is missing: the failed checks", () => {
    const rows = deployRows(report({ upSeconds: 9 }, true));
    const ratio = rows.find((r) => r.unit === "ratio");
    expect(ratio?.value).toBeUndefined();
    expect(ratio?.note).toBe("the e2e failed: 2 up: npm run up -- --stack dev deploys");
  });
});
