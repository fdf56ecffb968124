/**
 * Grafana's own sign-in: OpenID Connect through its generic OAuth client, the
 * role mapping from the token's groups, and the optional external PostgreSQL
 * database of a highly available Grafana. Pure: the spec, the JMESPath role
 * expression and the settings as `grafana.ini` sections (Kubernetes) or
 * `GF_<SECTION>_<KEY>` variables (Docker). Secrets appear only as file paths.
 */
import { z } from "zod";
import { httpUrl } from "../../model/primitives";

/** Grafana's organisation roles, highest first; `GrafanaAdmin` is the server administrator. */
export const grafanaRoles = ["GrafanaAdmin", "Admin", "Editor", "Viewer"] as const;
export type GrafanaRole = (typeof grafanaRoles)[number];

/**
 * Characters a name in the expression may not hold: a backslash (JMESPath's raw strings read `\\` as
 * one backslash by the spec but as two in go-jmespath, which Grafana evaluates with), `#` and `;`
 * (grafana.ini's parser may read the rest of the line as a comment), and control characters.
 */
const unsafeInExpression = { test: (v: string) => /[\\#;]/.test(v) || [...v].some((c) => c.charCodeAt(0) < 0x20) };

/** Who gets a role: every signed-in account (`"*"`), or members of any of the listed groups. */
const roleMembers = z
  .union([z.literal("*"), z.array(z.string({ error: "expected a group name such as platform-admins" }))], {
    error: 'expected a list of group names such as [platform-admins], or "*" for every account that signs in',
  })
  .superRefine((members, ctx) => {
    if (members === "*") return;
    if (members.length === 0) ctx.addIssue({ code: "custom", message: 'expected at least one group, or "*" for every account that signs in' });
    members.forEach((group, i) => {
      if (group.length === 0) ctx.addIssue({ code: "custom", path: [i], message: "expected a group name such as platform-admins, not an empty string" });
      else if (unsafeInExpression.test(group))
        ctx.addIssue({ code: "custom", path: [i], message: "expected a group name without a backslash, #, ; or control characters; they cannot be matched reliably" });
    });
  });
export type RoleMembers = z.infer<typeof roleMembers>;

/** A claim name as JMESPath reads it: a bare identifier, or quoted. */
const claimName = z
  .string({ error: "expected a claim name such as groups" })
  .min(1, { error: "expected a claim name such as groups" })
  .refine((v) => !unsafeInExpression.test(v), { error: "expected a claim name without a backslash, #, ; or control characters" });

export const grafanaSsoSpec = z.strictObject({
  /** Grafana's own OIDC client at the issuer of `ingress.auth` (not oauth2-proxy's). Its secret: `grafanaOidcClientSecret`. */
  clientId: z.string({ error: "expected the OIDC client id registered for Grafana" }).min(1, { error: "expected the OIDC client id registered for Grafana" }),
  /**
   * The issuer's endpoints (`authorization_endpoint`, `token_endpoint`, `userinfo_endpoint` of its
   * `/.well-known/openid-configuration`): Grafana's generic OAuth client reads no discovery document.
   */
  authUrl: httpUrl.describe("the issuer's authorization_endpoint, an http(s) URL without credentials"),
  tokenUrl: httpUrl.describe("the issuer's token_endpoint, an http(s) URL without credentials"),
  apiUrl: httpUrl.describe("the issuer's userinfo_endpoint, an http(s) URL without credentials"),
  /** @default ["openid", "email", "profile"] */
  scopes: z.array(z.string().regex(/^\S+$/, { error: "expected a scope without spaces such as groups" })).default(["openid", "email", "profile"]),
  /**
   * Where the token lists the user's groups: a top-level claim name such as `groups` or
   * `cognito:groups`, or a path as a list, such as `[realm_access, roles]` (Keycloak). @default "groups"
   */
  groupsClaim: z
    .union([claimName, z.array(claimName).min(1)], { error: "expected a claim name such as groups, or a path as a list such as [realm_access, roles]" })
    .default("groups"),
  /**
   * Role → who gets it, checked from the highest role down; the first that matches wins. An account
   * matching none is refused. `GrafanaAdmin` makes its members server administrators. @default { Viewer: "*" }
   */
  roles: z
    .strictObject({
      GrafanaAdmin: roleMembers.optional(),
      Admin: roleMembers.optional(),
      Editor: roleMembers.optional(),
      Viewer: roleMembers.optional(),
    })
    .default({ Viewer: "*" }),
  /** Hide the user-name and password form, leaving sign-in through the issuer only; turn on after the first deploy. @default false */
  disableLoginForm: z.boolean().default(false),
  /** Send visitors straight to the issuer instead of Grafana's sign-in page. @default false */
  autoLogin: z.boolean().default(false),
});
export type GrafanaSsoSpec = z.infer<typeof grafanaSsoSpec>;

export const postgresSslModes = ["require", "verify-full", "disable"] as const;

export const grafanaDatabaseSpec = z.strictObject({
  /** PostgreSQL server as host or host:port, such as grafana-db.abc123.eu-west-1.rds.amazonaws.com:5432. */
  host: z
    .string({ error: "expected a host or host:port such as grafana-db.internal:5432" })
    .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?$/, { error: "expected a host or host:port such as grafana-db.internal:5432" }),
  /** Database name. */
  name: z.string({ error: "expected a database name such as grafana" }).regex(/^[A-Za-z_][A-Za-z0-9_$-]*$/, { error: "expected a database name such as grafana" }),
  /** User Grafana signs in as; its password is the secret `grafanaDatabasePassword`. */
  user: z.string({ error: "expected a database user such as grafana" }).min(1, { error: "expected a database user such as grafana" }),
  /** @default "require" */
  sslMode: z.enum(postgresSslModes, { error: "expected require, verify-full or disable" }).default("require"),
});
export type GrafanaDatabaseSpec = z.infer<typeof grafanaDatabaseSpec>;

/** The port of `grafana.database.host`: the one given, else PostgreSQL's 5432. */
export function postgresPort(host: string): number {
  const port = /:(\d+)$/.exec(host);
  return port ? Number(port[1]) : 5432;
}

/** Where Grafana reads its secrets, on both platforms (uploaded files on Docker, a mounted Secret on Kubernetes). */
export const grafanaSecretFiles = {
  dir: "/etc/grafana-secrets",
  grafanaOidcClientSecret: "/etc/grafana-secrets/oidc-client-secret",
  grafanaDatabasePassword: "/etc/grafana-secrets/database-password",
} as const;
/** The Secret holding them on Kubernetes, by key (the file names above). */
export const grafanaSecretName = "watchpost-grafana-secrets";
/** Keyed by the stack's secret names (`watchpost:grafanaOidcClientSecret`, …). */
export const grafanaSecretKeys = { grafanaOidcClientSecret: "oidc-client-secret", grafanaDatabasePassword: "database-password" } as const;

/** What Grafana's sign-in and database settings are made from: the spec, and the issuer's gate of `ingress.auth`. */
export interface GrafanaAuthInput {
  sso?: GrafanaSsoSpec;
  /** Email domains that may sign in (`ingress.auth.emailDomains`); empty: any account of the issuer. */
  emailDomains?: string[];
  database?: GrafanaDatabaseSpec;
}

const bareIdentifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A claim as a JMESPath identifier: bare where it can be, else a quoted identifier (a JSON string). */
function identifier(name: string): string {
  return bareIdentifier.test(name) ? name : JSON.stringify(name);
}

/** A JMESPath raw string literal: `'…'`, with `'` escaped. Backslashes are refused by the spec. */
function rawString(value: string): string {
  return `'${value.replace(/'/g, "\\'")}'`;
}

/** The groups claim as a JMESPath expression that always yields an array (a missing claim: `[null]`, a single string: `[string]`). */
export function groupsExpression(claim: string | string[]): string {
  const path = (Array.isArray(claim) ? claim : [claim]).map(identifier).join(".");
  return `to_array(${path})`;
}

/**
 * Grafana's `role_attribute_path`: the highest role whose groups the token lists, checked in order
 * GrafanaAdmin, Admin, Editor, Viewer; `"*"` ends the chain with that role for everyone left. An
 * account matching nothing yields `false`, which `role_attribute_strict` turns into a refusal.
 */
export function roleAttributePath(roles: GrafanaSsoSpec["roles"], groupsClaim: GrafanaSsoSpec["groupsClaim"]): string {
  const groups = groupsExpression(groupsClaim);
  const terms: string[] = [];
  for (const role of grafanaRoles) {
    const members = roles[role];
    if (members === undefined) continue;
    if (members === "*") {
      terms.push(rawString(role));
      break;
    }
    const test = members.map((group) => `contains(${groups}, ${rawString(group)})`).join(" || ");
    terms.push(`${members.length > 1 ? `(${test})` : test} && ${rawString(role)}`);
  }
  const expression = terms.join(" || ");
  // A lone literal ('Viewer' for everyone) would start and end with a quote, which an ini parser may strip.
  return expression.startsWith("'") ? `(${expression})` : expression;
}

/** A role listed after a role given to everyone (`"*"`): no account can ever reach it. */
export function unreachableRoles(roles: GrafanaSsoSpec["roles"]): { role: GrafanaRole; after: GrafanaRole }[] {
  const out: { role: GrafanaRole; after: GrafanaRole }[] = [];
  let everyone: GrafanaRole | undefined;
  for (const role of grafanaRoles) {
    if (roles[role] === undefined) continue;
    if (everyone) out.push({ role, after: everyone });
    else if (roles[role] === "*") everyone = role;
  }
  return out;
}

/** One Grafana setting value as grafana.ini and GF_ variables carry it. */
type IniValue = string | boolean;
export type IniSections = Record<string, Record<string, IniValue>>;

/**
 * The `grafana.ini` sections of the sign-in and the database; empty when neither is configured.
 * Secrets as `$__file{…}`, which Grafana expands when it reads its configuration.
 */
export function grafanaAuthIni(input: GrafanaAuthInput): IniSections {
  const out: IniSections = {};
  const sso = input.sso;
  if (sso) {
    out["auth.generic_oauth"] = {
      enabled: true,
      name: "SSO",
      client_id: sso.clientId,
      client_secret: `$__file{${grafanaSecretFiles.grafanaOidcClientSecret}}`,
      scopes: sso.scopes.join(" "),
      auth_url: sso.authUrl,
      token_url: sso.tokenUrl,
      api_url: sso.apiUrl,
      use_pkce: true,
      // Accounts are made on first sign-in; who may sign in at all is the role mapping's call.
      allow_sign_up: true,
      auto_login: sso.autoLogin,
      allowed_domains: (input.emailDomains ?? []).join(" "),
      role_attribute_path: roleAttributePath(sso.roles, sso.groupsClaim),
      // No role, no entry: an account in none of the groups is refused rather than made a Viewer.
      role_attribute_strict: true,
      allow_assign_grafana_admin: sso.roles.GrafanaAdmin !== undefined,
      // Roles follow the issuer's groups at every sign-in; a role changed in the UI does not stick.
      skip_org_role_sync: false,
    };
    out.auth = { disable_login_form: sso.disableLoginForm };
  }
  const db = input.database;
  if (db) {
    out.database = {
      type: "postgres",
      host: db.host,
      name: db.name,
      user: db.user,
      password: `$__file{${grafanaSecretFiles.grafanaDatabasePassword}}`,
      ssl_mode: db.sslMode,
    };
  }
  return out;
}

/**
 * The same settings as the Docker container's environment: `GF_<SECTION>_<KEY>`, with `.` and `-` as
 * `_`. Secrets stay `$__file{…}`: Grafana expands its environment overrides as it expands its file,
 * so neither the container's configuration nor any process environment holds a value.
 */
export function grafanaAuthEnv(input: GrafanaAuthInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [section, keys] of Object.entries(grafanaAuthIni(input)))
    for (const [key, value] of Object.entries(keys)) env[`GF_${section}_${key}`.replace(/[.-]/g, "_").toUpperCase()] = String(value);
  return env;
}

/** The sections as grafana.ini text, for review (synth); the chart writes the same from its values. */
export function renderIni(sections: IniSections): string {
  return Object.entries(sections)
    .map(([section, keys]) => [`[${section}]`, ...Object.entries(keys).map(([key, value]) => `${key} = ${String(value)}`)].join("\n"))
    .join("\n\n")
    .concat("\n");
}

/** Which secret files Grafana reads, by secret: what the platform mounts. */
export function grafanaSecretsUsed(input: GrafanaAuthInput): Array<keyof typeof grafanaSecretKeys> {
  return [...(input.sso ? ["grafanaOidcClientSecret" as const] : []), ...(input.database ? ["grafanaDatabasePassword" as const] : [])];
}
