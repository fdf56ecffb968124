/**
 * The checks of grafana.sso and grafana.database: each problem with its key
 * path, the value, what was expected and the fix; one good stack, one mutation
 * per case.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, parseStackConfig, type RawStackConfig } from "../../infra/config/validate";

const ssoSpec = {
  clientId: "watchpost-grafana",
  authUrl: "https://idp.example.com/authorize",
  tokenUrl: "https://idp.example.com/token",
  apiUrl: "https://idp.example.com/userinfo",
  roles: { Admin: ["platform-admins"], Editor: ["sre"], Viewer: "*" },
};

const good = (): RawStackConfig => ({
  values: {
    cluster: { name: "eks", region: "eu-west-1" },
    ingress: {
      domain: "monitoring.example.com",
      route53ZoneId: "Z0123456789EXAMPLE",
      auth: { issuerUrl: "https://idp.example.com", clientId: "watchpost-oauth2-proxy", emailDomains: ["example.com"] },
    },
    grafana: { sso: structuredClone(ssoSpec), database: { host: "grafana-db.internal:5432", name: "grafana", user: "grafana" } },
  },
  secrets: new Set(["oidcClientSecret", "grafanaOidcClientSecret", "grafanaDatabasePassword"]),
});

function problems(raw: RawStackConfig, stack = "prod"): string[] {
  try {
    parseStackConfig(stack, raw);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.message.split("\n").slice(1);
  }
}

function mutate(change: (raw: RawStackConfig & { values: Record<string, any> }) => void): RawStackConfig {
  const raw = good() as RawStackConfig & { values: Record<string, any> };
  change(raw);
  return raw;
}

describe("grafana.sso and grafana.database", () => {
  it("accept the good stack, with its defaults filled in", () => {
    expect(problems(good())).toEqual([]);
    const { config } = parseStackConfig("prod", good());
    expect(config.grafana.sso).toMatchObject({ scopes: ["openid", "email", "profile"], groupsClaim: "groups", disableLoginForm: false, autoLogin: false });
    expect(config.grafana.database?.sslMode).toBe("require");
    expect(
      parseStackConfig(
        "prod",
        mutate((r) => delete r.values.grafana.sso.roles),
      ).config.grafana.sso?.roles,
    ).toEqual({ Viewer: "*" });
  });

  it.each([
    [
      "sso without ingress.auth",
      mutate((r) => delete r.values.ingress),
      [
        '  - watchpost:grafana.sso: got {"clientId":"watchpost-grafana"}; needs ingress.auth: Grafana signs in at the same issuer and lets in the same email domains as the sign-in in front of Prometheus and Alertmanager; set ingress.auth {issuerUrl, clientId, emailDomains}',
      ],
    ],
    [
      "oauth2-proxy's client id",
      mutate((r) => (r.values.grafana.sso.clientId = "watchpost-oauth2-proxy")),
      [
        '  - watchpost:grafana.sso.clientId: got "watchpost-oauth2-proxy"; is ingress.auth.clientId, oauth2-proxy\'s client; register a separate client for Grafana at the issuer (redirect URI https://grafana.<domain>/login/generic_oauth) and give its id here',
      ],
    ],
    [
      "the client secret missing",
      mutate((r) => r.secrets instanceof Set && (r.secrets as Set<string>).delete("grafanaOidcClientSecret")),
      [
        '  - watchpost:grafana.sso.clientId: got "watchpost-grafana"; needs the secret watchpost:grafanaOidcClientSecret; set it with: pulumi config set --secret watchpost:grafanaOidcClientSecret <OIDC client secret of grafana.sso.clientId (Grafana\'s own sign-in)>',
      ],
    ],
    [
      "the database password missing",
      mutate((r) => (r.secrets as Set<string>).delete("grafanaDatabasePassword")),
      [
        '  - watchpost:grafana.database.user: got "grafana"; needs the secret watchpost:grafanaDatabasePassword; set it with: pulumi config set --secret watchpost:grafanaDatabasePassword <password of grafana.database.user (Grafana\'s external PostgreSQL database)>',
      ],
    ],
    [
      "no role at all",
      mutate((r) => (r.values.grafana.sso.roles = {})),
      [
        '  - watchpost:grafana.sso.roles: got {}; gives no role to anyone, so every sign-in would be refused; expected at least one role, such as { Admin: [platform-admins], Viewer: "*" }',
      ],
    ],
    [
      "a role after a role for everyone",
      mutate((r) => (r.values.grafana.sso.roles = { Editor: "*", Viewer: ["staff"] })),
      [
        '  - watchpost:grafana.sso.roles.Viewer: got ["staff"]; can never apply: Editor is "*", so every account that reaches it stops there (roles are checked from GrafanaAdmin down to Viewer); list groups for Editor, or remove Viewer',
      ],
    ],
    [
      "an unknown role",
      mutate((r) => (r.values.grafana.sso.roles = { Owner: ["x"] })),
      ['  - watchpost:grafana.sso.roles.Owner: got ["x"]; unknown key; expected one of: GrafanaAdmin, Admin, Editor, Viewer'],
    ],
    [
      "a group name with a backslash",
      mutate((r) => (r.values.grafana.sso.roles = { Viewer: ["DOMAIN\\staff"] })),
      ['  - watchpost:grafana.sso.roles.Viewer[0]: got "DOMAIN\\\\staff"; expected a group name without a backslash, #, ; or control characters; they cannot be matched reliably'],
    ],
    [
      "no group listed",
      mutate((r) => (r.values.grafana.sso.roles = { Admin: [] })),
      ['  - watchpost:grafana.sso.roles.Admin: got []; expected at least one group, or "*" for every account that signs in'],
    ],
    [
      "a role given to no one in particular",
      mutate((r) => (r.values.grafana.sso.roles = { Viewer: "everyone" })),
      ['  - watchpost:grafana.sso.roles.Viewer: got "everyone"; expected a list of group names such as [platform-admins], or "*" for every account that signs in'],
    ],
    [
      "a token endpoint that is not a URL",
      mutate((r) => (r.values.grafana.sso.tokenUrl = "idp.example.com/token")),
      [expect.stringMatching(/^ {2}- watchpost:grafana\.sso\.tokenUrl: got "idp\.example\.com\/token"; expected an http\(s\) URL/)],
    ],
    [
      "a database host with a scheme",
      mutate((r) => (r.values.grafana.database.host = "postgres://db:5432")),
      ['  - watchpost:grafana.database.host: got "postgres://db:5432"; expected a host or host:port such as grafana-db.internal:5432'],
    ],
    [
      "an unknown sslMode",
      mutate((r) => (r.values.grafana.database.sslMode = "prefer")),
      ['  - watchpost:grafana.database.sslMode: got "prefer"; expected require, verify-full or disable'],
    ],
  ])("%s", (_name, raw, expected) => {
    expect(problems(raw)).toEqual(expected);
  });

  it("warns when the issuer could only send users back to Grafana's in-cluster address", () => {
    const warnings = (raw: RawStackConfig) => parseStackConfig("prod", raw).warnings.filter((w) => w.startsWith("watchpost:grafana"));
    const noDomain = mutate((r) => {
      delete r.values.ingress.domain;
      delete r.values.ingress.route53ZoneId;
    });
    expect(warnings(noDomain)).toEqual([
      "watchpost:grafana.sso is set without ingress.domain or grafana.rootUrl: the issuer would send users back to Grafana's in-cluster address, which a browser cannot open; set ingress.domain, or grafana.rootUrl to the address your users reach Grafana at",
    ]);
    const withRootUrl = mutate((r) => {
      delete r.values.ingress.domain;
      delete r.values.ingress.route53ZoneId;
      r.values.grafana.rootUrl = "https://grafana.internal.example.com";
    });
    expect(warnings(withRootUrl)).toEqual([]);
    expect(warnings(good())).toEqual([]);
  });

  it("reports every Grafana problem of a stack together", () => {
    const raw = mutate((r) => {
      r.values.grafana.sso.roles = {};
      r.secrets = new Set(["oidcClientSecret"]);
    });
    expect(problems(raw).map((line) => line.split(":").slice(0, 2).join(":"))).toEqual([
      "  - watchpost:grafana.sso.clientId",
      "  - watchpost:grafana.sso.roles",
      "  - watchpost:grafana.database.user",
    ]);
  });
});
