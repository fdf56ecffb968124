/**
 * SLOs & error budgets: one row per SLO with its SLI, burn rates and the
 * budget left. Reads only the SLO recording rules — a 30-day histogram_quantile
 * or ratio over raw series would be slow and could disagree with the alerts,
 * which read the same rules.
 */
import * as common from "@grafana/grafana-foundation-sdk/common";
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { dashboardUids } from "../model/conventions";
import { type SloWindow, sloBudgetRemaining, sloErrorRatio, sloObjective, sloPeriodErrorRatio } from "../rules/names";
import type { DashboardContext } from "./context";
import { baseDashboard, finish, notePanel, prom, row, statPanel, thresholds, timeseriesPanel } from "./base";
import { bySlo, sel } from "./selectors";

/**
 * The long window of each multi-window burn-rate alert pair (5m/1h, 30m/6h,
 * 2h/1d, 6h/3d): the lines a responder compares with the alert that paged.
 */
const burnRateWindows = ["1h", "6h", "1d", "3d"] as const satisfies readonly SloWindow[];

/** 99.9 → 0.999 exactly: plain division leaves 0.9990000000000001 in the JSON. */
function percentToRatio(percent: number): number {
  return Number((percent / 100).toPrecision(12));
}

type Slo = DashboardContext["services"][number]["slos"][number];

function sloPanels(service: string, slo: Slo) {
  const labels = bySlo(service, slo.name);
  const objective = sel(sloObjective, labels);
  const allowed = `(1 - ${objective})`;
  const burnRate = (window: string) => `${sel(sloErrorRatio(window), labels)} / on (service, slo) ${allowed}`;
  return [
    statPanel({
      title: "SLI over the period",
      description: `Share of good events over the SLO period. The objective is ${slo.objective}%.`,
      targets: [prom(`1 - ${sel(sloPeriodErrorRatio, labels)}`, { instant: true })],
      unit: "percentunit",
    })
      .decimals(3)
      .thresholds(thresholds([null, "red"], [percentToRatio(slo.objective), "green"])),
    statPanel({
      title: "Error budget left",
      description: "Share of the period's error budget still unspent. At 0% the SLO is breached for this period.",
      targets: [prom(sel(sloBudgetRemaining, labels), { instant: true })],
      unit: "percentunit",
    }).thresholds(thresholds([null, "red"], [0.25, "orange"], [0.5, "green"])),
    statPanel({
      title: "Burn rate (1h)",
      description: "How fast the budget is being spent over the last hour: 1 spends it exactly over the period, 14.4 spends 2% of it in an hour.",
      targets: [prom(burnRate("1h"), { instant: true })],
      unit: "short",
    }).thresholds(thresholds([null, "green"], [1, "orange"], [14.4, "red"])),
    statPanel({
      title: "Objective",
      description: "The target the SLO is held to, as recorded by the rules.",
      targets: [prom(objective, { instant: true })],
      unit: "percentunit",
    })
      .decimals(3)
      .colorMode(common.BigValueColorMode.None), // a fact, not a state: no traffic-light colour
    timeseriesPanel({
      title: "Burn rate",
      description: "Budget burn rate over several windows. Sustained values above 1 exhaust the budget before the period ends; the alerts fire on pairs of these windows.",
      targets: burnRateWindows.map((w) => prom(burnRate(w), { legend: w })),
      unit: "short",
    }).thresholds(thresholds([null, "green"], [1, "red"])),
    timeseriesPanel({
      title: "Error budget left",
      description: "Budget remaining over time. The slope is the burn rate; where it crosses zero the SLO is breached.",
      targets: [prom(sel(sloBudgetRemaining, labels), { legend: "remaining" })],
      unit: "percentunit",
    }),
  ];
}

export function sloDashboard(ctx: DashboardContext): Dashboard {
  const builder = baseDashboard(dashboardUids.slo, "SLOs & error budgets", ctx.environment).description(
    "Service level indicators, burn rates and remaining error budget for every SLO in the stack config.",
  );
  const services = ctx.services.filter((s) => s.slos.length > 0);
  for (const service of services) {
    for (const slo of service.slos) {
      builder.withRow(row(`${service.name} · ${slo.name} (${slo.type}, ${slo.objective}%)`));
      for (const panel of sloPanels(service.name, slo)) builder.withPanel(panel);
    }
  }
  if (services.length === 0) {
    builder.withPanel(notePanel("No SLOs", "No service in this stack declares an SLO. Add `slos` to a service in `watchpost:services` to get its row here."));
  }
  return finish(builder);
}
