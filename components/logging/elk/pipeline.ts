/**
 * The ingest pipeline every log line passes before it is indexed: parse the JSON line the
 * applications write (`{"timestamp", "level", "message", "service", "type", …}`), take its
 * timestamp and level, remove the fields named in `logging.elasticsearch.scrubFields`, and
 * reroute security events, errors and slow requests to their own streams. Scrubbing comes
 * before every reroute, and a reroute ends the pipeline, so no stream receives an unscrubbed line.
 */
import type { estypes } from "@elastic/elasticsearch";
import { logErrorLevels } from "../../../model/conventions";
import { elkObjectNames, type LogStream, streamName } from "./names";

/** Levels that send a line to the errors stream (compared lower-cased). */
export const errorLevels: readonly string[] = logErrorLevels;
/** `type` values and tags that mark a security event. */
export const securityTypes = ["security", "auth", "authentication", "authorization", "login"];
export const securityTag = "security_alert";
/** A request at least this slow (the line's `responseTime`, in milliseconds) goes to the performance stream, as do lines of type `performance`. */
export const slowRequestMs = 1000;

/** Which stream takes a line, in order: the first that matches wins; anything else stays in app-logs. */
export const streamRoutes: Array<{ stream: Exclude<LogStream, "app-logs">; when: string; condition: string }> = [
  {
    stream: "security",
    when: `type is one of ${securityTypes.join(", ")}, or tags include ${securityTag}`,
    condition: `(ctx.type instanceof String && ${JSON.stringify(securityTypes).replace(/"/g, "'")}.contains(ctx.type.toLowerCase())) || (ctx.tags instanceof List && ctx.tags.contains('${securityTag}'))`,
  },
  {
    stream: "errors",
    when: `log.level is one of ${errorLevels.join(", ")}, or statusCode is 500 or above`,
    condition: `(ctx.log?.level instanceof String && ${JSON.stringify(errorLevels).replace(/"/g, "'")}.contains(ctx.log.level)) || (ctx.statusCode instanceof Number && ctx.statusCode >= 500)`,
  },
  {
    stream: "performance",
    when: `type is performance, or responseTime is ${slowRequestMs} ms or more`,
    condition: `(ctx.type instanceof String && ctx.type.toLowerCase() == 'performance') || (ctx.responseTime instanceof Number && ctx.responseTime >= ${slowRequestMs})`,
  },
];

export function renderIngestPipeline(scrubFields: string[], environment: string) {
  // `satisfies`, not an annotation: the client's types check the processors without becoming part of this module's declarations.
  const processors = [
    {
      json: {
        tag: "parse-json-line",
        field: "message",
        add_to_root: true,
        add_to_root_conflict_strategy: "merge",
        if: "ctx.message instanceof String && ctx.message.startsWith('{')",
        on_failure: [{ append: { field: "tags", value: ["json_parse_failure"] } }],
      },
    },
    { set: { tag: "level", field: "log.level", copy_from: "level", if: "ctx.level != null", override: true } },
    { lowercase: { field: "log.level", ignore_missing: true } },
    { remove: { field: "level", ignore_missing: true } },
    {
      date: {
        tag: "timestamp",
        field: "timestamp",
        target_field: "@timestamp",
        formats: ["ISO8601", "UNIX_MS"],
        if: "ctx.timestamp != null",
        on_failure: [{ append: { field: "tags", value: ["timestamp_parse_failure"] } }],
      },
    },
    { remove: { tag: "scrub", field: scrubFields, ignore_missing: true } },
    ...streamRoutes.map((route) => ({ reroute: { tag: `route-${route.stream}`, destination: streamName(route.stream, environment), if: route.condition } })),
  ] satisfies estypes.IngestProcessorContainer[];
  return {
    id: elkObjectNames.pipeline,
    description: "Watchpost: parse JSON log lines, remove sensitive fields, route errors, security events and slow requests to their streams",
    processors,
    on_failure: [{ set: { field: "error.message", value: "{{ _ingest.on_failure_message }}" } }],
    _meta: { managed_by: "watchpost" },
  } satisfies estypes.IngestPutPipelineRequest;
}
