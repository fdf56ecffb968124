/** Grafana's secret values on both platforms: which ones the sign-in and the database need, each checked present. */
import * as pulumi from "@pulumi/pulumi";
import { grafanaSecretsUsed } from "../grafana/sso";
import type { PrometheusStackArgs } from "./args";

/** Grafana's secrets by stack secret name, as the platform places them; a missing one is named with its property. */
export function grafanaSecretValues(grafana: PrometheusStackArgs["grafana"]): Partial<Record<ReturnType<typeof grafanaSecretsUsed>[number], pulumi.Input<string>>> {
  const values = { grafanaOidcClientSecret: grafana.oidcClientSecret, grafanaDatabasePassword: grafana.databasePassword };
  const property = { grafanaOidcClientSecret: "grafana.oidcClientSecret", grafanaDatabasePassword: "grafana.databasePassword" } as const;
  const out: Partial<Record<keyof typeof values, pulumi.Input<string>>> = {};
  for (const key of grafana.auth ? grafanaSecretsUsed(grafana.auth) : []) {
    const value = values[key];
    if (value === undefined)
      throw new pulumi.InputPropertyError({
        propertyPath: property[key],
        reason: `is required with grafana.auth.${key === "grafanaOidcClientSecret" ? "sso" : "database"}: Grafana reads it from a file (secret watchpost:${key})`,
      });
    out[key] = value;
  }
  return out;
}
