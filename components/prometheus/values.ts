/**
 * kube-prometheus-stack values, as a pure function. Every key here exists in
 * the chart's own values.yaml (a test walks them against the reference copy).
 */
import { labels } from "../conventions";
import type { Datasource } from "../grafana/render";
import { kubeResources, type ResourceOverrides, resourcesFor } from "../platform/targets";
import { imageParts } from "../versions";

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
  storageClass: string;
  /** Name and key of the Secret holding `additionalScrapeConfigs`. */
  additionalScrapeConfigs: { name: string; key: string };
  remoteWrite: Array<Record<string, unknown>>;
  /** Service account annotations (IRSA role for SigV4 remote write). */
  serviceAccountAnnotations?: Record<string, string>;
  grafana: {
    adminSecretName: string;
    datasources: Datasource[];
    rootUrl: string;
    volumeSize: string;
    env: Record<string, string>;
  };
  resources?: ResourceOverrides;
}

const restrictedContainer = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

const restrictedPod = { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } };

export function kubePrometheusStackValues(input: KubePrometheusValuesInput): Record<string, unknown> {
  const prometheusImage = imageParts("prometheus");
  return {
    // CRDs are applied on their own, before the chart (see PrometheusStack).
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
      serviceAccount: { annotations: input.serviceAccountAnnotations ?? {} },
      prometheusSpec: {
        image: { registry: "quay.io", repository: prometheusImage.repository, tag: prometheusImage.tag },
        replicas: input.replicas,
        replicaExternalLabelName: labels.replica,
        externalLabels: { [labels.environment]: input.environment, [labels.cluster]: input.clusterLabel },
        scrapeInterval: input.scrapeInterval,
        evaluationInterval: input.evaluationInterval,
        retention: input.retention,
        retentionSize: input.retentionSize,
        // Select every ServiceMonitor, PodMonitor, Probe and PrometheusRule, not only the chart's own.
        ruleSelectorNilUsesHelmValues: false,
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        probeSelectorNilUsesHelmValues: false,
        additionalScrapeConfigsSecret: { enabled: true, ...input.additionalScrapeConfigs },
        alertingEndpoints: [{ namespace: input.namespace, name: "alertmanager-operated", port: "http-web", apiVersion: "v2" }],
        remoteWrite: input.remoteWrite,
        resources: kubeResources(resourcesFor("prometheus", input.resources)),
        securityContext: restrictedPod,
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
      persistence: { enabled: true, type: "pvc", storageClassName: input.storageClass, size: input.grafana.volumeSize },
      resources: kubeResources(resourcesFor("grafana", input.resources)),
      env: input.grafana.env,
      "grafana.ini": {
        server: { root_url: input.grafana.rootUrl },
        "auth.anonymous": { enabled: false },
        users: { allow_sign_up: false },
        analytics: { reporting_enabled: false, check_for_updates: false },
      },
      sidecar: {
        dashboards: { enabled: true, label: "grafana_dashboard", labelValue: "1", searchNamespace: input.namespace },
        // Our datasources carry fixed uids; the chart's default ones would not.
        datasources: { enabled: true, defaultDatasourceEnabled: false, alertmanager: { enabled: false } },
      },
      additionalDataSources: input.grafana.datasources,
    },
    prometheusOperator: {
      resources: kubeResources({ memory: "256Mi", cpu: "0.2" }),
      containerSecurityContext: restrictedContainer,
    },
    "kube-state-metrics": { resources: kubeResources({ memory: "128Mi", cpu: "0.1" }) },
    "prometheus-node-exporter": { resources: kubeResources(resourcesFor("nodeExporter", input.resources)) },
    extraManifests: null,
  };
}
