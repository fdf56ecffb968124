/**
 * `logging.backend` and `logging.elasticsearch`: defaults, the problems each bad value gets
 * (key path, value, what was expected, the fix), and the Elasticsearch exporter wired to the
 * logging cluster.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, parseStackConfig, type RawStackConfig } from "../../infra/config/validate";

const base = (): Record<string, any> => ({ services: [{ name: "api", targets: ["api:8080"] }] });

function raw(patch: (v: Record<string, any>) => void, secrets: string[] = []): RawStackConfig {
  const values = base();
  patch(values);
  return { values, secrets: new Set(secrets) };
}

function problems(stack: string, config: RawStackConfig): Array<{ key: string; value: unknown; message: string }> {
  try {
    parseStackConfig(stack, config);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((p) => ({ key: p.key, value: p.value, message: p.message }));
  }
  throw new Error("expected the configuration to be rejected");
}

const elastic =
  (more: Record<string, unknown> = {}) =>
  (v: Record<string, any>) => {
    v.logging = { backend: "elasticsearch", ...more };
  };

describe("logging.backend", () => {
  it("is loki unless set, and elasticsearch takes the issue's defaults: hot 7d, warm 30d, cold 90d", () => {
    expect(
      parseStackConfig(
        "dev",
        raw(() => {}),
      ).config.logging.backend,
    ).toBe("loki");
    const { config } = parseStackConfig("dev", raw(elastic()));
    expect(config.logging.backend).toBe("elasticsearch");
    expect(config.logging.elasticsearch.lifecycle).toEqual({ hot: "7d", warm: "30d", cold: "90d" });
    expect(config.logging.elasticsearch.scrubFields).toEqual(expect.arrayContaining(["password", "token", "authorization"]));
    expect(config.logging.elasticsearch.volumeSize).toBe("30Gi");
  });

  it("names the backends it accepts", () => {
    expect(
      problems(
        "dev",
        raw((v) => (v.logging = { backend: "elk" })),
      ),
    ).toEqual([{ key: "watchpost:logging.backend", value: "elk", message: "expected loki or elasticsearch" }]);
  });

  it("wires the Elasticsearch exporter to the logging cluster, on each platform", () => {
    expect(parseStackConfig("dev", raw(elastic())).config.exporters.elasticsearch).toEqual({ url: "http://elasticsearch:9200", username: "elastic" });
    const prod = parseStackConfig(
      "prod",
      raw((v) => {
        elastic()(v);
        v.cluster = { name: "eks", region: "eu-west-1" };
        v.services[0].targets = [];
        v.kubernetes = { namespace: "observability" };
      }),
    );
    expect(prod.config.exporters.elasticsearch).toEqual({ url: "https://watchpost-es-http.observability.svc:9200", username: "elastic" });
    // Without the backend, no exporter appears by itself.
    expect(
      parseStackConfig(
        "dev",
        raw(() => {}),
      ).config.exporters.elasticsearch,
    ).toBeUndefined();
  });

  it("refuses a configured exporter beside the backend: the stack runs one, wired to its own cluster", () => {
    const found = problems(
      "dev",
      raw(
        (v) => {
          elastic()(v);
          v.exporters = { elasticsearch: { url: "http://es.internal:9200", username: "monitor" } };
        },
        ["elasticsearchPassword"],
      ),
    );
    expect(found).toEqual([
      {
        key: "watchpost:exporters.elasticsearch",
        value: { url: "http://es.internal:9200", username: "monitor" },
        message: expect.stringContaining("remove exporters.elasticsearch"),
      },
    ]);
  });
});

describe("logging.elasticsearch", () => {
  it("wants each lifecycle phase to end after the one before", () => {
    const found = problems("dev", raw(elastic({ elasticsearch: { lifecycle: { hot: "7d", warm: "168h", cold: "2d" } } })));
    expect(found).toEqual([
      { key: "watchpost:logging.elasticsearch.lifecycle.warm", value: "168h", message: expect.stringContaining("must be later than lifecycle.hot (7d)") },
      { key: "watchpost:logging.elasticsearch.lifecycle.cold", value: "2d", message: expect.stringContaining("must be later than lifecycle.warm (168h)") },
    ]);
  });

  it("takes ages in whole days or hours", () => {
    const found = problems("dev", raw(elastic({ elasticsearch: { lifecycle: { hot: "1w" } } })));
    expect(found).toEqual([{ key: "watchpost:logging.elasticsearch.lifecycle.hot", value: "1w", message: "expected an age in whole days or hours above 0, such as 7d or 36h" }]);
  });

  it("keeps the heap within half the node's memory limit, naming the limit to raise", () => {
    const found = problems("dev", raw(elastic({ elasticsearch: { heapSize: "768Mi" } })));
    expect(found).toEqual([{ key: "watchpost:logging.elasticsearch.heapSize", value: "768Mi", message: expect.stringContaining("raise resources.elasticsearch.memory") }]);
    expect(() =>
      parseStackConfig(
        "dev",
        raw((v) => {
          elastic({ elasticsearch: { heapSize: "768Mi" } })(v);
          v.resources = { elasticsearch: { memory: "2Gi", cpu: "1" } };
        }),
      ),
    ).not.toThrow();
  });

  it("wants a heap of at least 256Mi", () => {
    expect(problems("dev", raw(elastic({ elasticsearch: { heapSize: "128Mi" } })))).toEqual([
      { key: "watchpost:logging.elasticsearch.heapSize", value: "128Mi", message: "is below 256Mi, too small for an Elasticsearch node; expected 256Mi or more, such as 512Mi" },
    ]);
  });

  it("refuses a scrub field that is not a field name, and one listed twice", () => {
    const found = problems("dev", raw(elastic({ elasticsearch: { scrubFields: ["password", "headers..auth"] } })));
    expect(found).toEqual([{ key: "watchpost:logging.elasticsearch.scrubFields[1]", value: "headers..auth", message: expect.stringContaining("dotted path") }]);
    const twice = problems("dev", raw(elastic({ elasticsearch: { scrubFields: ["token", "password", "token"] } })));
    expect(twice).toEqual([{ key: "watchpost:logging.elasticsearch.scrubFields[2]", value: "token", message: "is listed already as scrubFields[0]; list each field once" }]);
  });

  it("refuses one backend's keys with the other, naming the key to use instead", () => {
    expect(problems("dev", raw(elastic({ retention: "72h" })))).toEqual([
      { key: "watchpost:logging.retention", value: "72h", message: expect.stringContaining("set logging.elasticsearch.lifecycle") },
    ]);
    expect(problems("dev", raw(elastic({ volumeSize: "20Gi" })))).toEqual([
      { key: "watchpost:logging.volumeSize", value: "20Gi", message: expect.stringContaining("set logging.elasticsearch.volumeSize") },
    ]);
    expect(
      problems(
        "dev",
        raw((v) => (v.logging = { elasticsearch: { heapSize: "1Gi" } })),
      ),
    ).toEqual([{ key: "watchpost:logging.elasticsearch", value: { heapSize: "1Gi" }, message: expect.stringContaining("set logging.backend to elasticsearch") }]);
  });

  it("reports an unknown key with its known neighbours", () => {
    const found = problems("dev", raw(elastic({ elasticsearch: { lifecylce: {} } })));
    expect(found[0].key).toBe("watchpost:logging.elasticsearch.lifecylce");
    expect(found[0].message).toContain("did you mean 'lifecycle'?");
  });
});
