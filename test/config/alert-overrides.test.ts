/**
 * `watchpost:alerts.overrides` through the validator: a good stack, then one
 * mutation per problem, each with its message. And what disabling an alert
 * an inhibit rule names does to alertmanager.yml: nothing.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, parseStackConfig, type RawStackConfig } from "../../infra/config/validate";
import { planStack } from "../../infra/plan";

const dev = (alerts: Record<string, unknown>, values: Record<string, unknown> = {}): RawStackConfig => ({
  values: { services: [{ name: "api", targets: ["api:8080"] }], alerts, ...values },
  secrets: new Set(),
});

function problems(raw: RawStackConfig): string[] {
  try {
    parseStackConfig("dev", raw);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => `${p.key}: got ${JSON.stringify(p.value)}; ${p.message}`);
  }
}

describe("alerts.overrides", () => {
  it("takes for, severity, labels and disabled on built-in alerts", () => {
    const raw = dev({
      overrides: {
        HighErrorRate: { for: "2m", severity: "warning", labels: { tier: "gold" } },
        HostHighCpuUsage: { disabled: true },
        ServiceDown: { disabled: false, for: "0s" },
      },
    });
    expect(problems(raw)).toEqual([]);
    expect(parseStackConfig("dev", raw).config.alerts.overrides.HighErrorRate).toEqual({ for: "2m", severity: "warning", labels: { tier: "gold" } });
  });

  it("refuses an alert its pack renders only for what the stack runs (Loki, with logging off)", () => {
    expect(problems(dev({ overrides: { LokiRequestErrors: { severity: "info" } } }, { logging: { enabled: false } }))).toEqual([
      'watchpost:alerts.overrides.LokiRequestErrors: got "LokiRequestErrors"; this stack does not render it (the selfMonitoring pack makes it only when what it watches is configured), so the override would change nothing; remove the override, or configure what it watches',
    ]);
    expect(problems(dev({ overrides: { LokiRequestErrors: { severity: "info" } } }))).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    [
      "an unknown alert, with the nearest built-in name",
      { overrides: { HighErorRate: { for: "2m" } } },
      ['watchpost:alerts.overrides.HighErorRate: got "HighErorRate"; unknown built-in alert; expected a built-in alert name; did you mean HighErrorRate?'],
    ],
    [
      "a custom alert's name",
      { custom: [{ name: "CheckoutSlow", expr: "vector(1)", threshold: 0, severity: "warning", summary: "slow" }], overrides: { CheckoutSlow: { for: "1m" } } },
      [
        'watchpost:alerts.overrides.CheckoutSlow: got "CheckoutSlow"; unknown built-in alert (it is a custom alert: set its fields under alerts.custom instead); expected a built-in alert name (see the runbooks/ folder for the catalogue)',
      ],
    ],
    [
      "an alert of a pack that is off",
      { overrides: { PostgresDown: { severity: "warning" } } },
      [
        'watchpost:alerts.overrides.PostgresDown: got "PostgresDown"; its pack postgres is off in this stack, so the override would change nothing; remove the override, or turn the pack on with alerts.packs.postgres: true',
      ],
    ],
    [
      "an SLO alert in a stack without SLOs",
      { overrides: { SLOErrorBudgetFastBurn: { for: "1m" } } },
      [
        'watchpost:alerts.overrides.SLOErrorBudgetFastBurn: got "SLOErrorBudgetFastBurn"; this stack declares no SLO, so the override would change nothing; remove the override, or declare one under services[].slos',
      ],
    ],
    [
      "a duration that is not one",
      { overrides: { HighErrorRate: { for: "2 minutes" } } },
      ['watchpost:alerts.overrides.HighErrorRate.for: got "2 minutes"; expected a duration such as 30s, 5m, 1h or 30d (units ms, s, m, h, d, w, y); write 2m'],
    ],
    [
      "an unknown severity",
      { overrides: { HighErrorRate: { severity: "page" } } },
      ['watchpost:alerts.overrides.HighErrorRate.severity: got "page"; expected one of critical, warning, info'],
    ],
    [
      "a label name Prometheus refuses",
      { overrides: { HighErrorRate: { labels: { "tier-1": "gold" } } } },
      [
        'watchpost:alerts.overrides.HighErrorRate.labels.tier-1: got "gold"; "tier-1" is not a label name; expected letters, digits and underscores, not starting with a digit, such as alertname or service; write tier_1',
      ],
    ],
    [
      "the routing labels and severity as labels",
      { overrides: { HighErrorRate: { labels: { team: "payments", severity: "info" } } } },
      [
        "watchpost:alerts.overrides.HighErrorRate.labels.team: got \"payments\"; team is a label Watchpost routes or inhibits on, set from the alert's series (or services[].team); a fixed value would misroute the alert; route a service's alerts with services[].team, or choose another label name",
        'watchpost:alerts.overrides.HighErrorRate.labels.severity: got "info"; set alerts.overrides.HighErrorRate.severity instead',
      ],
    ],
    [
      "disabled together with changes",
      { overrides: { HighErrorRate: { disabled: true, for: "2m" } } },
      ['watchpost:alerts.overrides.HighErrorRate.for: got "2m"; a disabled alert is not rendered, so its for would change nothing; remove them, or remove disabled'],
    ],
    [
      "an override that changes nothing",
      { overrides: { HighErrorRate: {} } },
      ["watchpost:alerts.overrides.HighErrorRate: got {}; an override that changes nothing; expected at least one of for, severity, labels or disabled"],
    ],
    [
      "an unknown field",
      { overrides: { HighErrorRate: { severtiy: "warning" } } },
      [
        "watchpost:alerts.overrides.HighErrorRate.severtiy: got \"warning\"; unknown key; did you mean 'severity'? expected one of: for, severity, labels, disabled",
        // The misspelt key is not read, so the override is also empty: true, if a second line for one typo.
        'watchpost:alerts.overrides.HighErrorRate: got {"severtiy":"warning"}; an override that changes nothing; expected at least one of for, severity, labels or disabled',
      ],
    ],
    [
      "the Watchdog disabled",
      { overrides: { Watchdog: { disabled: true } } },
      [
        "watchpost:alerts.overrides.Watchdog.disabled: got true; Watchdog is the heartbeat that proves rules are evaluated and alerts delivered; it cannot be disabled; remove disabled (the heartbeat receiver is configured under notifications)",
      ],
    ],
    [
      "a custom alert with a built-in name",
      { custom: [{ name: "HighErrorRate", expr: "vector(1)", threshold: 0, severity: "warning", summary: "errors" }] },
      [
        'watchpost:alerts.custom[0].name: got "HighErrorRate"; is the name of the built-in alert HighErrorRate (pack service); rename the custom alert, or tune the built-in one with alerts.overrides.HighErrorRate',
      ],
    ],
  ])("refuses %s", (_what, alerts, expected) => {
    expect(problems(dev(alerts))).toEqual(expected);
  });
});

describe("disabling an alert an inhibit rule names", () => {
  it("leaves alertmanager.yml as it was: the rule matches nothing, and stays valid (amtool checks it in test/alerting)", () => {
    const plain = planStack(parseStackConfig("dev", dev({})).config);
    const tuned = planStack(parseStackConfig("dev", dev({ overrides: { ServiceDown: { disabled: true }, HostDown: { disabled: true } } })).config);
    expect(tuned.alertmanager.files).toEqual(plain.alertmanager.files);
    expect(tuned.alertmanager.files["alertmanager.yml"]).toContain("ServiceDown");
    expect(Object.values(tuned.artifacts).join("\n")).not.toMatch(/alert: (ServiceDown|HostDown)\n/);
  });
});
