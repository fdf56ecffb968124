/**
 * One data stream per log type: a component template with the fields the seeds' JSON log lines
 * carry, and an index template per stream that applies it, the ILM policy and, for the stream
 * every line arrives in, the ingest pipeline.
 */
import type { estypes } from "@elastic/elasticsearch";
import { elkObjectNames, type LogStream, logStreams } from "./names";

export function renderMappingsTemplate() {
  return {
    name: elkObjectNames.mappings,
    template: {
      settings: { index: { lifecycle: { name: elkObjectNames.policy }, number_of_replicas: "0" } },
      mappings: {
        dynamic: true,
        properties: {
          "@timestamp": { type: "date" },
          message: { type: "match_only_text" },
          log: { properties: { level: { type: "keyword" } } },
          service: { type: "keyword" },
          environment: { type: "keyword" },
          type: { type: "keyword" },
          method: { type: "keyword" },
          url: { type: "keyword" },
          statusCode: { type: "long" },
          responseTime: { type: "long" },
          userId: { type: "keyword" },
          correlationId: { type: "keyword" },
          tags: { type: "keyword" },
          container: { properties: { name: { type: "keyword" } } },
        },
      },
    },
    _meta: { managed_by: "watchpost" },
  } satisfies estypes.ClusterPutComponentTemplateRequest;
}

/**
 * The index template of one stream. Priority 200: above Elasticsearch's built-in `logs-*-*`
 * template (100), though none of these names matches it.
 */
export function renderIndexTemplate(stream: LogStream) {
  return {
    name: `watchpost-${stream}`,
    index_patterns: [`${stream}-*`],
    data_stream: {},
    composed_of: [elkObjectNames.mappings],
    priority: 200,
    // Lines reach app-logs first; the pipeline reroutes some to the other streams, whose own
    // default pipeline would run again on the rerouted document, so only app-logs has one.
    ...(stream === "app-logs" ? { template: { settings: { index: { default_pipeline: elkObjectNames.pipeline } } } } : {}),
    _meta: { managed_by: "watchpost" },
  } satisfies estypes.IndicesPutIndexTemplateRequest;
}

export function renderIndexTemplates() {
  return logStreams.map(renderIndexTemplate);
}
