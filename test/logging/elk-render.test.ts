/**
 * The Elasticsearch backend's renderers: ILM policy, templates, ingest pipeline, data views,
 * the setup step, Filebeat's and Kibana's configs and the ECK resources, as plain data.
 * Their request bodies are type-checked against @elastic/elasticsearch at compile time
 * (`satisfies` in the renderers); here their content is checked against the config.
 *
 * No Elasticsearch can run here (no image can be pulled, and it is not a program we can build),
 * so the ingest pipeline is checked for its structure on the seeds' sample lines, never by
 * imitating its processors: the test names say so.
 */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderDataViews } from "../../components/logging/elk/data-views";
import { elasticStackVersion, heapOptions, renderBeatResource, renderElasticsearchResource, renderKibanaResource } from "../../components/logging/elk/eck";
import { renderIlmPolicy, rolloverAge } from "../../components/logging/elk/lifecycle";
import { logStreams } from "../../components/logging/elk/names";
import { renderIngestPipeline, slowRequestMs } from "../../components/logging/elk/pipeline";
import { elkSetupFiles, elkSetupRequests, renderElkSetupScript, renderShipperRole, shipperRole, shipperUser } from "../../components/logging/elk/setup";
import { filebeatKubernetesConfig, renderFilebeatDockerConfig, renderKibanaDockerConfig } from "../../components/logging/elk/shipper";
import { renderIndexTemplates, renderMappingsTemplate } from "../../components/logging/elk/templates";
import { defaultScrubFields, elasticsearchSpec } from "../../components/logging/spec";
import { images } from "../../model/versions";
import { parseStackConfig } from "../../infra/config/validate";
import { planStack } from "../../infra/plan";

const spec = elasticsearchSpec.parse({});

/**
 * Lines as the seeds' applications write them (seed 000's "Log Structure": timestamp, level,
 * message, service, type, statusCode, responseTime, …), with the sensitive fields their
 * "sanitized logs (no passwords, tokens)" requirement names.
 */
const seedLines = {
  request: {
    timestamp: "2024-01-08T10:30:00.000Z",
    level: "INFO",
    message: "API Request",
    service: "resume-api",
    type: "api_request",
    method: "POST",
    url: "/api/resume/analyze",
    statusCode: 200,
    responseTime: 1234,
    userId: "user-123",
    correlationId: "req-456",
  },
  login: {
    timestamp: "2024-01-08T10:31:00.000Z",
    level: "WARN",
    message: "login failed",
    service: "resume-api",
    type: "authentication",
    statusCode: 401,
    password: "hunter2",
    headers: { authorization: "Bearer abc" },
  },
  error: { timestamp: "2024-01-08T10:32:00.000Z", level: "ERROR", message: "upstream timed out", service: "resume-api", type: "api_request", statusCode: 504, token: "t0k3n" },
};

describe("index lifecycle from logging.elasticsearch.lifecycle", () => {
  it("by default: hot 7 days, warm until 30, cold until 90, then deleted", () => {
    const { phases } = renderIlmPolicy(spec.lifecycle).policy;
    expect(phases.hot.min_age).toBe("0ms");
    expect(phases.warm.min_age).toBe("7d");
    expect(phases.cold.min_age).toBe("30d");
    expect(phases.delete.min_age).toBe("90d");
    expect(phases.delete.actions).toEqual({ delete: {} });
    expect(phases.hot.actions.rollover).toEqual({ max_age: "1d", max_primary_shard_size: "10gb" });
    expect(phases.warm.actions.readonly).toEqual({});
  });

  it("takes the configured ages, and rolls over within a hot phase shorter than a day", () => {
    const lifecycle = { hot: "12h", warm: "3d", cold: "14d" };
    const { phases } = renderIlmPolicy(lifecycle).policy;
    expect([phases.warm.min_age, phases.cold.min_age, phases.delete.min_age]).toEqual(["12h", "3d", "14d"]);
    expect(rolloverAge(lifecycle)).toBe("12h");
    expect(rolloverAge({ ...lifecycle, hot: "2d" })).toBe("1d");
  });
});

describe("one data stream per log type", () => {
  const templates = renderIndexTemplates();
  it("has a template for app-logs, errors, security and performance, each a data stream under the policy", () => {
    expect(templates.map((t) => t.index_patterns)).toEqual([["app-logs-*"], ["errors-*"], ["security-*"], ["performance-*"]]);
    for (const t of templates) {
      expect(t.data_stream).toEqual({});
      expect(t.composed_of).toEqual([renderMappingsTemplate().name]);
    }
    expect(renderMappingsTemplate().template.settings.index.lifecycle.name).toBe(renderIlmPolicy(spec.lifecycle).name);
  });

  it("runs the pipeline only on app-logs, where lines arrive: a rerouted line is not parsed twice", () => {
    const withPipeline = templates.filter((t) => "template" in t).map((t) => t.name);
    expect(withPipeline).toEqual(["watchpost-app-logs"]);
    const appLogs = templates[0] as { template: { settings: { index: { default_pipeline: string } } } };
    expect(appLogs.template.settings.index.default_pipeline).toBe(renderIngestPipeline(spec.scrubFields, "dev").id);
  });

  it("maps the fields the seeds' lines carry", () => {
    const props = renderMappingsTemplate().template.mappings.properties as Record<string, unknown>;
    for (const field of ["@timestamp", "message", "service", "type", "statusCode", "responseTime", "correlationId"]) expect(props).toHaveProperty(field);
  });
});

describe("ingest pipeline (structure on the seeds' lines; not run against Elasticsearch: none can run here)", () => {
  const pipeline = renderIngestPipeline(spec.scrubFields, "prod");
  // Read as plain data: the renderer's own types are checked against the client's at compile time.
  const processors = pipeline.processors as Array<Record<string, any>>;
  const kinds = processors.map((p) => Object.keys(p)[0]);
  const scrubAt = processors.findIndex((p) => p.remove?.tag === "scrub");

  it("parses the JSON line from message to the top level first (not run against Elasticsearch: none can run here)", () => {
    expect(processors[0].json).toMatchObject({ field: "message", add_to_root: true });
    expect(kinds).toContain("date");
    expect(processors.find((p) => p.date)?.date).toMatchObject({ field: "timestamp", target_field: "@timestamp" });
  });

  it("removes every configured field before any reroute, so no stream gets an unscrubbed line (not run against Elasticsearch: none can run here)", () => {
    expect(processors[scrubAt].remove).toMatchObject({ field: spec.scrubFields, ignore_missing: true });
    const firstReroute = kinds.indexOf("reroute");
    expect(scrubAt).toBeGreaterThan(0);
    expect(scrubAt).toBeLessThan(firstReroute);
    expect(kinds.slice(firstReroute).every((k) => k === "reroute")).toBe(true);
  });

  it("scrubs, by default, every sensitive field the seeds' lines carry (not run against Elasticsearch: none can run here)", () => {
    const paths = (o: Record<string, unknown>, prefix = ""): string[] =>
      Object.entries(o).flatMap(([k, v]) => (v && typeof v === "object" ? paths(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]));
    const sensitive = Object.values(seedLines)
      .flatMap((line) => paths(line))
      .filter((p) => /password|token|authorization/i.test(p));
    expect(sensitive.sort()).toEqual(["headers.authorization", "password", "token"]);
    for (const field of sensitive) expect(defaultScrubFields).toContain(field);
    expect((renderIngestPipeline(["card_number"], "prod").processors as Array<Record<string, any>>).find((p) => p.remove?.tag === "scrub")?.remove?.field).toEqual(["card_number"]);
  });

  it("routes security events, errors and slow requests to their streams of this environment, security first (not run against Elasticsearch: none can run here)", () => {
    const reroutes = processors.filter((p) => p.reroute).map((p) => p.reroute);
    expect(reroutes.map((r) => r?.destination)).toEqual(["security-prod", "errors-prod", "performance-prod"]);
    const [security, errors, performance] = reroutes.map((r) => String(r?.if));
    // Each condition reads the fields the seeds' lines carry, by the names they carry them.
    expect(security).toContain("ctx.type");
    expect(security).toContain("'authentication'");
    expect(security).toContain("'security_alert'");
    expect(errors).toContain("ctx.log?.level");
    expect(errors).toContain("'error'");
    expect(errors).toContain("ctx.statusCode >= 500");
    expect(performance).toContain(`ctx.responseTime >= ${slowRequestMs}`);
    // The level is copied to log.level and lower-cased before the conditions compare it.
    expect(kinds.indexOf("lowercase")).toBeLessThan(kinds.indexOf("reroute"));
    expect(processors.find((p) => p.set?.tag === "level")?.set).toMatchObject({ field: "log.level", copy_from: "level" });
  });
});

describe("Kibana data views", () => {
  it("one per log type, on @timestamp, with fixed ids so the setup replaces them", () => {
    const views = renderDataViews();
    expect(views.map((v) => v.data_view.title)).toEqual(logStreams.map((s) => `${s}-*`));
    for (const v of views) {
      expect(v.data_view.timeFieldName).toBe("@timestamp");
      expect(v.data_view.id).toMatch(/^watchpost-/);
      expect(v.override).toBe(true);
    }
  });
});

describe("the setup step", () => {
  const requests = elkSetupRequests(spec, "dev");
  it("applies policy, templates and pipeline before the role, then the data views on Kibana", () => {
    expect(requests.map((r) => `${r.service} ${r.method} ${r.path}`)).toEqual([
      "elasticsearch PUT /_ilm/policy/watchpost-logs",
      "elasticsearch PUT /_component_template/watchpost-logs-mappings",
      "elasticsearch PUT /_ingest/pipeline/watchpost-logs",
      "elasticsearch PUT /_index_template/watchpost-app-logs",
      "elasticsearch PUT /_index_template/watchpost-errors",
      "elasticsearch PUT /_index_template/watchpost-security",
      "elasticsearch PUT /_index_template/watchpost-performance",
      `elasticsearch PUT /_security/role/${shipperRole}`,
      "kibana POST /api/data_views/data_view",
      "kibana POST /api/data_views/data_view",
      "kibana POST /api/data_views/data_view",
      "kibana POST /api/data_views/data_view",
    ]);
  });

  it("sends bodies without the path's parameters", () => {
    const files = elkSetupFiles(requests);
    expect(JSON.parse(files["ilm-policy.json"])).toEqual({ policy: renderIlmPolicy(spec.lifecycle).policy });
    expect(JSON.parse(files["pipeline.json"])).not.toHaveProperty("id");
    expect(JSON.parse(files["index-template-watchpost-errors.json"])).not.toHaveProperty("name");
  });

  it("lets the shipper create documents in the log streams and nothing else", () => {
    const role = renderShipperRole();
    expect(role.indices).toEqual([{ names: ["app-logs-*", "errors-*", "security-*", "performance-*"], privileges: ["create_doc", "auto_configure"] }]);
  });

  it("reads passwords from files, never from its environment or command line", () => {
    const script = renderElkSetupScript(requests, {
      elasticPasswordFile: "/run/secrets/elastic",
      shipperPasswordFile: "/run/secrets/shipper",
      kibanaSystemPasswordFile: "/run/secrets/kibana",
    });
    expect(script).toContain(`cat '/run/secrets/elastic'`);
    expect(script).toContain('-H @"$work/auth"');
    expect(script).not.toMatch(/-u\s|--user\b|PASSWORD=/);
    expect(script).toContain(`/_security/user/${shipperUser}`);
    expect(script).toContain("/_security/user/kibana_system/_password");
    expect(script.indexOf("/_security/user/kibana_system/_password")).toBeLessThan(script.indexOf("$KIBANA_URL/api/status"));
    expect(script).not.toContain("--cacert");
    // The files holding the credentials are removed however the script ends.
    expect(script.split("\n").slice(0, 6).join("\n")).toContain(`trap 'rm -rf "$work"' EXIT`);
  });

  it("on Kubernetes: verifies with the operator's CA and leaves kibana_system to the operator", () => {
    const script = renderElkSetupScript(requests, { elasticPasswordFile: "/e", shipperPasswordFile: "/s", caFile: "/ca/ca.crt" });
    expect(script).toContain("--cacert '/ca/ca.crt'");
    expect(script).not.toContain("kibana_system");
  });
});

describe("Filebeat and Kibana configs", () => {
  it("Filebeat ships into app-logs-<environment> and loads no templates or policies of its own", () => {
    const docker = parse(renderFilebeatDockerConfig("dev", "PW"));
    expect(docker["output.elasticsearch"]).toEqual({ index: "app-logs-dev", hosts: ["http://elasticsearch:9200"], username: shipperUser, password: "PW" });
    expect(docker["setup.template.enabled"]).toBe(false);
    expect(docker["setup.ilm.enabled"]).toBe(false);
    expect(docker["filebeat.inputs"][0].paths).toEqual(["/var/lib/docker/containers/*/*.log"]);
    const kube = filebeatKubernetesConfig("prod") as Record<string, any>;
    expect(kube["output.elasticsearch"]).toEqual({ index: "app-logs-prod", username: shipperUser, password: "${FILEBEAT_PASSWORD}" });
    expect(kube["filebeat.inputs"][0].paths).toEqual(["/var/log/containers/*.log"]);
  });

  it("Kibana signs in as kibana_system", () => {
    const kibana = parse(renderKibanaDockerConfig("PW", "http://127.0.0.1:5601"));
    expect(kibana["elasticsearch.username"]).toBe("kibana_system");
    expect(kibana["elasticsearch.password"]).toBe("PW");
  });
});

describe("ECK resources", () => {
  const input = {
    namespace: "monitoring",
    agentsNamespace: "monitoring-agents",
    environment: "prod",
    storageClass: "watchpost-gp3",
    volumeSize: "200Gi",
    heapBytes: 2 * 2 ** 30,
    images: { elasticsearch: images.elasticsearch, kibana: images.kibana, filebeat: images.filebeat },
    resources: { elasticsearch: { memory: "4Gi", cpu: "2" }, kibana: { memory: "1Gi", cpu: "0.5" }, filebeat: { memory: "256Mi", cpu: "0.3" } },
  };

  it("sizes the Elasticsearch volume and heap from config, without mmap so no privileged init container", () => {
    const es = renderElasticsearchResource(input);
    const nodeSet = es.spec.nodeSets[0];
    expect(nodeSet.volumeClaimTemplates[0].spec).toEqual({ accessModes: ["ReadWriteOnce"], storageClassName: "watchpost-gp3", resources: { requests: { storage: "200Gi" } } });
    expect(nodeSet.podTemplate.spec.containers[0].env).toEqual([{ name: "ES_JAVA_OPTS", value: "-Xms2048m -Xmx2048m" }]);
    expect(nodeSet.config).toEqual({ "node.store.allow_mmap": false });
    expect(es.spec.version).toBe(elasticStackVersion);
    expect(images.elasticsearch.endsWith(`:${elasticStackVersion}`)).toBe(true);
  });

  it("runs Elasticsearch and Kibana as restricted; Filebeat, root on hostPath, only in the agents namespace", () => {
    for (const r of [renderElasticsearchResource(input).spec.nodeSets[0].podTemplate.spec, renderKibanaResource(input).spec.podTemplate.spec]) {
      expect(r.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
      expect(r.containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
    }
    const beat = renderBeatResource(input);
    expect(beat.metadata.namespace).toBe("monitoring-agents");
    expect(beat.spec.elasticsearchRef).toEqual({ name: "watchpost", namespace: "monitoring" });
    const pod = beat.spec.daemonSet.podTemplate.spec;
    expect(pod.volumes.every((v) => v.hostPath !== undefined)).toBe(true);
    expect(pod.containers[0].volumeMounts.every((m) => m.readOnly)).toBe(true);
    expect(pod.containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
  });

  it("writes the heap in whole MiB", () => {
    expect(heapOptions(512 * 2 ** 20)).toBe("-Xms512m -Xmx512m");
    expect(heapOptions(1.5 * 2 ** 30)).toBe("-Xms1536m -Xmx1536m");
  });
});

describe("what synth writes for the Elasticsearch backend", () => {
  const plan = (stack: string, values: Record<string, unknown>) => planStack(parseStackConfig(stack, { values, secrets: new Set() }).config).artifacts;
  const service = { name: "api", targets: ["api:8080"] };

  it("on Kubernetes: the ECK resources, sized and imaged from config, and the setup script", () => {
    const files = plan("prod", {
      services: [{ ...service, targets: [] }],
      cluster: { name: "eks", region: "eu-west-1" },
      images: { registryMirror: "mirror.example.com/proxy" },
      logging: { backend: "elasticsearch", elasticsearch: { volumeSize: "80Gi" } },
    });
    const es = parse(files["kubernetes/elasticsearch/watchpost.yaml"]);
    expect(es.spec.nodeSets[0].volumeClaimTemplates[0].spec.resources.requests.storage).toBe("80Gi");
    expect(es.spec.image).toBe(`mirror.example.com/proxy/${images.elasticsearch}`);
    expect(parse(files["kubernetes/beat/watchpost.yaml"]).metadata.namespace).toBe("monitoring-agents");
    expect(parse(files["kubernetes/kibana/watchpost.yaml"]).kind).toBe("Kibana");
    expect(files["elasticsearch/setup.sh"]).toContain("--cacert");
    expect(Object.keys(files).filter((f) => f.startsWith("loki/") || f.startsWith("alloy/"))).toEqual([]);
  });

  it("on Docker: no ECK resource, the script for the uploaded secret files", () => {
    const files = plan("dev", { services: [service], logging: { backend: "elasticsearch" } });
    expect(Object.keys(files).filter((f) => f.startsWith("kubernetes/"))).toEqual([]);
    expect(files["elasticsearch/setup.sh"]).toContain("/run/secrets/elastic-password");
    expect(files["elasticsearch/setup.sh"]).not.toContain("--cacert");
  });
});
