/**
 * Alertmanager's matcher syntax (`name="value"`, `name!="value"`, `name=~"regex"`,
 * `name!~"regex"`), parsed so a stack's label matchers are checked with their key
 * path before anything is rendered. Label names are the classic form; values are
 * double-quoted with Go/JSON escapes, or bare words. Regexes must stay within what
 * Go's RE2 accepts: no look-around, no back-references. `amtool check-config` on
 * the rendered file stays the final word.
 */
import { labelNameProblem } from "./primitives";

export type MatchOperator = "=" | "!=" | "=~" | "!~";

export interface Matcher {
  name: string;
  op: MatchOperator;
  value: string;
}

const shape = /^\s*([^\s=!~"]+)\s*(=~|!~|!=|=)\s*(.*?)\s*$/;
const example = 'such as service="payments" or severity=~"critical|warning"';

/** The matcher, or the reason it is not one (in words a stack's author can act on). */
export function parseMatcher(text: string): Matcher | { problem: string } {
  const m = shape.exec(text);
  if (!m) return { problem: `is not an Alertmanager matcher; expected <label><op>"<value>" with op one of =, !=, =~, !~, ${example}` };
  const [, name, op, rawValue] = m;
  const nameProblem = labelNameProblem(name);
  if (nameProblem) return { problem: `label '${name}' ${nameProblem}` };
  let value: string;
  if (rawValue.startsWith('"')) {
    try {
      value = JSON.parse(rawValue) as string;
    } catch {
      return { problem: `the value ${rawValue} is not one double-quoted string; expected ${name}${op}"<value>" with \\" and \\\\ escaped inside, ${example}` };
    }
  } else if (/^[^\s"'=!~{},]*$/.test(rawValue)) value = rawValue;
  else return { problem: `the value ${rawValue} must be double-quoted: ${name}${op}${JSON.stringify(rawValue.replace(/^'|'$/g, ""))}` };
  if (op === "=~" || op === "!~") {
    if (/\(\?<?[=!]/.test(value))
      return { problem: `the regex ${JSON.stringify(value)} uses look-around, which Go's RE2 (Alertmanager's regex engine) does not support; match the label's values directly` };
    if (/\\[1-9]/.test(value)) return { problem: `the regex ${JSON.stringify(value)} uses a back-reference, which Go's RE2 (Alertmanager's regex engine) does not support` };
    try {
      new RegExp(`^(?:${value})$`);
    } catch (e) {
      return {
        problem: `the regex ${JSON.stringify(value)} does not compile (${(e as Error).message.replace(/^Invalid regular expression: /, "")}); expected an RE2 regex such as "critical|warning"`,
      };
    }
  }
  return { name, op: op as MatchOperator, value };
}

export function matcherProblem(text: string): string | undefined {
  const parsed = parseMatcher(text);
  return "problem" in parsed ? parsed.problem : undefined;
}

/** The matcher as Alertmanager's config takes it: value double-quoted, JSON escapes. */
export function formatMatcher(m: Matcher): string {
  return `${m.name}${m.op}${JSON.stringify(m.value)}`;
}
