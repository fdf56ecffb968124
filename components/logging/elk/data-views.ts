/**
 * Kibana data views (index patterns), one per log stream, created through Kibana's data views
 * API (`POST /api/data_views/data_view`) with fixed ids so that re-running the setup replaces
 * them instead of adding copies.
 */
import { type LogStream, logStreams } from "./names";

/** The body of Kibana's create-data-view request (Kibana has no published client types for it). */
export interface KibanaDataViewRequest {
  data_view: { id: string; name: string; title: string; timeFieldName: string };
  override: boolean;
}

const titles: Record<LogStream, string> = {
  "app-logs": "Application logs",
  errors: "Errors",
  security: "Security events",
  performance: "Performance (slow requests)",
};

export function renderDataView(stream: LogStream): KibanaDataViewRequest {
  return { data_view: { id: `watchpost-${stream}`, name: titles[stream], title: `${stream}-*`, timeFieldName: "@timestamp" }, override: true };
}

export function renderDataViews(): KibanaDataViewRequest[] {
  return logStreams.map(renderDataView);
}
