/**
 * Filebeat's configuration: container logs (Docker: the engine's json-file logs; Kubernetes:
 * the node's pod logs), labelled with the `service` the scrape config uses, into the
 * `app-logs-<environment>` stream, whose default pipeline parses, scrubs and routes them.
 * Filebeat loads no templates or ILM policies of its own: the setup step applies ours.
 */
import { stringify } from "yaml";
import { elasticsearchUrl, type LogStream, streamName } from "./names";
import { shipperUser } from "./setup";

const entry: LogStream = "app-logs";

function common(environment: string): Record<string, unknown> {
  return {
    "setup.template.enabled": false,
    "setup.ilm.enabled": false,
    "logging.level": "info",
    "logging.json": true,
    "http.enabled": false,
    "output.elasticsearch": { index: streamName(entry, environment) },
  };
}

/** Filebeat on Docker; `password` is the shipper user's, so the whole file is a secret upload. */
export function renderFilebeatDockerConfig(environment: string, password: string): string {
  const config = common(environment);
  return stringify(
    {
      "filebeat.inputs": [
        {
          type: "filestream",
          id: "docker-containers",
          paths: ["/var/lib/docker/containers/*/*.log"],
          parsers: [{ container: { stream: "all", format: "docker" } }],
          "prospector.scanner.symlinks": true,
        },
      ],
      processors: [
        { add_docker_metadata: { host: "unix:///var/run/docker.sock" } },
        // The label every Watchpost container carries, else Compose's service name: as Alloy sets `service`.
        { copy_fields: { fields: [{ from: "container.labels.watchpost_service", to: "service" }], fail_on_error: false, ignore_missing: true } },
        { copy_fields: { fields: [{ from: "container.labels.com_docker_compose_service", to: "service" }], fail_on_error: false, ignore_missing: true } },
      ],
      ...config,
      "output.elasticsearch": { ...(config["output.elasticsearch"] as object), hosts: [elasticsearchUrl("docker", "")], username: shipperUser, password },
    },
    { lineWidth: 0 },
  );
}

/**
 * Filebeat on Kubernetes, as the Beat resource's `config`. The operator adds the hosts and the CA
 * (`elasticsearchRef`); the user and password given here replace the operator's own Beat user,
 * whose role may write only to filebeat-* and logs-*. The password comes from the environment,
 * set from a Secret.
 */
export function filebeatKubernetesConfig(environment: string): Record<string, unknown> {
  const config = common(environment);
  return {
    "filebeat.inputs": [
      {
        type: "filestream",
        id: "kubernetes-pods",
        paths: ["/var/log/containers/*.log"],
        parsers: [{ container: {} }],
        "prospector.scanner.symlinks": true,
      },
    ],
    processors: [
      { add_kubernetes_metadata: { host: "${NODE_NAME}", matchers: [{ logs_path: { logs_path: "/var/log/containers/" } }] } },
      { copy_fields: { fields: [{ from: "kubernetes.labels.app_kubernetes_io/name", to: "service" }], fail_on_error: false, ignore_missing: true } },
    ],
    ...config,
    "output.elasticsearch": { ...(config["output.elasticsearch"] as object), username: shipperUser, password: "${FILEBEAT_PASSWORD}" },
  };
}

/** kibana.yml on Docker; `password` is kibana_system's, so the whole file is a secret upload. */
export function renderKibanaDockerConfig(password: string, publicUrl: string): string {
  return stringify(
    {
      "server.host": "0.0.0.0",
      "server.name": "kibana",
      "server.publicBaseUrl": publicUrl,
      "elasticsearch.hosts": [elasticsearchUrl("docker", "")],
      "elasticsearch.username": "kibana_system",
      "elasticsearch.password": password,
      "telemetry.optIn": false,
      "telemetry.allowChangingOptInStatus": false,
      "monitoring.ui.container.elasticsearch.enabled": true,
    },
    { lineWidth: 0 },
  );
}
