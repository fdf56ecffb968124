/**
 * Grafana provisioning: datasources with fixed uids and trace/log cross-links,
 * and the dashboard provider. Credentials never appear here: the admin
 * password reaches Grafana as a file (GF_SECURITY_ADMIN_PASSWORD__FILE).
 */
import { stringify } from "yaml";
import { configPaths, datasourceUids } from "../../model/conventions";
import type { TracingBackend } from "../../model/vocabulary";
import { elasticUser, grafanaElasticsearchFiles, logStreams } from "../logging/elk/names";

export interface GrafanaRenderInput {
  /** In-stack base URLs of each backend. */
  prometheusUrl: string;
  alertmanagerUrl: string;
  lokiUrl?: string;
  /** The Elasticsearch logging backend; `tls` where it serves HTTPS with the operator's CA (Kubernetes). */
  elasticsearch?: { url: string; tls: boolean };
  trace?: { backend: TracingBackend; url: string };
}

export interface Datasource {
  name: string;
  uid: string;
  type: string;
  access: "proxy";
  url: string;
  isDefault?: boolean;
  editable: boolean;
  basicAuth?: boolean;
  basicAuthUser?: string;
  jsonData?: Record<string, unknown>;
  /** Grafana expands `$__file{path}` here when it provisions: the values stay in mounted secret files. */
  secureJsonData?: Record<string, string>;
}

export function grafanaDatasources(input: GrafanaRenderInput): Datasource[] {
  const traceUid = input.trace ? (input.trace.backend === "tempo" ? datasourceUids.tempo : datasourceUids.jaeger) : undefined;
  const out: Datasource[] = [
    {
      name: "Prometheus",
      uid: datasourceUids.prometheus,
      type: "prometheus",
      access: "proxy",
      url: input.prometheusUrl,
      isDefault: true,
      editable: false,
      jsonData: {
        httpMethod: "POST",
        prometheusType: "Prometheus",
        ...(traceUid ? { exemplarTraceIdDestinations: [{ name: "trace_id", datasourceUid: traceUid }] } : {}),
      },
    },
    {
      name: "Alertmanager",
      uid: datasourceUids.alertmanager,
      type: "alertmanager",
      access: "proxy",
      url: input.alertmanagerUrl,
      editable: false,
      jsonData: { implementation: "prometheus", handleGrafanaManagedAlerts: false },
    },
  ];
  if (input.lokiUrl) {
    out.push({
      name: "Loki",
      uid: datasourceUids.loki,
      type: "loki",
      access: "proxy",
      url: input.lokiUrl,
      editable: false,
      jsonData: traceUid ? { derivedFields: [{ name: "TraceID", matcherRegex: '(?:trace_?id)["=:\\s]+(\\w+)', url: "$${__value.raw}", datasourceUid: traceUid }] } : {},
    });
  }
  if (input.elasticsearch) out.push(elasticsearchDatasource(input.elasticsearch, traceUid));
  if (input.trace && traceUid) {
    const tracesToLogs = input.lokiUrl
      ? {
          tracesToLogsV2: {
            datasourceUid: datasourceUids.loki,
            spanStartTimeShift: "-5m",
            spanEndTimeShift: "5m",
            filterByTraceID: true,
            customQuery: false,
            tags: [{ key: "service.name", value: "service" }],
          },
        }
      : {};
    out.push({
      name: input.trace.backend === "tempo" ? "Tempo" : "Jaeger",
      uid: traceUid,
      type: input.trace.backend,
      access: "proxy",
      url: input.trace.url,
      editable: false,
      jsonData: {
        ...tracesToLogs,
        ...(input.trace.backend === "tempo" ? { tracesToMetrics: { datasourceUid: datasourceUids.prometheus }, serviceMap: { datasourceUid: datasourceUids.prometheus } } : {}),
      },
    });
  }
  return out;
}

/**
 * The Elasticsearch logs datasource: every log stream, searched as `elastic`, whose password (and on
 * Kubernetes the operator's CA) Grafana reads from files: uploaded secrets on Docker, the operator's
 * Secrets mounted on Kubernetes.
 */
function elasticsearchDatasource(es: { url: string; tls: boolean }, traceUid: string | undefined): Datasource {
  return {
    name: "Elasticsearch",
    uid: datasourceUids.elasticsearch,
    type: "elasticsearch",
    access: "proxy",
    url: es.url,
    editable: false,
    basicAuth: true,
    basicAuthUser: elasticUser,
    jsonData: {
      index: logStreams.map((s) => `${s}-*`).join(","),
      timeField: "@timestamp",
      logMessageField: "message",
      logLevelField: "log.level",
      ...(es.tls ? { tlsAuthWithCACert: true } : {}),
      ...(traceUid ? { dataLinks: [{ field: "traceId", url: "$${__value.raw}", datasourceUid: traceUid }] } : {}),
    },
    secureJsonData: {
      basicAuthPassword: `$__file{${grafanaElasticsearchFiles.password}}`,
      ...(es.tls ? { tlsCACert: `$__file{${grafanaElasticsearchFiles.ca}}` } : {}),
    },
  };
}

export function renderGrafanaDatasources(input: GrafanaRenderInput): string {
  return stringify({ apiVersion: 1, datasources: grafanaDatasources(input) }, { lineWidth: 0 });
}

/**
 * The file providers: the stack's own dashboards in the Watchpost folder, and a provider per team
 * folder (`watchpost:dashboards`) reading its own directory. The team directories sit beside the
 * stack's own, never inside it: a provider reads its path's subdirectories too. A team folder's
 * uid is fixed (`folderUid`) so that its permissions (components/grafana-access) can name it.
 */
export function renderGrafanaDashboardProvider(folders: ReadonlyArray<TeamFolderRef> = []): string {
  return stringify(
    {
      apiVersion: 1,
      providers: [dashboardProvider("watchpost", "Watchpost", configPaths.grafanaDashboards), ...teamDashboardProviders(folders, configPaths.grafanaTeamDashboards)],
    },
    { lineWidth: 0 },
  );
}

/** A team folder as its dashboard provider needs it. */
export type TeamFolderRef = { name: string; directory: string; uid: string };

/** The name of a team folder's dashboard provider; on Kubernetes also its directory under the chart's dashboards path. */
export const teamProviderName = (directory: string) => `team-${directory}`;

function dashboardProvider(name: string, folder: string, path: string, folderUid?: string) {
  return {
    name,
    folder,
    ...(folderUid === undefined ? {} : { folderUid }),
    type: "file",
    disableDeletion: true,
    allowUiUpdates: false,
    options: { path, foldersFromFilesStructure: false },
  };
}

/** A provider per team folder, reading `<root>/<directory>`, with the folder's fixed uid (its permissions name it). */
export function teamDashboardProviders(folders: ReadonlyArray<TeamFolderRef>, root: string, dirOf: (f: TeamFolderRef) => string = (f) => f.directory) {
  return folders.map((f) => dashboardProvider(teamProviderName(f.directory), f.name, `${root}/${dirOf(f)}`, f.uid));
}

/** Grafana settings as environment variables for the Docker container (the chart takes the same through `grafana.ini`). */
export function grafanaSettings(rootUrl: string): Record<string, string> {
  return {
    GF_SERVER_ROOT_URL: rootUrl,
    GF_AUTH_ANONYMOUS_ENABLED: "false",
    GF_USERS_ALLOW_SIGN_UP: "false",
    GF_AUTH_DISABLE_LOGIN_FORM: "false",
    GF_ANALYTICS_REPORTING_ENABLED: "false",
    GF_ANALYTICS_CHECK_FOR_UPDATES: "false",
    GF_METRICS_ENABLED: "true",
  };
}

/**
 * The Docker Grafana container's start command: it sets the admin password from the secret
 * file on every start, then runs the image's own entrypoint.
 *
 * Why: Grafana reads GF_SECURITY_ADMIN_PASSWORD(__FILE) only when it creates its database.
 * The database lives on a volume that `pulumi destroy` keeps (dashboards' state, users,
 * annotations), while the generated password is a `random.RandomPassword`, which has nothing
 * outside Pulumi's state to keep: after destroy and up it is a new password, shown by the stack
 * output, that the old database does not know. `retainOnDelete` or `protect` on it cannot help
 * (there is nothing to retain; protect only blocks destroy). So the password Grafana accepts is
 * made to follow the secret instead: where the database already exists, `grafana cli admin
 * reset-admin-password` (user id 1, the admin Grafana created first) sets it from the file,
 * read on stdin so it never appears in a process list; on a first start Grafana creates the
 * admin from GF_SECURITY_ADMIN_PASSWORD__FILE itself. A failed reset stops the container rather
 * than start a Grafana whose password differs from the stack output. A password changed in the
 * UI is reset on the next start: the stack output is the one source of truth.
 *
 * @param start the image's entrypoint (`/run.sh` in grafana/grafana); a parameter for tests.
 */
export function grafanaStartWithAdminPassword(passwordFile: string, start = "/run.sh", externalDatabase = false): string {
  return [grafanaAdminPasswordReset(passwordFile, externalDatabase), `exec ${start}`].join("\n");
}

/**
 * The reset alone, for Kubernetes, where it runs as an init container beside the retained
 * claim (the chart keeps Grafana's PVC on uninstall) before Grafana starts.
 */
export function grafanaAdminPasswordReset(passwordFile: string, externalDatabase = false): string {
  if (externalDatabase) return externalDatabaseAdminPasswordReset(passwordFile);
  return [
    "set -e",
    'if [ -f "$GF_PATHS_DATA/grafana.db" ]; then',
    `  grafana cli --homepath "$GF_PATHS_HOME" --config "$GF_PATHS_CONFIG" admin reset-admin-password --password-from-stdin < '${passwordFile}'`,
    "fi",
  ].join("\n");
}

/**
 * With an external database (`grafana.database`) there is no local file that says whether the
 * database exists, so the reset always runs: on a database where Grafana has not yet made its admin
 * (the first start) the CLI answers "user not found" and Grafana then creates the admin from
 * GF_SECURITY_ADMIN_PASSWORD(__FILE) itself; any other failure stops the start, as above.
 */
function externalDatabaseAdminPasswordReset(passwordFile: string): string {
  return [
    "set -e",
    `if ! out=$(grafana cli --homepath "$GF_PATHS_HOME" --config "$GF_PATHS_CONFIG" admin reset-admin-password --password-from-stdin < '${passwordFile}' 2>&1); then`,
    '  case "$out" in',
    '    *"user not found"*) echo "no admin user in the database yet: Grafana creates it from the secret" ;;',
    '    *) echo "$out" >&2; exit 1 ;;',
    "  esac",
    "fi",
  ].join("\n");
}
