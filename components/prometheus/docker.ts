/** PrometheusStack on the Docker engine. */
import type * as pulumi from "@pulumi/pulumi";
import { configPaths, ports } from "../../model/conventions";
import { grafanaSettings, grafanaStartWithAdminPassword } from "../grafana/render";
import { grafanaAuthEnv, grafanaSecretFiles } from "../grafana/sso";
import { grafanaElasticsearchFiles } from "../logging/elk/names";
import { dockerService, publishedUrl } from "../platform/docker";
import { configuredExporters, exporterSecret } from "../exporters/index";
import { type DockerTarget, type ResourceName, resourcesFor } from "../platform/targets";
import { type PrometheusStackArgs, prometheusStackDefaults } from "./args";
import { grafanaSecretValues } from "./grafana-secrets";
import { alertForGracePeriod } from "./flags";
import { remoteWriteSecretFiles } from "./render";

const wget = (port: number, path: string) => ["wget", "-q", "--spider", `http://127.0.0.1:${port}${path}`];

export function createDockerPrometheus(parent: pulumi.Resource, name: string, args: PrometheusStackArgs, target: DockerTarget) {
  const r = (n: Parameters<typeof resourcesFor>[0]) => resourcesFor(n, args.resources);
  const ruleFiles = Object.fromEntries(args.rules.map((f) => [`${configPaths.prometheusRulesDir}/${f.name}`, f.content]));
  dockerService(parent, `${name}-prometheus`, target, {
    alias: "prometheus",
    image: "prometheus",
    command: [
      `--config.file=${configPaths.prometheusDir}/prometheus.yml`,
      "--storage.tsdb.path=/prometheus",
      `--storage.tsdb.retention.time=${args.retention ?? prometheusStackDefaults.retention}`,
      `--storage.tsdb.retention.size=${args.retentionSize}`,
      `--rules.alert.for-grace-period=${alertForGracePeriod}`,
    ],
    files: { [`${configPaths.prometheusDir}/prometheus.yml`]: args.prometheusConfig, ...ruleFiles },
    // Remote-write credentials, where prometheus.yml's password_file / credentials_file point.
    secretFiles: {
      ...(args.remoteWriteCredentials?.password !== undefined ? { [remoteWriteSecretFiles.remoteWritePassword]: args.remoteWriteCredentials.password } : {}),
      ...(args.remoteWriteCredentials?.bearerToken !== undefined ? { [remoteWriteSecretFiles.remoteWriteBearerToken]: args.remoteWriteCredentials.bearerToken } : {}),
    },
    ports: [{ internal: ports.prometheus, external: ports.prometheus }],
    dataPath: "/prometheus",
    // Scrapes the services and remote-write endpoints of the config, which may be on the host.
    reachesHost: true,
    healthcheck: wget(ports.prometheus, "/-/healthy"),
    resources: r("prometheus"),
  });
  dockerService(parent, `${name}-node-exporter`, target, {
    alias: "node-exporter",
    image: "nodeExporter",
    command: ["--path.rootfs=/host", "--path.procfs=/host/proc", "--path.sysfs=/host/sys"],
    hostMounts: [{ hostPath: "/", containerPath: "/host" }],
    healthcheck: wget(ports.nodeExporter, "/metrics"),
    resources: r("nodeExporter"),
  });
  dockerService(parent, `${name}-cadvisor`, target, {
    alias: "cadvisor",
    image: "cadvisor",
    command: ["--docker_only=true", "--housekeeping_interval=15s", "--store_container_labels=false", "--whitelisted_container_labels=watchpost.service"],
    hostMounts: [
      { hostPath: "/", containerPath: "/rootfs" },
      { hostPath: "/var/run", containerPath: "/var/run" },
      { hostPath: "/sys", containerPath: "/sys" },
      { hostPath: "/var/lib/docker", containerPath: "/var/lib/docker" },
    ],
    // cAdvisor reads cgroups of every container; the image documents running privileged.
    privileged: true,
    healthcheck: wget(ports.cadvisor, "/healthz"),
    resources: r("cadvisor"),
  });
  dockerService(parent, `${name}-blackbox-exporter`, target, {
    alias: "blackbox-exporter",
    image: "blackboxExporter",
    command: [`--config.file=${configPaths.blackboxConfig}`],
    files: { [configPaths.blackboxConfig]: args.blackboxConfig },
    // Probes the configured endpoints, which may be on the host.
    reachesHost: true,
    healthcheck: wget(ports.blackboxExporter, "/-/healthy"),
    resources: r("blackboxExporter"),
  });
  createDockerExporters(parent, name, args, target);

  const grafanaFiles: Record<string, string> = {
    [`${configPaths.grafanaProvisioning}/datasources/watchpost.yaml`]: args.grafana.datasourcesYaml,
    [`${configPaths.grafanaProvisioning}/dashboards/watchpost.yaml`]: args.grafana.dashboardProviderYaml,
    ...Object.fromEntries(Object.entries(args.grafana.dashboards).map(([file, json]) => [`${configPaths.grafanaDashboards}/${file}`, json])),
    ...Object.fromEntries(
      (args.grafana.folders ?? []).flatMap((folder) =>
        Object.entries(folder.dashboards).map(([file, json]) => [`${configPaths.grafanaTeamDashboards}/${folder.directory}/${file}`, json]),
      ),
    ),
  };
  const passwordFile = "/run/secrets/grafana-admin-password";
  const auth = args.grafana.auth;
  // The OIDC client secret and the database password, where the settings' $__file{…} read them.
  const authSecretFiles = Object.fromEntries(
    Object.entries(grafanaSecretValues(args.grafana)).map(([key, value]) => [grafanaSecretFiles[key as keyof typeof grafanaSecretFiles], value]),
  );
  dockerService(parent, `${name}-grafana`, target, {
    alias: "grafana",
    image: "grafana",
    // The admin password follows the secret file even where a kept volume holds an older database.
    entrypoint: ["/bin/sh", "-c"],
    command: [grafanaStartWithAdminPassword(passwordFile, undefined, auth?.database !== undefined)],
    envs: {
      GF_SECURITY_ADMIN_USER: args.grafana.adminUser,
      GF_SECURITY_ADMIN_PASSWORD__FILE: passwordFile,
      ...grafanaSettings(args.grafana.rootUrl),
      // Sign-in and database settings over the defaults above (GF_AUTH_DISABLE_LOGIN_FORM among them).
      ...(auth ? grafanaAuthEnv(auth) : {}),
    },
    files: grafanaFiles,
    secretFiles: {
      [passwordFile]: args.grafana.adminPassword,
      ...authSecretFiles,
      // The Elasticsearch logs datasource reads it with $__file{…}.
      ...(args.logsElasticsearch?.password !== undefined ? { [grafanaElasticsearchFiles.password]: args.logsElasticsearch.password } : {}),
    },
    ports: [{ internal: ports.grafana, external: ports.grafana }],
    dataPath: "/var/lib/grafana",
    healthcheck: wget(ports.grafana, "/api/health"),
    resources: r("grafana"),
  });
  return {
    prometheusPublicUrl: publishedUrl(target, ports.prometheus),
    grafanaPublicUrl: publishedUrl(target, ports.grafana),
  };
}

/** The exporters the stack configures, each as its registry entry places it. */
function createDockerExporters(parent: pulumi.Resource, name: string, args: PrometheusStackArgs, target: DockerTarget) {
  for (const exporter of configuredExporters(args.exporters)) {
    const { config, process } = exporter;
    if (!process) continue;
    const placement = process.docker(config, exporterSecret(exporter, args.exporterSecrets ?? {}));
    dockerService(parent, `${name}-${process.name}`, target, {
      alias: process.name,
      image: process.image,
      // Reaches its service, which may be on the host.
      reachesHost: true,
      ...placement,
      resources: resourcesFor(process.resourceName as ResourceName, args.resources),
    });
  }
}
