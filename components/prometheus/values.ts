/**
 * kube-prometheus-stack values, as a pure function. Every key here exists in
 * the chart's own values.yaml (a test walks them against the reference copy).
 */
import { labels, serviceAccounts } from "../../model/conventions";
import { teamFolderObjectName } from "../grafana/dashboards";
import { type Datasource, grafanaAdminPasswordReset, type TeamFolderRef, teamDashboardProviders } from "../grafana/render";
import { type GrafanaAuthInput, grafanaAuthIni, grafanaSecretFiles, grafanaSecretName, grafanaSecretsUsed } from "../grafana/sso";
import { eckSecrets, grafanaElasticsearchFiles } from "../logging/elk/names";
import { restrictedContainer, restrictedPod } from "../platform/security";
import { kubeResources, type ResourceOverrides, resourcesFor } from "../platform/targets";
import { chartImageViaMirror, pulledImageParts } from "../platform/mirror";
import { alertForGracePeriod } from "./flags";
import { operatedServices } from "../../model/addresses";

export interface KubePrometheusValuesInput {
  namespace: string;
  environment: string;
  clusterLabel: string;
  replicas: number;
  scrapeInterval: string;
  evaluationInterval: string;
  retention: string;
  retentionSize: string;
  volumeSize: string;
  /** @default the cluster's default StorageClass */
  storageClass?: string;
  /** Name and key of the Secret holding `additionalScrapeConfigs`. */
  additionalScrapeConfigs: { name: string; key: string };
  remoteWrite: Array<Record<string, unknown>>;
  /** Prometheus service account annotations (IRSA role for SigV4 remote write to AMP). */
  serviceAccountAnnotations?: Record<string, unknown>;
  /** Namespace of the node exporter DaemonSet (it needs host access, so not the restricted monitoring namespace). */
  agentsNamespace?: string;
  /** The TSDB admin API, for the snapshot backup CronJob. */
  enableAdminAPI: boolean;
  grafana: {
    adminSecretName: string;
    datasources: Datasource[];
    rootUrl: string;
    volumeSize: string;
    env: Record<string, string>;
    /** Mount the ECK operator's `elastic` user and CA Secrets for the Elasticsearch logs datasource. @default false */
    elasticsearchSecrets?: boolean;
    /**
     * The teams' dashboard folders: a provider each (`dashboardProviders`) with the folder's fixed uid, reading
     * the folder's ConfigMap (`teamFolderObjectName`) mounted by the chart (`dashboardsConfigMaps`). @default []
     */
    teamFolders?: TeamFolderRef[];
    /** Sign-in with OIDC and the external database: grafana.ini sections, the Secret `grafanaSecretName` mounted. @default none */
    auth?: GrafanaAuthInput;
  };
  resources?: ResourceOverrides;
  /** Registry mirror every image is pulled through, the charts' own included. @default none */
  registryMirror?: string;
}

/** Where the Grafana chart mounts a `dashboardsConfigMaps` entry: `<this>/<its key>`, where the provider must read it. */
export const chartDashboardsDir = "/var/lib/grafana/dashboards";

/**
 * The teams' folders in the Grafana chart's values: one file provider per folder, with the folder's fixed
 * uid (so its permissions can name it), each reading the folder's ConfigMap that the chart mounts at
 * `<chartDashboardsDir>/<folder uid>`. The stack's own dashboards stay with the sidecar.
 */
export function teamFolderValues(folders: readonly TeamFolderRef[]) {
  if (folders.length === 0) return {};
  return {
    dashboardProviders: { "watchpost-teams.yaml": { apiVersion: 1, providers: teamDashboardProviders(folders, chartDashboardsDir, (f) => f.uid) } },
    // Keyed by the folder's uid (at most 40 characters): the chart names the volume `dashboards-<key>`, a 63-character label.
    dashboardsConfigMaps: Object.fromEntries(folders.map((f) => [f.uid, teamFolderObjectName(f.directory)])),
  };
}

/**
 * The Role Grafana's dashboard and datasource sidecars run with: read ConfigMaps in the monitoring
 * namespace, nothing else. The chart's default is a ClusterRole over every ConfigMap and Secret of
 * the cluster, and its own namespaced Role still includes Secrets; PrometheusStack makes this one.
 */
export const grafanaSidecarRole = {
  name: "watchpost-grafana-sidecar",
  rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] }],
} as const;

/** `nobody`, the user of the Prometheus, operator and kube-state-metrics images. */
const nobody = 65534;
/** The Grafana image's user. */
const grafanaUid = 472;

/** The Secret with Grafana's OIDC client secret and database password, where grafana.ini's `$__file{…}` reads them. */
const grafanaSecretsMount = { name: "grafana-secrets", secretName: grafanaSecretName, mountPath: grafanaSecretFiles.dir, readOnly: true, defaultMode: 0o440 };

/**
 * What Grafana's sign-in and database add to its values. With the external database Grafana keeps
 * nothing on a volume, so it runs two replicas (sessions and users live in the database) without one.
 */
function grafanaAuthValues(auth: GrafanaAuthInput | undefined) {
  const secrets = auth !== undefined && grafanaSecretsUsed(auth).length > 0;
  const externalDatabase = auth?.database !== undefined;
  return { secrets, externalDatabase, ini: auth ? grafanaAuthIni(auth) : {} };
}

export function kubePrometheusStackValues(input: KubePrometheusValuesInput): Record<string, unknown> {
  const mirror = input.registryMirror;
  const auth = grafanaAuthValues(input.grafana.auth);
  const elasticsearchMounts = input.grafana.elasticsearchSecrets
    ? [
        { name: "elasticsearch-user", secretName: eckSecrets.elasticUser, mountPath: grafanaElasticsearchFiles.passwordDir, readOnly: true, defaultMode: 0o440 },
        { name: "elasticsearch-ca", secretName: eckSecrets.httpCa, mountPath: grafanaElasticsearchFiles.caDir, readOnly: true },
      ]
    : [];
  const secretMounts = [...elasticsearchMounts, ...(auth.secrets ? [grafanaSecretsMount] : [])];
  const prometheusImage = pulledImageParts("prometheus", mirror);
  const grafanaImage = pulledImageParts("grafana", mirror);
  return {
    // CRDs come from the prometheus-operator-crds release, installed before this chart (see PrometheusStack).
    crds: { enabled: false },
    // Watchpost ships its own catalogue, each alert with a runbook in this repository.
    defaultRules: { create: false },
    // Alertmanager is AlertRouting's: its own CR, config Secret and PDB.
    alertmanager: { enabled: false },
    // EKS does not expose these control-plane components: scraping them only produces TargetDown noise.
    kubeControllerManager: { enabled: false },
    kubeScheduler: { enabled: false },
    kubeProxy: { enabled: false },
    kubeEtcd: { enabled: false },
    prometheus: {
      podDisruptionBudget: { enabled: input.replicas > 1, minAvailable: 1 },
      // A fixed name: the IRSA role for AMP remote write trusts exactly this service account.
      serviceAccount: { create: true, name: serviceAccounts.prometheus, annotations: input.serviceAccountAnnotations ?? {} },
      prometheusSpec: {
        image: { registry: prometheusImage.registry, repository: prometheusImage.path, tag: prometheusImage.tag },
        replicas: input.replicas,
        replicaExternalLabelName: labels.replica,
        externalLabels: { [labels.environment]: input.environment, [labels.cluster]: input.clusterLabel },
        scrapeInterval: input.scrapeInterval,
        evaluationInterval: input.evaluationInterval,
        retention: input.retention,
        retentionSize: input.retentionSize,
        additionalArgs: [{ name: "rules.alert.for-grace-period", value: alertForGracePeriod }],
        // Select every ServiceMonitor, PodMonitor, Probe and PrometheusRule, not only the chart's own.
        ruleSelectorNilUsesHelmValues: false,
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        probeSelectorNilUsesHelmValues: false,
        additionalScrapeConfigsSecret: { enabled: true, ...input.additionalScrapeConfigs },
        alertingEndpoints: [{ namespace: input.namespace, name: operatedServices.alertmanager, port: "http-web", apiVersion: "v2" }],
        remoteWrite: input.remoteWrite,
        // Only the snapshot endpoint is used (backup CronJob); the API is reachable inside the cluster
        // only, and the network policies admit just Grafana, oauth2-proxy and the backup job.
        enableAdminAPI: input.enableAdminAPI,
        resources: kubeResources(resourcesFor("prometheus", input.resources)),
        securityContext: restrictedPod(nobody),
        // The StatefulSet keeps its claims when it is deleted or scaled down (the TSDB lives there).
        persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
        storageSpec: {
          volumeClaimTemplate: {
            spec: {
              storageClassName: input.storageClass,
              accessModes: ["ReadWriteOnce"],
              resources: { requests: { storage: input.volumeSize } },
            },
          },
        },
      },
    },
    grafana: {
      enabled: true,
      defaultDashboardsEnabled: false,
      admin: { existingSecret: input.grafana.adminSecretName, userKey: "admin-user", passwordKey: "admin-password" },
      // The claim outlives `pulumi destroy` (below), the generated password does not: before
      // Grafana starts, an existing database gets the password of the current Secret, so the
      // stack output's password is the one Grafana accepts (components/grafana/render.ts).
      // Grafana and the init container run the pinned image, so the CLI matches the database.
      image: { registry: grafanaImage.registry, repository: grafanaImage.path, tag: grafanaImage.tag },
      extraContainerVolumes: [
        { name: "admin-password", secret: { secretName: input.grafana.adminSecretName, items: [{ key: "admin-password", path: "admin-password" }], defaultMode: 0o440 } },
      ],
      extraInitContainers: [
        {
          name: "reset-admin-password",
          image: `${grafanaImage.repository}:${grafanaImage.tag}`,
          command: ["/bin/sh", "-c", grafanaAdminPasswordReset("/etc/grafana-admin/admin-password", auth.externalDatabase)],
          env: [{ name: "GF_PATHS_DATA", value: "/var/lib/grafana" }],
          volumeMounts: [
            { name: "storage", mountPath: "/var/lib/grafana" },
            { name: "config", mountPath: "/etc/grafana/grafana.ini", subPath: "grafana.ini" },
            { name: "admin-password", mountPath: "/etc/grafana-admin", readOnly: true },
            // The CLI reads grafana.ini, whose $__file{…} values (the database password) must resolve.
            ...(auth.secrets ? [{ name: grafanaSecretsMount.name, mountPath: grafanaSecretsMount.mountPath, readOnly: true }] : []),
          ],
          securityContext: { ...restrictedContainer, readOnlyRootFilesystem: false },
          resources: kubeResources({ memory: "128Mi", cpu: "0.1" }),
        },
      ],
      ...(auth.externalDatabase ? { replicas: 2, podDisruptionBudget: { minAvailable: 1 } } : {}),
      persistence: auth.externalDatabase
        ? // Nothing to keep on a volume: the database is external, and a ReadWriteOnce claim cannot serve two replicas.
          { enabled: false }
        : {
            enabled: true,
            type: "pvc",
            storageClassName: input.storageClass,
            size: input.grafana.volumeSize,
            // Helm deletes the PVCs it templates on uninstall; this one holds Grafana's database, so it stays.
            annotations: { "helm.sh/resource-policy": "keep" },
          },
      resources: kubeResources(resourcesFor("grafana", input.resources)),
      securityContext: restrictedPod(grafanaUid),
      // Grafana writes plugins, sessions and temp files outside its volume, so its root filesystem stays writable.
      containerSecurityContext: { ...restrictedContainer, readOnlyRootFilesystem: false },
      // The chown init container runs as root with CHOWN; fsGroup gives the volume to Grafana's group instead.
      initChownData: { enabled: false },
      testFramework: { enabled: false },
      env: input.grafana.env,
      // The Elasticsearch logs datasource reads the operator's `elastic` password and CA with $__file{…};
      // the sign-in and the database their secrets the same way.
      ...(secretMounts.length > 0 ? { extraSecretMounts: secretMounts } : {}),
      "grafana.ini": {
        server: { root_url: input.grafana.rootUrl },
        "auth.anonymous": { enabled: false },
        users: { allow_sign_up: false },
        analytics: { reporting_enabled: false, check_for_updates: false },
        ...auth.ini,
      },
      // Namespaced RBAC with our ConfigMap-only Role: the sidecars watch this namespace's ConfigMaps
      // (dashboards, and the datasources ConfigMap the chart writes), never Secrets or other namespaces.
      rbac: { namespaced: true, useExistingRole: grafanaSidecarRole.name },
      sidecar: {
        ...chartImageViaMirror("quay.io", mirror),
        resources: kubeResources({ memory: "128Mi", cpu: "0.1" }),
        dashboards: {
          enabled: true,
          label: "grafana_dashboard",
          labelValue: "1",
          searchNamespace: input.namespace,
          resource: "configmap",
        },
        // Our datasources carry fixed uids; the chart's default ones would not.
        datasources: { enabled: true, defaultDatasourceEnabled: false, alertmanager: { enabled: false }, searchNamespace: input.namespace, resource: "configmap" },
      },
      additionalDataSources: input.grafana.datasources,
      ...teamFolderValues(input.grafana.teamFolders ?? []),
    },
    prometheusOperator: {
      ...chartImageViaMirror("quay.io", mirror),
      resources: kubeResources({ memory: "256Mi", cpu: "0.2" }),
      securityContext: restrictedPod(nobody),
      containerSecurityContext: restrictedContainer,
      // The operator gives these to the config-reloader sidecar of every Prometheus and Alertmanager pod.
      prometheusConfigReloader: { ...chartImageViaMirror("quay.io", mirror), resources: kubeResources({ memory: "64Mi", cpu: "0.1" }) },
      admissionWebhooks: { patch: { ...chartImageViaMirror("ghcr.io", mirror), resources: kubeResources({ memory: "64Mi", cpu: "0.1" }) } },
    },
    "kube-state-metrics": {
      ...chartImageViaMirror("registry.k8s.io", mirror),
      resources: kubeResources({ memory: "128Mi", cpu: "0.1" }),
      securityContext: { enabled: true, ...restrictedPod(nobody) },
      containerSecurityContext: restrictedContainer,
    },
    "prometheus-node-exporter": {
      // hostNetwork, hostPID and the host root filesystem: Pod Security "privileged" only, so it runs in
      // its own namespace and the monitoring namespace can enforce "restricted".
      ...(input.agentsNamespace ? { namespaceOverride: input.agentsNamespace } : {}),
      ...chartImageViaMirror("quay.io", mirror),
      resources: kubeResources(resourcesFor("nodeExporter", input.resources)),
    },
    extraManifests: null,
  };
}
