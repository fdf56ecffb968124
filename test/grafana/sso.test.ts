/**
 * Grafana's sign-in settings as data, and the role mapping evaluated the way
 * Grafana evaluates it: the JMESPath expression run by go-jmespath against the
 * claims of sample ID tokens.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  type GrafanaSsoSpec,
  grafanaAuthEnv,
  grafanaAuthIni,
  grafanaSsoSpec,
  groupsExpression,
  postgresPort,
  renderIni,
  roleAttributePath,
  unreachableRoles,
} from "../../components/grafana/sso";
import { evaluateJmespath, jmespathBuild, jmespathEvaluator } from "../support/jmespath";

const sso = (over: Partial<Record<string, unknown>> = {}): GrafanaSsoSpec =>
  grafanaSsoSpec.parse({
    clientId: "watchpost-grafana",
    authUrl: "https://idp.example.com/authorize",
    tokenUrl: "https://idp.example.com/token",
    apiUrl: "https://idp.example.com/userinfo",
    ...over,
  });

/** An ID token as the issuer signs it (the signature is not what Grafana's mapping reads). */
function idToken(claims: Record<string, unknown>): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  return `${part({ alg: "RS256", typ: "JWT" })}.${part({ iss: "https://idp.example.com", aud: "watchpost-grafana", sub: "u1", ...claims })}.c2lnbmF0dXJl`;
}

/** The claims Grafana runs role_attribute_path on: the token's payload. */
const claimsOf = (token: string): unknown => JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));

describe("the role_attribute_path expression as text", () => {
  it("checks the roles from the highest down, ending with the role given to everyone", () => {
    const roles = { GrafanaAdmin: ["platform-admins"], Admin: ["grafana-admins"], Editor: ["sre", "developers"], Viewer: "*" as const };
    expect(roleAttributePath(roles, "groups")).toBe(
      "contains(to_array(groups), 'platform-admins') && 'GrafanaAdmin' || contains(to_array(groups), 'grafana-admins') && 'Admin' || (contains(to_array(groups), 'sre') || contains(to_array(groups), 'developers')) && 'Editor' || 'Viewer'",
    );
  });

  it("wraps a lone literal in parentheses, so an ini parser cannot take its quotes for quoting", () => {
    expect(roleAttributePath({ Viewer: "*" }, "groups")).toBe("('Viewer')");
  });

  it("reads the groups from a nested path or a claim name that is not an identifier", () => {
    expect(groupsExpression(["realm_access", "roles"])).toBe("to_array(realm_access.roles)");
    expect(groupsExpression("cognito:groups")).toBe('to_array("cognito:groups")');
    expect(groupsExpression("https://example.com/groups")).toBe('to_array("https://example.com/groups")');
  });

  it("escapes a quote in a group name", () => {
    expect(roleAttributePath({ Editor: ["o'brien-team"] }, "groups")).toBe("contains(to_array(groups), 'o\\'brien-team') && 'Editor'");
  });

  it("names the roles no account can reach after a role given to everyone", () => {
    expect(unreachableRoles({ Editor: "*", Viewer: ["x"] })).toEqual([{ role: "Viewer", after: "Editor" }]);
    expect(unreachableRoles({ Admin: ["a"], Viewer: "*" })).toEqual([]);
  });

  it("refuses group and claim names the expression or grafana.ini cannot carry", () => {
    for (const bad of ["a\\b", "team#1", "a;b", "tab\there"]) {
      expect(grafanaSsoSpec.safeParse({ ...sso(), roles: { Viewer: [bad] } }).success, bad).toBe(false);
      expect(grafanaSsoSpec.safeParse({ ...sso(), groupsClaim: bad }).success, bad).toBe(false);
    }
    expect(grafanaSsoSpec.safeParse({ ...sso(), roles: { Viewer: ["o'brien", "CN=ops,OU=Groups"] } }).success).toBe(true);
  });
});

describe(`the role mapping evaluated by ${jmespathBuild} on sample ID tokens`, () => {
  let binary: string | undefined;
  beforeAll(() => {
    binary = jmespathEvaluator();
  }, 180_000);

  const rolesOf = (expression: string, tokens: string[]) => {
    if (!binary) return undefined;
    return evaluateJmespath(binary, expression, tokens.map(claimsOf));
  };

  it("gives each account the highest role its groups allow, everyone else Viewer; no substring matches", (ctx) => {
    const roles = { GrafanaAdmin: ["platform-admins"], Admin: ["grafana-admins"], Editor: ["sre", "developers"], Viewer: "*" as const };
    const tokens = {
      "platform admin": idToken({ groups: ["platform-admins", "sre"] }),
      "grafana admin who is also an SRE": idToken({ groups: ["sre", "grafana-admins"] }),
      developer: idToken({ groups: ["developers"] }),
      "groups as one string": idToken({ groups: "sre" }),
      "a group that contains an Editor group's name": idToken({ groups: ["sre-contractors"] }),
      "no groups claim": idToken({ email: "someone@example.com" }),
      "empty groups": idToken({ groups: [] }),
    };
    const got = rolesOf(roleAttributePath(roles, "groups"), Object.values(tokens));
    if (!got) return ctx.skip();
    expect(Object.fromEntries(Object.keys(tokens).map((name, i) => [name, got[i]]))).toEqual({
      "platform admin": "GrafanaAdmin",
      "grafana admin who is also an SRE": "Admin",
      developer: "Editor",
      "groups as one string": "Editor",
      "a group that contains an Editor group's name": "Viewer",
      "no groups claim": "Viewer",
      "empty groups": "Viewer",
    });
  });

  it("without a role for everyone, an account in none of the groups gets no role (role_attribute_strict refuses it)", (ctx) => {
    const got = rolesOf(roleAttributePath({ Admin: ["ops"], Viewer: ["staff"] }, "groups"), [idToken({ groups: ["staff"] }), idToken({ groups: ["contractors"] }), idToken({})]);
    if (!got) return ctx.skip();
    expect(got).toEqual(["Viewer", false, false]);
  });

  it("reads Keycloak's realm roles, Cognito's groups and a quoted group name", (ctx) => {
    const keycloak = rolesOf(roleAttributePath({ Editor: ["editors"], Viewer: "*" }, ["realm_access", "roles"]), [
      idToken({ realm_access: { roles: ["editors", "offline_access"] } }),
      idToken({ realm_access: {} }),
    ]);
    const cognito = rolesOf(roleAttributePath({ Admin: ["ops"] }, "cognito:groups"), [idToken({ "cognito:groups": ["ops"] }), idToken({ groups: ["ops"] })]);
    const quoted = rolesOf(roleAttributePath({ Editor: ["o'brien-team"] }, "groups"), [idToken({ groups: ["o'brien-team"] }), idToken({ groups: ["obrien-team"] })]);
    if (!keycloak || !cognito || !quoted) return ctx.skip();
    expect(keycloak).toEqual(["Editor", "Viewer"]);
    expect(cognito).toEqual(["Admin", false]);
    expect(quoted).toEqual(["Editor", false]);
  });

  it("a lone role for everyone stays a role once wrapped", (ctx) => {
    const got = rolesOf(roleAttributePath({ Viewer: "*" }, "groups"), [idToken({})]);
    if (!got) return ctx.skip();
    expect(got).toEqual(["Viewer"]);
  });
});

describe("Grafana's sign-in and database settings", () => {
  const input = { sso: sso({ roles: { Admin: ["ops"], Viewer: "*" }, disableLoginForm: true }), emailDomains: ["example.com", "example.org"] };

  it("as grafana.ini sections: generic OAuth with PKCE, strict roles, the domains of ingress.auth, the secret by file", () => {
    const ini = grafanaAuthIni(input);
    expect(ini["auth.generic_oauth"]).toMatchObject({
      enabled: true,
      client_id: "watchpost-grafana",
      client_secret: "$__file{/etc/grafana-secrets/oidc-client-secret}",
      scopes: "openid email profile",
      auth_url: "https://idp.example.com/authorize",
      token_url: "https://idp.example.com/token",
      api_url: "https://idp.example.com/userinfo",
      use_pkce: true,
      allowed_domains: "example.com example.org",
      role_attribute_path: "contains(to_array(groups), 'ops') && 'Admin' || 'Viewer'",
      role_attribute_strict: true,
      allow_assign_grafana_admin: false,
    });
    expect(ini.auth).toEqual({ disable_login_form: true });
    expect(ini.database).toBeUndefined();
    expect(grafanaAuthIni({ sso: sso({ roles: { GrafanaAdmin: ["root"] } }) })["auth.generic_oauth"].allow_assign_grafana_admin).toBe(true);
  });

  it("the database section reads its password from a file; the port defaults to PostgreSQL's", () => {
    const ini = grafanaAuthIni({ database: { host: "db.internal", name: "grafana", user: "grafana", sslMode: "verify-full" } });
    expect(ini).toEqual({
      database: { type: "postgres", host: "db.internal", name: "grafana", user: "grafana", password: "$__file{/etc/grafana-secrets/database-password}", ssl_mode: "verify-full" },
    });
    expect(postgresPort("db.internal")).toBe(5432);
    expect(postgresPort("db.internal:6432")).toBe(6432);
  });

  it("as GF_ variables for the Docker container: the same values, secrets still by $__file{}", () => {
    const env = grafanaAuthEnv({ ...input, database: { host: "db:5432", name: "grafana", user: "grafana", sslMode: "disable" } });
    expect(env).toMatchObject({
      GF_AUTH_GENERIC_OAUTH_ENABLED: "true",
      GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: "$__file{/etc/grafana-secrets/oidc-client-secret}",
      GF_AUTH_GENERIC_OAUTH_ROLE_ATTRIBUTE_PATH: "contains(to_array(groups), 'ops') && 'Admin' || 'Viewer'",
      GF_AUTH_DISABLE_LOGIN_FORM: "true",
      GF_DATABASE_PASSWORD: "$__file{/etc/grafana-secrets/database-password}",
      GF_DATABASE_SSL_MODE: "disable",
    });
    for (const name of Object.keys(env)) expect(name).toMatch(/^GF_[A-Z0-9_]+$/);
  });

  it("as ini text for review", () => {
    expect(renderIni({ auth: { disable_login_form: false }, database: { type: "postgres" } })).toBe("[auth]\ndisable_login_form = false\n\n[database]\ntype = postgres\n");
  });
});
