/**
 * Watchpost's public entry point: the four components, their Args types, the
 * pure renderers and the specs, for use from another Pulumi project.
 */
export { AlertRouting, type AlertRoutingArgs } from "./alerting/index";
export { renderAlertmanagerConfig, type AlertmanagerArtifacts, type AlertmanagerRenderInput } from "./alerting/render";
export { alertmanagerSpec, notificationsSpec, routingSpec, type NotificationsSpec, type RoutingSpec } from "./alerting/spec";
export * as conventions from "./conventions";
export { grafanaDatasources, renderGrafanaDashboardProvider, renderGrafanaDatasources, type Datasource } from "./grafana/render";
export { LoggingStack, type LoggingStackArgs } from "./logging/index";
export { ElasticLogging, type ElasticLoggingArgs } from "./logging/elk/index";
export { elkSetupRequests, type SetupRequest } from "./logging/elk/setup";
export { renderAlloyConfig, renderLokiConfig } from "./logging/render";
export { elasticsearchSpec, loggingSpec, type ElasticsearchSpec, type LoggingSpec } from "./logging/spec";
export { imagesSpec, pulledImage, type ImagesSpec } from "./platform/mirror";
export type { DockerTarget, KubernetesTarget, PlatformTarget } from "./platform/targets";
export { PrometheusStack, type PrometheusStackArgs, type RuleFileData } from "./prometheus/index";
export { remoteWriteSpecs } from "./prometheus/kubernetes";
export { PrometheusBackup, type PrometheusBackupArgs } from "./production/backup";
export { PublicAccess, type PublicAccessArgs } from "./production/ingress";
export { exporterEgressPorts, fromCidrs, fromNamespaces, NetworkPolicies, type NetworkPoliciesArgs, networkPolicyPlan } from "./production/network";
export type { AwsWiring, BucketAccess } from "./production/wiring";
export { renderBlackboxConfig, renderPrometheusConfig, type PrometheusRenderInput } from "./prometheus/render";
export { planPrometheusStorage, type StoragePlan } from "./prometheus/sizing";
export { exportersSpec, grafanaSpec, probeSpec, prometheusSpec, serviceSpec, type ProbeSpec, type ServiceSpec } from "./prometheus/spec";
export { TracingStack, type TracingStackArgs } from "./tracing/index";
export { renderJaegerConfig, renderOtelCollectorConfig, renderTempoConfig } from "./tracing/render";
export { tracingSpec, type TracingSpec } from "./tracing/spec";
export { charts, images, imageUsers } from "./versions";
export { buildRuleFiles, renderRuleFiles, type RuleContext } from "../rules/index";
export { buildDashboards, renderDashboards, type DashboardContext } from "../dashboards/index";
