import { describe, expect, it } from "vitest";
import { readStackFile, stackFilePath } from "../infra/config/load";
import { ConfigError, parseStackConfig, type RawStackConfig } from "../infra/config/validate";
import { prodSecrets } from "../harness/stacks";

const good = (): RawStackConfig => ({
  values: {
    services: [{ name: "api", targets: ["api:8080"], slos: [{ name: "availability", type: "availability", objective: 99.9 }] }],
    probes: [{ name: "api-health", target: "http://api:8080/healthz", service: "api" }],
  },
  secrets: new Set(),
});

function problemsOf(stack: string, raw: RawStackConfig): string[] {
  try {
    parseStackConfig(stack, raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((p) => `${p.key}: ${p.message}`);
  }
  throw new Error("expected the configuration to be rejected");
}

function mutate(patch: (values: Record<string, any>) => void, secrets: string[] = []): RawStackConfig {
  const raw = good();
  patch(raw.values);
  return { values: raw.values, secrets: new Set(secrets) };
}

describe("stack configuration", () => {
  it("defaults dev to Docker with one Prometheus and one Alertmanager", () => {
    const { config } = parseStackConfig("dev", good());
    expect(config.platform).toBe("docker");
    expect(config.prometheus.replicas).toBe(1);
    expect(config.alertmanager.replicas).toBe(1);
    expect(config.prometheus.scrapeInterval).toBe("15s");
    expect(config.prometheus.retention).toBe("30d");
    expect(config.docker.bindAddress).toBe("127.0.0.1");
    expect(config.routing.groupBy).toEqual(["alertname", "service"]);
    expect(config.tracing.backend).toBe("tempo");
  });

  it("defaults every other stack to Kubernetes with 2 Prometheus and 3 Alertmanager replicas", () => {
    const raw = mutate((v) => {
      v.cluster = { name: "prod-eks", region: "eu-west-1" };
      v.services[0].targets = [];
    });
    const { config } = parseStackConfig("prod", raw);
    expect(config.platform).toBe("kubernetes");
    expect(config.prometheus.replicas).toBe(2);
    expect(config.alertmanager.replicas).toBe(3);
    expect(config.environment).toBe("prod");
  });

  it("parses the repository's dev stack file and the prod file once its secrets are set", () => {
    expect(parseStackConfig("dev", readStackFile(stackFilePath("dev"))).config.services[0].slos).toHaveLength(2);
    const prod = readStackFile(stackFilePath("prod"));
    const withSecrets = { values: prod.values, secrets: new Set(prodSecrets) };
    expect(parseStackConfig("prod", withSecrets).config.notifications.pagerduty.enabled).toBe(true);
  });

  it("accepts Teams and Opsgenie with their secrets, off by default", () => {
    expect(parseStackConfig("dev", good()).config.notifications).toMatchObject({ msteams: { enabled: false }, opsgenie: { enabled: false } });
    const raw = mutate(
      (v) => (v.notifications = { msteams: { enabled: true }, opsgenie: { enabled: true, url: "https://api.eu.opsgenie.com/" } }),
      ["msteamsWebhookUrl", "opsgenieApiKey"],
    );
    expect(parseStackConfig("dev", raw).config.notifications).toMatchObject({ msteams: { enabled: true }, opsgenie: { enabled: true, url: "https://api.eu.opsgenie.com/" } });
  });

  it("lets every account of the issuer sign in only when told so explicitly, and says so loudly", () => {
    const raw = mutate(
      (v) => {
        v.services[0].targets = [];
        v.cluster = { name: "eks", region: "eu-west-1" };
        v.ingress = { domain: "m.example.com", route53ZoneId: "Z0123456789ABC", auth: { issuerUrl: "https://accounts.google.com", clientId: "c", allowAnyAccountOfIssuer: true } };
      },
      ["oidcClientSecret"],
    );
    const { config, warnings } = parseStackConfig("prod", raw);
    expect(config.ingress.auth?.allowAnyAccountOfIssuer).toBe(true);
    expect(warnings.join("\n")).toContain(
      "watchpost:ingress.auth.allowAnyAccountOfIssuer is true: every account https://accounts.google.com signs in can open Prometheus and Alertmanager",
    );
  });

  it("admits OTLP from the namespaces of the declared services unless tracing.otlpNamespaces lists others, and warns when none may send", () => {
    const base = (tracing: Record<string, unknown>, services: unknown[]) =>
      mutate((v) => {
        v.cluster = { name: "eks", region: "eu-west-1" };
        v.services = services;
        v.probes = [];
        v.tracing = tracing;
      });
    const svc = (name: string, namespace?: string) => ({ name, ...(namespace ? { kubernetes: { namespace } } : {}) });
    expect(parseStackConfig("prod", base({}, [svc("api", "apps"), svc("web", "apps"), svc("jobs")])).config.tracing.otlpNamespaces).toEqual(["apps", "default"]);
    expect(parseStackConfig("prod", base({ otlpNamespaces: ["shop"] }, [svc("api", "apps")])).config.tracing.otlpNamespaces).toEqual(["shop"]);
    const none = parseStackConfig("prod", base({ otlpNamespaces: [] }, [svc("api", "apps")]));
    expect(none.warnings.join("\n")).toContain("watchpost:tracing.otlpNamespaces is empty: no application can send traces to the collector");
  });

  it("makes a created cluster's API endpoint private unless addresses are listed, and says how to reach it", () => {
    const created = (publicAccessCidrs?: string[]) =>
      parseStackConfig(
        "prod",
        mutate((v) => ((v.services[0].targets = []), (v.cluster = { region: "eu-west-1", create: { enabled: true, ...(publicAccessCidrs ? { publicAccessCidrs } : {}) } }))),
      );
    const priv = created();
    expect(priv.config.cluster.create.publicAccessCidrs).toEqual([]);
    expect(priv.warnings.join("\n")).toContain(
      "watchpost:cluster.create.publicAccessCidrs is empty: the new cluster's API endpoint is private, reachable from inside its VPC only; run pulumi up from there (a VPN, peering or a runner in the VPC), or list your addresses",
    );
    expect(created(["203.0.113.0/24"]).warnings.join("\n")).not.toContain("publicAccessCidrs");
  });

  it("warns, without failing, when retention is shorter than an SLO period", () => {
    const raw = mutate((v) => (v.prometheus = { retention: "7d" }));
    const { warnings } = parseStackConfig("dev", raw);
    expect(warnings.join("\n")).toMatch(/SLO 'availability' covers 30d but Prometheus keeps only 7d/);
  });

  it("lists every problem at once", () => {
    const problems = problemsOf(
      "dev",
      mutate((v) => {
        v.prometheus = { retention: "thirty days", scrapeInterval: 15 };
        v.grafana = { rootUrl: "not a url" };
      }),
    );
    expect(problems).toHaveLength(3);
  });

  const cases: Array<[string, RawStackConfig, RegExp, string?]> = [
    ["a misspelt top-level key", mutate((v) => (v.prometeus = {})), /watchpost:prometeus: unknown key; did you mean 'prometheus'\?/],
    ["a misspelt nested key", mutate((v) => (v.prometheus = { retension: "30d" })), /watchpost:prometheus.retension: unknown key; did you mean 'retention'\?/],
    ["a bad duration", mutate((v) => (v.prometheus = { retention: "30days" })), /watchpost:prometheus.retention: .*expected a duration such as 30s/],
    ["a bad size", mutate((v) => (v.prometheus = { volumeSize: "50GB" })), /watchpost:prometheus.volumeSize: .*expected a size such as 512Mi or 50Gi/],
    ["a wrong type", mutate((v) => (v.prometheus = { replicas: "two" })), /watchpost:prometheus.replicas: .*expected number/],
    ["a URL that is not one", mutate((v) => (v.alerts = { runbookBaseUrl: "runbooks.example.com" })), /watchpost:alerts.runbookBaseUrl: .*expected an http\(s\) URL/],
    ["an upper-case service name", mutate((v) => (v.services[0].name = "API")), /watchpost:services\[0\].name: .*lower-case letters/],
    ["a scrape target without a port", mutate((v) => (v.services[0].targets = ["api"])), /watchpost:services\[0\].targets\[0\]: .*expected host:port/],
    ["an unknown platform", mutate((v) => (v.platform = "swarm")), /watchpost:platform: .*expected docker or kubernetes/],
    [
      "Slack enabled without its webhook",
      mutate((v) => (v.notifications = { slack: { enabled: true } })),
      /watchpost:notifications.slack.enabled: .*pulumi config set --secret watchpost:slackWebhookUrl/,
    ],
    ["PagerDuty enabled without its routing key", mutate((v) => (v.notifications = { pagerduty: { enabled: true } })), /pulumi config set --secret watchpost:pagerdutyRoutingKey/],
    [
      "Opsgenie enabled without its API key",
      mutate((v) => (v.notifications = { opsgenie: { enabled: true } })),
      /^watchpost:notifications.opsgenie.enabled: Opsgenie is enabled but the secret watchpost:opsgenieApiKey is not set; set it with: pulumi config set --secret watchpost:opsgenieApiKey <Opsgenie API key \(of an API integration\)>$/m,
    ],
    [
      "Teams enabled without its webhook",
      mutate((v) => (v.notifications = { msteams: { enabled: true } })),
      /^watchpost:notifications.msteams.enabled: Microsoft Teams is enabled but the secret watchpost:msteamsWebhookUrl is not set; set it with: pulumi config set --secret watchpost:msteamsWebhookUrl <Microsoft Teams Workflows \(Power Automate\) webhook URL>$/m,
    ],
    [
      "an Opsgenie URL that is not one",
      mutate((v) => (v.notifications = { opsgenie: { enabled: true, url: "api.eu.opsgenie.com" } }), ["opsgenieApiKey"]),
      /watchpost:notifications.opsgenie.url: .*expected an http\(s\) URL/,
    ],
    [
      "credentials in the Opsgenie URL",
      mutate((v) => (v.notifications = { opsgenie: { enabled: true, url: "https://key:hunter2@api.opsgenie.com/" } }), ["opsgenieApiKey"]),
      /watchpost:notifications.opsgenie.url: must not carry credentials .*; the API key is the credential: pulumi config set --secret watchpost:opsgenieApiKey/,
    ],
    [
      "an unknown key under msteams",
      mutate((v) => (v.notifications = { msteams: { enabled: true, webhookUrl: "https://x.example.com" } }), ["msteamsWebhookUrl"]),
      /watchpost:notifications.msteams.webhookUrl: unknown key/,
    ],
    [
      "email enabled without relay or recipients",
      mutate((v) => (v.notifications = { email: { enabled: true } })),
      /watchpost:notifications.email.from: is required when notifications.email.enabled is true/,
    ],
    [
      "SMTP auth without its password",
      mutate((v) => (v.notifications = { email: { enabled: true, to: ["a@b.io"], from: "am@b.io", smarthost: "smtp.b.io:587", username: "am" } })),
      /watchpost:smtpPassword/,
    ],
    [
      "a credential set in plain text",
      mutate((v) => (v.slackWebhookUrl = "https://hooks.example.com/x")),
      /watchpost:slackWebhookUrl: is a credential and is stored in plain text/,
    ],
    ["a prod stack without a cluster", mutate((v) => (v.services[0].targets = [])), /watchpost:cluster.name: a kubernetes stack needs a cluster/, "prod"],
    [
      "a prod stack with a kubeconfig but no cluster name",
      mutate((v) => (v.services[0].targets = []), ["kubeconfig"]),
      /watchpost:cluster.name: is required even with a kubeconfig secret: .*OIDC provider/,
      "prod",
    ],
    ["a prod stack without a region", mutate((v) => ((v.services[0].targets = []), (v.cluster = { name: "eks" }))), /watchpost:cluster.region: is required on kubernetes/, "prod"],
    ["a created cluster with only one node", mutate((v) => (v.cluster = { create: { enabled: true, nodes: 1 } })), /watchpost:cluster.create.nodes: .*at least 2 nodes/],
    [
      "a created cluster's API open to the world",
      mutate((v) => (v.cluster = { create: { enabled: true, publicAccessCidrs: ["203.0.113.0/24", "0.0.0.0/0"] } })),
      /watchpost:cluster.create.publicAccessCidrs\[1\]: .*0.0.0.0\/0 opens the cluster's API endpoint to the whole internet; list the addresses you run pulumi up and kubectl from, such as 203.0.113.0\/24, or leave the list empty for a private endpoint/,
    ],
    [
      "a public access range that is not a CIDR",
      mutate((v) => (v.cluster = { create: { enabled: true, publicAccessCidrs: ["203.0.113.7"] } })),
      /watchpost:cluster.create.publicAccessCidrs\[0\]: .*expected an IPv4 CIDR such as 203.0.113.0\/24/,
    ],
    ["ingress on Docker", mutate((v) => (v.ingress = { domain: "monitoring.example.com" })), /watchpost:ingress.domain: .*ingress is for the kubernetes platform/],
    [
      "ACM TLS without a hosted zone",
      mutate(
        (v) => (
          (v.services[0].targets = []),
          (v.cluster = { name: "eks", region: "eu-west-1" }),
          (v.ingress = { domain: "m.example.com", auth: { issuerUrl: "https://id.example.com", clientId: "c", emailDomains: ["example.com"] } })
        ),
        ["oidcClientSecret"],
      ),
      /watchpost:ingress.route53ZoneId: is required with ingress.tls acm/,
      "prod",
    ],
    [
      "cert-manager TLS without class or email",
      mutate(
        (v) => (
          (v.services[0].targets = []),
          (v.cluster = { name: "eks", region: "eu-west-1" }),
          (v.ingress = { domain: "m.example.com", tls: "cert-manager", auth: { issuerUrl: "https://id.example.com", clientId: "c", emailDomains: ["example.com"] } })
        ),
        ["oidcClientSecret"],
      ),
      /watchpost:ingress.className: is required with ingress.tls cert-manager[\s\S]*watchpost:ingress.acmeEmail: is required/,
      "prod",
    ],
    [
      "an ingress without sign-in",
      mutate((v) => ((v.services[0].targets = []), (v.cluster = { name: "eks", region: "eu-west-1" }), (v.ingress = { domain: "m.example.com", route53ZoneId: "Z0123456789ABC" }))),
      /watchpost:ingress.auth: is required when ingress.domain is set: Prometheus and Alertmanager are never exposed without sign-in/,
      "prod",
    ],
    [
      "sign-in without its client secret",
      mutate(
        (v) => (
          (v.services[0].targets = []),
          (v.cluster = { name: "eks", region: "eu-west-1" }),
          (v.ingress = { domain: "m.example.com", route53ZoneId: "Z0123456789ABC", auth: { issuerUrl: "https://id.example.com", clientId: "c", emailDomains: ["example.com"] } })
        ),
      ),
      /watchpost:ingress.auth.clientId: .*pulumi config set --secret watchpost:oidcClientSecret/,
      "prod",
    ],
    [
      "sign-in without an allow-list (any account of the issuer could sign in)",
      mutate(
        (v) => (
          (v.services[0].targets = []),
          (v.cluster = { name: "eks", region: "eu-west-1" }),
          (v.ingress = { domain: "m.example.com", route53ZoneId: "Z0123456789ABC", auth: { issuerUrl: "https://accounts.google.com", clientId: "c" } })
        ),
        ["oidcClientSecret"],
      ),
      /watchpost:ingress.auth.emailDomains: expected at least one email domain such as example.com: without one every account https:\/\/accounts.google.com signs in could open Prometheus and Alertmanager \(with Google: anyone with a Google account\); list your domains, or set watchpost:ingress.auth.allowAnyAccountOfIssuer to true/,
      "prod",
    ],
    [
      "the wildcard as an email domain",
      mutate(
        (v) => (
          (v.services[0].targets = []),
          (v.cluster = { name: "eks", region: "eu-west-1" }),
          (v.ingress = { domain: "m.example.com", route53ZoneId: "Z0123456789ABC", auth: { issuerUrl: "https://id.example.com", clientId: "c", emailDomains: ["*"] } })
        ),
        ["oidcClientSecret"],
      ),
      /watchpost:ingress.auth.emailDomains\[0\]: .*"\*" would let every account of the issuer sign in; list your email domains, or set ingress.auth.allowAnyAccountOfIssuer: true to mean exactly that/,
      "prod",
    ],
    [
      "an allow-list and the any-account opt-in together",
      mutate(
        (v) => (
          (v.services[0].targets = []),
          (v.cluster = { name: "eks", region: "eu-west-1" }),
          (v.ingress = {
            domain: "m.example.com",
            route53ZoneId: "Z0123456789ABC",
            auth: { issuerUrl: "https://id.example.com", clientId: "c", emailDomains: ["example.com"], allowAnyAccountOfIssuer: true },
          })
        ),
        ["oidcClientSecret"],
      ),
      /watchpost:ingress.auth.allowAnyAccountOfIssuer: contradicts ingress.auth.emailDomains \["example.com"\]; remove one of them/,
      "prod",
    ],
    [
      "cert-manager TLS without the ingress controller's namespace",
      mutate(
        (v) => (
          (v.services[0].targets = []),
          (v.cluster = { name: "eks", region: "eu-west-1" }),
          (v.ingress = {
            domain: "m.example.com",
            tls: "cert-manager",
            className: "traefik",
            acmeEmail: "ops@example.com",
            auth: { issuerUrl: "https://id.example.com", clientId: "c", emailDomains: ["example.com"] },
          })
        ),
        ["oidcClientSecret"],
      ),
      /watchpost:ingress.controllerNamespace: is required with ingress.tls cert-manager: the namespace your ingress controller runs in, such as traefik; Grafana, oauth2-proxy and the HTTP-01 solver admit requests from its pods only/,
      "prod",
    ],
    [
      "an OTLP namespace that is not a namespace name",
      mutate((v) => ((v.services[0].targets = []), (v.cluster = { name: "eks", region: "eu-west-1" }), (v.tracing = { otlpNamespaces: ["Apps"] }))),
      /watchpost:tracing.otlpNamespaces\[0\]: .*expected a Kubernetes namespace name such as apps/,
      "prod",
    ],
    [
      "OTLP namespaces on Docker",
      mutate((v) => (v.tracing = { otlpNamespaces: ["apps"] })),
      /watchpost:tracing.otlpNamespaces: is for the kubernetes platform \(a network policy\); on docker the OTLP ports are published on docker.bindAddress/,
    ],
    [
      "credentials in the remote-write URL",
      mutate((v) => (v.prometheus = { remoteWrite: [{ url: "https://writer:hunter2@mimir.example.com/api/v1/push" }] })),
      /watchpost:prometheus.remoteWrite\[0\].url: must not carry credentials \(user:password@host\): they would be stored in plain text in the stack file, the rendered configs and the Pulumi state; set remoteWrite\[\].basicAuth.username with the secret watchpost:remoteWritePassword, or remoteWrite\[\].bearerToken: true with the secret watchpost:remoteWriteBearerToken/,
    ],
    [
      "credentials in the Elasticsearch URL",
      mutate((v) => (v.exporters = { elasticsearch: { url: "http://monitor:hunter2@es.internal:9200" } })),
      /watchpost:exporters.elasticsearch.url: must not carry credentials .*; set exporters.elasticsearch.username and the secret watchpost:elasticsearchPassword/,
    ],
    [
      "credentials in the NGINX status URL",
      mutate((v) => (v.exporters = { nginx: { statusUrl: "http://admin:hunter2@web.internal/stub_status" } })),
      /watchpost:exporters.nginx.statusUrl: must not carry credentials .*; the NGINX exporter sends none to stub_status: allow the exporter's address in the stub_status location instead/,
    ],
    [
      "credentials in the PagerDuty URL",
      mutate((v) => (v.notifications = { pagerduty: { enabled: true, url: "https://key:hunter2@events.pagerduty.com/v2/enqueue" } }), ["pagerdutyRoutingKey"]),
      /watchpost:notifications.pagerduty.url: must not carry credentials .*; the routing key is the credential: pulumi config set --secret watchpost:pagerdutyRoutingKey/,
    ],
    [
      "credentials in any other URL",
      mutate((v) => (v.grafana = { rootUrl: "https://admin:hunter2@grafana.example.com" })),
      /watchpost:grafana.rootUrl: must not carry credentials .*; remove them/,
    ],
    [
      "credentials in an HTTP probe's URL",
      mutate((v) => (v.probes[0].target = "http://user:hunter2@api:8080/healthz")),
      /watchpost:probes\[0\].target: must not carry credentials \(user:password@host\)/,
    ],
    [
      "remote-write basic auth without its password",
      mutate((v) => (v.prometheus = { remoteWrite: [{ url: "https://mimir.example.com/api/v1/push", basicAuth: { username: "writer" } }] })),
      /watchpost:prometheus.remoteWrite\[0\].basicAuth.username: needs the secret watchpost:remoteWritePassword; set it with: pulumi config set --secret watchpost:remoteWritePassword/,
    ],
    [
      "a remote-write bearer token without its secret",
      mutate((v) => (v.prometheus = { remoteWrite: [{ url: "https://mimir.example.com/api/v1/push", bearerToken: true }] })),
      /watchpost:prometheus.remoteWrite\[0\].bearerToken: needs the secret watchpost:remoteWriteBearerToken/,
    ],
    [
      "two kinds of remote-write auth on one entry",
      mutate(
        (v) => (v.prometheus = { remoteWrite: [{ url: "https://mimir.example.com/api/v1/push", basicAuth: { username: "w" }, bearerToken: true }] }),
        ["remoteWritePassword", "remoteWriteBearerToken"],
      ),
      /watchpost:prometheus.remoteWrite\[0\].bearerToken: got true; .*one of basicAuth, bearerToken or sigv4Region per entry|watchpost:prometheus.remoteWrite\[0\].bearerToken: .*one of basicAuth, bearerToken or sigv4Region per entry/,
    ],
    [
      "one remote-write password for two endpoints",
      mutate(
        (v) =>
          (v.prometheus = {
            remoteWrite: [
              { url: "https://a.example.com/push", basicAuth: { username: "w" } },
              { url: "https://b.example.com/push", basicAuth: { username: "w" } },
            ],
          }),
        ["remoteWritePassword"],
      ),
      /watchpost:prometheus.remoteWrite\[1\].basicAuth: the secret watchpost:remoteWritePassword already serves prometheus.remoteWrite\[0\]; one endpoint per credential, so a password never reaches another endpoint/,
    ],
    ["a backup schedule that is not an AWS expression", mutate((v) => (v.backup = { schedule: "0 3 * * *" })), /watchpost:backup.schedule: .*cron\(0 3 \* \* \? \*\)/],
    [
      "a latency SLO without a threshold",
      mutate((v) => v.services[0].slos.push({ name: "latency", type: "latency", objective: 99 })),
      /watchpost:services\[0\].slos\[1\].threshold: a latency SLO needs a threshold/,
    ],
    ["an objective of 100%", mutate((v) => (v.services[0].slos[0].objective = 100)), /watchpost:services\[0\].slos\[0\].objective: .*below 100/],
    ["a duplicate service", mutate((v) => v.services.push({ name: "api", targets: ["api2:8080"] })), /watchpost:services\[1\].name: .*duplicate service name/],
    ["a service owned by an undeclared team", mutate((v) => (v.services[0].team = "payments")), /watchpost:services\[0\].team: .*unknown team; declare it under routing.teams/],
    ["a probe of an unknown service", mutate((v) => (v.probes[0].service = "web")), /watchpost:probes\[0\].service: .*unknown service/],
    ["an HTTP probe without a URL", mutate((v) => (v.probes[0].target = "api:8080")), /watchpost:probes\[0\].target: .*http_2xx probe needs an http\(s\) URL/],
    ["an unknown alert threshold", mutate((v) => (v.alerts = { thresholds: { cpuHigh: 0.5 } })), /watchpost:alerts.thresholds.cpuHigh: .*unknown threshold/],
    ["an unknown alert pack", mutate((v) => (v.alerts = { packs: { mongo: true } })), /watchpost:alerts.packs.mongo: unknown key/],
    [
      "a maintenance window muting an unknown team",
      mutate((v) => (v.routing = { maintenanceWindows: [{ name: "weekend", intervals: [{ weekdays: ["saturday"] }], mutes: ["team:ghost"] }] })),
      /maintenanceWindows\[0\].mutes\[0\]: .*not declared/,
    ],
    ["AMP on Docker", mutate((v) => (v.prometheus = { amp: { enabled: true } })), /watchpost:prometheus.amp.enabled: .*needs the kubernetes platform/],
    [
      "a custom alert that is not PascalCase",
      mutate((v) => (v.alerts = { custom: [{ name: "payment_failures", expr: "x", threshold: 1, severity: "critical", summary: "s" }] })),
      /watchpost:alerts.custom\[0\].name: .*PascalCase/,
    ],
    [
      "a custom alert whose PromQL does not parse",
      mutate((v) => (v.alerts = { custom: [{ name: "PaymentFailures", expr: "sum(rate(payments_total[5m]) / 2", threshold: 1, severity: "critical", summary: "s" }] })),
      /watchpost:alerts.custom\[0\].expr: .*not valid PromQL/,
    ],
    [
      "a custom alert with an unknown severity",
      mutate((v) => (v.alerts = { custom: [{ name: "PaymentFailures", expr: "x", threshold: 1, severity: "page", summary: "s" }] })),
      /watchpost:alerts.custom\[0\].severity: .*critical, warning, info/,
    ],
  ];

  describe("docker.networks", () => {
    const withNetworks = (networks: unknown) => mutate((v) => (v.docker = { networks }));
    /** The message a user reads: key, the value found, what was expected and the fix. */
    const refusal = (stack: string, raw: RawStackConfig): string => {
      try {
        parseStackConfig(stack, raw);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      throw new Error("expected the configuration to be rejected");
    };

    it("takes names of existing networks as compose and docker network create write them", () => {
      const { config } = parseStackConfig("dev", withNetworks(["shop_default", "payments.backend-1", "Net2"]));
      expect(config.docker.networks).toEqual(["shop_default", "payments.backend-1", "Net2"]);
      expect(parseStackConfig("dev", good()).config.docker.networks).toEqual([]);
    });

    it.each<[string, unknown, string]>([
      [
        "a name with a space",
        ["shop default"],
        'watchpost:docker.networks[0]: got "shop default"; expected the name of an existing Docker network, such as myapp_default: a letter or digit, then letters, digits, _, . or - (at least 2 characters); list them with docker network ls',
      ],
      ["a name starting with a dash", ["ok_net", "-net"], 'watchpost:docker.networks[1]: got "-net"; expected the name of an existing Docker network'],
      ["a one-letter name", ["n"], 'watchpost:docker.networks[0]: got "n"; expected the name of an existing Docker network'],
      ["a name that is not a string", [8080], "watchpost:docker.networks[0]: got 8080; expected the name of an existing Docker network, such as myapp_default"],
      ["a single name instead of a list", "shop_default", 'watchpost:docker.networks: got "shop_default"; expected a list, not a string'],
      [
        "a network listed twice",
        ["shop_default", "shop_default"],
        'watchpost:docker.networks[1]: got "shop_default"; is listed already as docker.networks[0]; list each network once',
      ],
      [
        "the stack's own network",
        ["watchpost-dev"],
        'watchpost:docker.networks[0]: got "watchpost-dev"; is the stack\'s own network, which every container joins anyway; remove it',
      ],
      [
        "the host network",
        ["host"],
        'watchpost:docker.networks[0]: got "host"; the host network cannot be joined together with another network; list the app\'s own network instead',
      ],
      ["the none network", ["none"], 'watchpost:docker.networks[0]: got "none"; the none network cannot be joined together with another network'],
      [
        "the default bridge",
        ["bridge"],
        'watchpost:docker.networks[0]: got "bridge"; the default bridge network resolves no container names, so targets such as api:8080 would not resolve there',
      ],
    ])("rejects %s", (_name, networks, message) => {
      expect(refusal("dev", withNetworks(networks))).toContain(message);
    });

    it("is an error on kubernetes, where services are reached through their Kubernetes Service", () => {
      const raw = mutate((v) => ((v.services[0].targets = []), (v.cluster = { name: "eks", region: "eu-west-1" }), (v.docker = { networks: ["shop_default"] })));
      expect(refusal("prod", raw)).toContain(
        'watchpost:docker.networks: got ["shop_default"]; is for the docker platform; on kubernetes Prometheus reaches services through their Kubernetes Service (services[].kubernetes); remove it',
      );
    });
  });

  it.each(cases)("rejects %s", (_name, raw, message, stack = "dev") => {
    expect(problemsOf(stack, raw).join("\n")).toMatch(message);
  });

  it("shows a URL with credentials without them", () => {
    try {
      parseStackConfig(
        "dev",
        mutate((v) => (v.prometheus = { remoteWrite: [{ url: "https://writer:hunter2@mimir.example.com/api/v1/push" }] })),
      );
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('watchpost:prometheus.remoteWrite[0].url: got "https://***:***@mimir.example.com/api/v1/push"; must not carry credentials');
      expect(message).not.toContain("hunter2");
      expect(JSON.stringify((error as ConfigError).problems)).not.toContain("hunter2");
      return;
    }
    throw new Error("expected a ConfigError");
  });

  it("shows the offending value in the message", () => {
    try {
      parseStackConfig(
        "dev",
        mutate((v) => (v.prometheus = { retention: "30days" })),
      );
    } catch (error) {
      expect((error as Error).message).toContain('watchpost:prometheus.retention: got "30days"; expected a duration');
      expect((error as Error).message).toMatch(/^Invalid configuration for stack "dev" \(1 problem\)/);
      return;
    }
    throw new Error("expected a ConfigError");
  });
});
