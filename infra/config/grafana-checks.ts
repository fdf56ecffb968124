/**
 * The checks of Grafana's sign-in and database that span slices: the issuer and email domains
 * come from `ingress.auth`, the credentials from secrets, and a role mapping nobody can reach
 * is a mistake to name before anything is deployed.
 */
import { grafanaRoles, unreachableRoles } from "../../components/grafana/sso";
import { type ConfigProblem, keyPath } from "./problems";
import { type SecretKey, type StackConfig, secretHint } from "./schema";

export function grafanaProblems(cfg: StackConfig, has: (key: SecretKey) => boolean): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const { sso, database } = cfg.grafana;
  if (sso) {
    const auth = cfg.ingress.auth;
    if (!auth)
      problems.push({
        key: keyPath(["grafana", "sso"]),
        value: { clientId: sso.clientId },
        message:
          "needs ingress.auth: Grafana signs in at the same issuer and lets in the same email domains as the sign-in in front of Prometheus and Alertmanager; set ingress.auth {issuerUrl, clientId, emailDomains}",
      });
    else if (auth.clientId === sso.clientId)
      problems.push({
        key: keyPath(["grafana", "sso", "clientId"]),
        value: sso.clientId,
        message:
          "is ingress.auth.clientId, oauth2-proxy's client; register a separate client for Grafana at the issuer (redirect URI https://grafana.<domain>/login/generic_oauth) and give its id here",
      });
    if (!has("grafanaOidcClientSecret"))
      problems.push({
        key: keyPath(["grafana", "sso", "clientId"]),
        value: sso.clientId,
        message: `needs the secret watchpost:grafanaOidcClientSecret; ${secretHint("grafanaOidcClientSecret")}`,
      });
    if (grafanaRoles.every((role) => sso.roles[role] === undefined))
      problems.push({
        key: keyPath(["grafana", "sso", "roles"]),
        value: sso.roles,
        message: 'gives no role to anyone, so every sign-in would be refused; expected at least one role, such as { Admin: [platform-admins], Viewer: "*" }',
      });
    for (const { role, after } of unreachableRoles(sso.roles))
      problems.push({
        key: keyPath(["grafana", "sso", "roles", role]),
        value: sso.roles[role],
        message: `can never apply: ${after} is "*", so every account that reaches it stops there (roles are checked from GrafanaAdmin down to Viewer); list groups for ${after}, or remove ${role}`,
      });
  }
  if (database && !has("grafanaDatabasePassword"))
    problems.push({
      key: keyPath(["grafana", "database", "user"]),
      value: database.user,
      message: `needs the secret watchpost:grafanaDatabasePassword; ${secretHint("grafanaDatabasePassword")}`,
    });
  return problems;
}

/** Sign-in that would work on paper only: the issuer sends the browser back to an address it cannot open. */
export function grafanaWarnings(cfg: StackConfig): string[] {
  if (!cfg.grafana.sso || cfg.platform !== "kubernetes" || cfg.ingress.domain || cfg.grafana.rootUrl) return [];
  return [
    `${keyPath(["grafana", "sso"])} is set without ingress.domain or grafana.rootUrl: the issuer would send users back to Grafana's in-cluster address, which a browser cannot open; set ingress.domain, or grafana.rootUrl to the address your users reach Grafana at`,
  ];
}
