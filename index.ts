/**
 * Watchpost's public entry point: the four components, their Args types, the
 * pure renderers and the specs, for use from another Pulumi project.
 */
export { AlertRouting, type AlertRoutingArgs } from "./components/alerting/index";
export { renderAlertmanagerConfig, type AlertmanagerArtifacts, type AlertmanagerRenderInput } from "./components/alerting/render";
export { alertmanagerSpec, notificationsSpec, routingSpec, type NotificationsSpec, type RoutingSpec } from "./components/alerting/spec";
export * as conventions from "./model/conventions";
export { grafanaDatasources, renderGrafanaDashboardProvider, renderGrafanaDatasources, type Datasource } from "./components/grafana/render";
export { LoggingStack, type LoggingStackArgs } from "./components/logging/index";
export { ElasticLogging, type ElasticLoggingArgs } from "./components/logging/elk/index";
export { elkSetupRequests, type SetupRequest } from "./components/logging/elk/setup";
export { renderAlloyConfig, renderLokiConfig } from "./components/logging/render";
export { elasticsearchSpec, loggingSpec, type ElasticsearchSpec, type LoggingSpec } from "./components/logging/spec";
export { imagesSpec, pulledImage, type ImagesSpec } from "./components/platform/mirror";
export type { DockerTarget, KubernetesTarget, PlatformTarget } from "./components/platform/targets";
export { PrometheusStack, type PrometheusStackArgs, type RuleFileData } from "./components/prometheus/index";
export { remoteWriteSpecs } from "./components/prometheus/kubernetes";
export { PrometheusBackup, type PrometheusBackupArgs } from "./components/production/backup";
export { PublicAccess, type PublicAccessArgs } from "./components/production/ingress";
export { exporterEgressPorts, fromCidrs, fromNamespaces, NetworkPolicies, type NetworkPoliciesArgs, networkPolicyPlan } from "./components/production/network";
export type { AwsWiring, BucketAccess } from "./components/production/wiring";
export { renderBlackboxConfig, renderPrometheusConfig, type PrometheusRenderInput } from "./components/prometheus/render";
export { planPrometheusStorage, type StoragePlan } from "./components/prometheus/sizing";
export { exportersSpec, grafanaSpec, probeSpec, prometheusSpec, serviceSpec, type ProbeSpec, type ServiceSpec } from "./components/prometheus/spec";
export { TracingStack, type TracingStackArgs } from "./components/tracing/index";
export { renderJaegerConfig, renderOtelCollectorConfig, renderTempoConfig } from "./components/tracing/render";
export { tracingSpec, type TracingSpec } from "./components/tracing/spec";
export { charts, images, imageUsers } from "./model/versions";
export type { RuleContext } from "./rules/index";
export { alertNames, buildDashboards, buildRuleFiles, renderDashboards, renderRuleFiles } from "./components/catalogue";
export type { DashboardContext } from "./dashboards/index";
