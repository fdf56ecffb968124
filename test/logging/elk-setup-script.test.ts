/**
 * The setup script, run by sh with a stand-in `curl` that records each call and answers 200
 * (or 500 for one path). It checks the script's own behaviour: the order of its requests, that
 * passwords travel in files and headers read from files, never on a command line, that it stops
 * at the first refused request, and that it leaves no file behind. The stand-in is curl's
 * command line only; no Elasticsearch or Kibana runs here (none can), and nothing answers as they would.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { elkSetupRequests, renderElkSetupScript } from "../../components/logging/elk/setup";
import { elasticsearchSpec } from "../../components/logging/spec";

const passwords = { elastic: "ElasticPw0123456789", shipper: "ShipperPw0123456789", kibana: "KibanaPw0123456789" };

/** Records argv (one line, fields separated by tabs) and the content of every `@file` argument; answers 200 unless the URL ends with $FAIL_PATH. */
const standInCurl = `#!/bin/sh
out=""; code=200
for a in "$@"; do
  printf '%s\\t' "$a" >> "$CALLS"
  case "$a" in @*) f="\${a#@}"; [ -f "$f" ] && { printf 'FILE %s: ' "$f" >> "$FILES"; cat "$f" >> "$FILES"; echo >> "$FILES"; } ;; esac
done
echo >> "$CALLS"
prev=""
for a in "$@"; do
  [ "$prev" = "-o" ] && out="$a"
  case "$a" in *"$FAIL_PATH") [ -n "$FAIL_PATH" ] && code=500 ;; esac
  prev="$a"
done
[ -n "$out" ] && [ "$out" != /dev/null ] && echo '{"error":"refused"}' > "$out"
printf '%s' "$code"
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "watchpost-elk-setup-"));
  mkdirSync(path.join(dir, "bin"));
  mkdirSync(path.join(dir, "tmp"));
  writeFileSync(path.join(dir, "bin", "curl"), standInCurl, { mode: 0o755 });
  for (const [name, value] of Object.entries(passwords)) writeFileSync(path.join(dir, name), value);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function runScript(failPath = "") {
  const requests = elkSetupRequests(elasticsearchSpec.parse({}), "dev");
  const script = renderElkSetupScript(requests, {
    elasticPasswordFile: path.join(dir, "elastic"),
    shipperPasswordFile: path.join(dir, "shipper"),
    kibanaSystemPasswordFile: path.join(dir, "kibana"),
  });
  writeFileSync(path.join(dir, "setup.sh"), script);
  const result = spawnSync("/bin/sh", [path.join(dir, "setup.sh")], {
    encoding: "utf8",
    env: {
      PATH: `${path.join(dir, "bin")}:${process.env.PATH}`,
      TMPDIR: path.join(dir, "tmp"),
      ES_URL: "http://elasticsearch:9200",
      KIBANA_URL: "http://kibana:5601",
      CALLS: path.join(dir, "calls"),
      FILES: path.join(dir, "files"),
      FAIL_PATH: failPath,
    },
    timeout: 30_000,
  });
  const calls = readFileSync(path.join(dir, "calls"), "utf8")
    .trim()
    .split("\n")
    .map((l) => l.split("\t").filter(Boolean));
  const files = readFileSync(path.join(dir, "files"), "utf8");
  return { ...result, calls, files };
}

const urlOf = (call: string[]) => call.find((a) => a.startsWith("http://")) as string;

describe("the setup script under sh with a stand-in curl (no Elasticsearch or Kibana: none can run here)", () => {
  it("waits for Elasticsearch, applies every object in order, sets the users' passwords, then waits for Kibana and creates the data views", () => {
    const run = runScript();
    expect(run.status, run.stderr).toBe(0);
    expect(run.calls.map(urlOf)).toEqual([
      "http://elasticsearch:9200/_cluster/health?wait_for_status=yellow&timeout=5s",
      "http://elasticsearch:9200/_ilm/policy/watchpost-logs",
      "http://elasticsearch:9200/_component_template/watchpost-logs-mappings",
      "http://elasticsearch:9200/_ingest/pipeline/watchpost-logs",
      "http://elasticsearch:9200/_index_template/watchpost-app-logs",
      "http://elasticsearch:9200/_index_template/watchpost-errors",
      "http://elasticsearch:9200/_index_template/watchpost-security",
      "http://elasticsearch:9200/_index_template/watchpost-performance",
      "http://elasticsearch:9200/_security/role/watchpost_log_writer",
      "http://elasticsearch:9200/_security/user/watchpost_filebeat",
      "http://elasticsearch:9200/_security/user/kibana_system/_password",
      "http://kibana:5601/api/status",
      ...Array(4).fill("http://kibana:5601/api/data_views/data_view"),
    ]);
  });

  it("puts no password on a command line; signs in as elastic with a header read from a file", () => {
    const run = runScript();
    for (const call of run.calls) for (const pw of Object.values(passwords)) expect(call.join(" ")).not.toContain(pw);
    const expected = `Authorization: Basic ${Buffer.from(`elastic:${passwords.elastic}`).toString("base64")}`;
    expect(run.files).toContain(expected);
    expect(run.files).toContain(`"password":"${passwords.shipper}","roles":["watchpost_log_writer"]`);
    expect(run.files).toContain(`{"password":"${passwords.kibana}"}`);
  });

  it("leaves no file behind", () => {
    runScript();
    expect(readdirSync(path.join(dir, "tmp"))).toEqual([]);
  });

  it("stops at the first refused request, naming it with the answer, and still leaves no file behind", () => {
    const run = runScript("/_ingest/pipeline/watchpost-logs");
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('PUT /_ingest/pipeline/watchpost-logs: 500 {"error":"refused"}');
    expect(run.calls.map(urlOf).at(-1)).toBe("http://elasticsearch:9200/_ingest/pipeline/watchpost-logs");
    expect(readdirSync(path.join(dir, "tmp"))).toEqual([]);
  });
});
