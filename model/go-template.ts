/**
 * Parse-time checks of Go's text/template language, as Prometheus applies
 * them to alert annotations and labels (rulefmt's testTemplateParsing: the
 * text after `{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}
 * {{$externalURL := .ExternalURL}}{{$value := .Value}}`, with Prometheus'
 * template functions). It follows text/template's lexer and parser closely
 * enough to report what they report — unclosed actions and comments, bad
 * strings and numbers, unbalanced parentheses and control blocks, unknown
 * functions and undefined variables — in the words a stack's author can act
 * on. `promtool check rules` on the rendered files stays the final word.
 */
import { nearest } from "./suggest";

export interface TemplateDialect {
  /** Who reads the template, for messages. */
  reader: string;
  functions: ReadonlySet<string>;
  /** Variables defined before the text, besides `$`. */
  variables: readonly string[];
}

const goBuiltins = ["and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf", "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne"];

/** prometheus/template NewTemplateExpander's functions (v3.14), plus Go's. */
export const prometheusTemplates: TemplateDialect = {
  reader: "Prometheus",
  functions: new Set([
    ...goBuiltins,
    ...["query", "first", "label", "value", "strvalue", "args", "reReplaceAll", "safeHtml", "match", "title", "toUpper", "toLower", "graphLink", "tableLink"],
    ...["sortByLabel", "stripPort", "stripDomain", "humanize", "humanize1024", "humanizeDuration", "humanizePercentage", "humanizeTimestamp"],
    ...["toTime", "toDuration", "now", "pathPrefix", "externalURL", "parseDuration", "urlQueryEscape"],
  ]),
  variables: ["$labels", "$externalLabels", "$externalURL", "$value"],
};

/** Alertmanager's notification templates (template.DefaultFuncs, v0.35), plus Go's; the data is the group, `.Alerts` and friends. */
export const alertmanagerTemplates: TemplateDialect = {
  reader: "Alertmanager",
  functions: new Set([
    ...goBuiltins,
    ...["toUpper", "toLower", "title", "trimSpace", "join", "match", "safeHtml", "safeUrl", "urlUnescape", "reReplaceAll", "stringSlice", "routeLabels"],
    ...["date", "tz", "now", "since", "humanizeDuration", "toDate", "mustToDate", "addDuration", "toJson", "base64encode", "base64decode"],
  ]),
  variables: [],
};

type Kind =
  | "text"
  | "space"
  | "ident"
  | "keyword"
  | "bool"
  | "nil"
  | "field"
  | "var"
  | "string"
  | "number"
  | "char"
  | "pipe"
  | "assign"
  | "declare"
  | "comma"
  | "lparen"
  | "rparen"
  | "dot"
  | "other"
  | "end";
interface Token {
  kind: Kind;
  text: string;
  /** Offset in the template text. */
  at: number;
}

class TemplateError extends Error {
  constructor(
    message: string,
    readonly at: number,
    readonly fix?: string,
  ) {
    super(message);
  }
}

const keywords = new Set(["block", "break", "continue", "define", "else", "end", "if", "range", "template", "with"]);
const isSpace = (c: string | undefined) => c === " " || c === "\t" || c === "\r" || c === "\n";
const isAlnum = (c: string | undefined) => c !== undefined && /[\p{L}\p{Nd}_]/u.test(c);
const goNumber =
  /^[+-]?(0[xX](_?[0-9a-fA-F])+|0[bB](_?[01])+|0[oO]?(_?[0-7])+|0|[1-9](_?\d)*(\.(\d(_?\d)*)?)?([eE][+-]?\d+)?|\.\d(_?\d)*([eE][+-]?\d+)?|\d+\.\d*([eE][+-]?\d+)?|\d+[eE][+-]?\d+)i?$/;
const goString = /^"(?:[^"\\\n]|\\[abfnrtv\\"']|\\x[0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}|\\U[0-9a-fA-F]{8}|\\[0-7]{3})*"$/;
const goChar = /^'(?:[^'\\\n]|\\[abfnrtv\\"']|\\x[0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}|\\U[0-9a-fA-F]{8}|\\[0-7]{3})'$/u;

/** A name, field or variable must be followed by a space, one of . , | : ( ) or the closing delimiter. */
function terminated(src: string, j: number): void {
  const c = src[j];
  if (c === undefined || isSpace(c) || ".,|:()".includes(c) || src.startsWith("}}", j)) return;
  throw new TemplateError(`bad character ${JSON.stringify(c)}`, j, "put a space between words");
}

/** Splits the text into text and action tokens, as text/template's lexer does. */
function lex(src: string): Token[][] {
  const actions: Token[][] = [];
  let pos = 0;
  for (;;) {
    const open = src.indexOf("{{", pos);
    if (open === -1) return actions;
    let i = open + 2;
    if (src[i] === "-" && isSpace(src[i + 1])) i += 2;
    if (src.startsWith("/*", i)) {
      const close = src.indexOf("*/", i + 2);
      if (close === -1) throw new TemplateError("unclosed comment", open, 'end it with "*/}}"');
      let j = close + 2;
      if (src[j] === " " && src[j + 1] === "-") j += 2;
      if (!src.startsWith("}}", j)) throw new TemplateError("comment ends before closing delimiter", open, 'write the comment as {{/* ... */}}, with "*/" right before "}}"');
      pos = j + 2;
      continue;
    }
    const tokens: Token[] = [];
    let depth = 0;
    for (;;) {
      if (i >= src.length) throw new TemplateError("unclosed action", open, 'close it with "}}"');
      const rightTrim = isSpace(src[i]) && src[i + 1] === "-" && src.startsWith("}}", i + 2);
      if (src.startsWith("}}", i) || rightTrim) {
        if (depth > 0) throw new TemplateError("unclosed left paren", open, 'close every "(" with ")"');
        tokens.push({ kind: "end", text: "}}", at: i });
        pos = i + (rightTrim ? 4 : 2);
        break;
      }
      const c = src[i];
      const start = i;
      const take = (kind: Kind, end: number) => {
        tokens.push({ kind, text: src.slice(start, end), at: start });
        i = end;
      };
      if (isSpace(c)) {
        let j = i;
        while (isSpace(src[j]) && !(src[j + 1] === "-" && src.startsWith("}}", j + 2))) j++;
        take("space", j === i ? i + 1 : j);
      } else if (c === "=") take("assign", i + 1);
      else if (c === ":") {
        if (src[i + 1] !== "=") throw new TemplateError("expected :=", start);
        take("declare", i + 2);
      } else if (c === "|") take("pipe", i + 1);
      else if (c === ",") take("comma", i + 1);
      else if (c === "(") {
        depth++;
        take("lparen", i + 1);
      } else if (c === ")") {
        if (--depth < 0) throw new TemplateError("unexpected right paren", start, 'remove the ")" or open it with "("');
        take("rparen", i + 1);
      } else if (c === '"') {
        let j = i + 1;
        while (j < src.length && src[j] !== '"' && src[j] !== "\n") j += src[j] === "\\" ? 2 : 1;
        if (src[j] !== '"') throw new TemplateError("unterminated quoted string", start, 'close the string with "');
        take("string", j + 1);
        if (!goString.test(tokens[tokens.length - 1].text)) throw new TemplateError("invalid syntax (a bad escape in a quoted string)", start, "escape a backslash as \\\\");
      } else if (c === "`") {
        const j = src.indexOf("`", i + 1);
        if (j === -1) throw new TemplateError("unterminated raw quoted string", start, "close the string with `");
        take("string", j + 1);
      } else if (c === "'") {
        let j = i + 1;
        while (j < src.length && src[j] !== "'" && src[j] !== "\n") j += src[j] === "\\" ? 2 : 1;
        if (src[j] !== "'") throw new TemplateError("unterminated character constant", start, "close it with ', or write a string in double quotes");
        take("char", j + 1);
        if (!goChar.test(tokens[tokens.length - 1].text))
          throw new TemplateError(`malformed character constant: ${tokens[tokens.length - 1].text}`, start, "write strings in double quotes");
      } else if (c === "$") {
        let j = i + 1;
        while (isAlnum(src[j])) j++;
        terminated(src, j);
        take("var", j);
      } else if (c === "." && !/\d/.test(src[i + 1] ?? "")) {
        let j = i + 1;
        while (isAlnum(src[j])) j++;
        terminated(src, j);
        take(j === i + 1 ? "dot" : "field", j);
      } else if (/[\d.+-]/.test(c)) {
        // As scanNumber: digits, letters (hex, exponents, a bad suffix), dots, and a sign only after an exponent.
        let j = i + 1;
        while (j < src.length && (/[\w.]/.test(src[j]) || ((src[j] === "+" || src[j] === "-") && /[eEpP]/.test(src[j - 1])))) j++;
        take("number", j);
        const text = tokens[tokens.length - 1].text;
        if (!goNumber.test(text)) throw new TemplateError(`bad number syntax: ${JSON.stringify(text)}`, start);
      } else if (isAlnum(c)) {
        let j = i;
        while (isAlnum(src[j])) j++;
        const word = src.slice(i, j);
        terminated(src, j);
        take(keywords.has(word) ? "keyword" : word === "true" || word === "false" ? "bool" : word === "nil" ? "nil" : "ident", j);
      } else if (c.charCodeAt(0) < 0x7f && c >= " ") take("other", i + 1);
      else throw new TemplateError(`unrecognized character in action: ${JSON.stringify(c)}`, start);
    }
    actions.push(tokens);
  }
}

interface Block {
  keyword: "if" | "range" | "with" | "define" | "block";
  at: number;
  /** A plain {{else}} was seen: only {{end}} may follow. */
  closedByElse: boolean;
  /** The variables in scope when the block opened: its own go out of scope at {{end}}. */
  vars: string[];
}

/**
 * Checks the actions in order: control blocks, pipelines, functions and
 * variables. Spaces are tokens, as in text/template: operands of a command must
 * be separated by them.
 */
class Checker {
  private vars: string[];
  private readonly blocks: Block[] = [];
  private t: Token[] = [];
  constructor(private readonly dialect: TemplateDialect) {
    this.vars = ["$", ...dialect.variables];
  }

  /** Index of the first token at or after i that is not a space. */
  private skip(i: number): number {
    while (this.t[i]?.kind === "space") i++;
    return i;
  }

  private unexpected(i: number, context: string): never {
    const tok = this.t[i];
    const shown = tok.kind === "end" ? "}}" : tok.kind === "dot" ? "<.>" : JSON.stringify(tok.text);
    throw new TemplateError(`unexpected ${shown} in ${context}`, tok.at);
  }

  action(tokens: Token[]): void {
    this.t = tokens;
    const f = this.skip(0);
    const first = tokens[f];
    if (first.kind !== "keyword") {
      this.pipeline(f, "command", true);
      return;
    }
    const word = first.text;
    const top = this.blocks[this.blocks.length - 1];
    switch (word) {
      case "end":
        if (!top) throw new TemplateError("unexpected {{end}}", first.at, "remove it, or open the block it closes with {{if}}, {{range}} or {{with}}");
        this.expectEnd(f + 1, "end");
        this.blocks.pop();
        this.vars = top.vars;
        return;
      case "else": {
        if (!top || top.keyword === "define" || top.keyword === "block")
          throw new TemplateError("unexpected {{else}}", first.at, "use {{else}} only inside {{if}}, {{range}} or {{with}}");
        if (top.closedByElse) throw new TemplateError("expected end; found {{else}}", first.at, "a block takes one plain {{else}}, last");
        const next = this.skip(f + 1);
        if (tokens[next].kind === "keyword" && (tokens[next].text === "if" || tokens[next].text === "with")) {
          if (tokens[next].text !== top.keyword)
            throw new TemplateError(`unexpected <${tokens[next].text}> in input`, tokens[next].at, `{{else ${tokens[next].text}}} belongs in a {{${tokens[next].text}}} block`);
          this.pipeline(next + 1, tokens[next].text, true);
          return;
        }
        top.closedByElse = true;
        this.expectEnd(f + 1, "else");
        return;
      }
      case "if":
      case "range":
      case "with":
        this.blocks.push({ keyword: word, at: first.at, closedByElse: false, vars: [...this.vars] });
        this.pipeline(f + 1, word, word === "range" ? 2 : true);
        return;
      case "break":
      case "continue":
        if (!this.blocks.some((b) => b.keyword === "range")) throw new TemplateError(`{{${word}}} outside {{range}}`, first.at);
        this.expectEnd(f + 1, word);
        return;
      case "template":
      case "block": {
        const name = this.skip(f + 1);
        if (tokens[name].kind !== "string")
          throw new TemplateError(
            `unexpected ${JSON.stringify(tokens[name].kind === "end" ? "}}" : tokens[name].text)} in ${word} clause`,
            tokens[name].at,
            `name the template in quotes, such as {{${word} "name" .}}`,
          );
        if (tokens[this.skip(name + 1)].kind !== "end") this.pipeline(name + 1, `${word} clause`, false);
        // A block's body, like a define's, is a template of its own: only $ is defined in it.
        if (word === "block") {
          this.blocks.push({ keyword: "block", at: first.at, closedByElse: false, vars: this.vars });
          this.vars = ["$"];
        }
        return;
      }
      case "define": {
        if (this.blocks.length > 0) throw new TemplateError("unexpected <define> in command", first.at, "put {{define}} at the top level, outside other blocks");
        const name = this.skip(f + 1);
        if (tokens[name].kind !== "string" || tokens[this.skip(name + 1)].kind !== "end")
          throw new TemplateError('define clause needs a quoted name, such as {{define "name"}}', first.at);
        this.blocks.push({ keyword: "define", at: first.at, closedByElse: false, vars: this.vars });
        this.vars = ["$"];
        return;
      }
    }
  }

  private expectEnd(from: number, word: string): void {
    const i = this.skip(from);
    if (this.t[i].kind !== "end") this.unexpected(i, `{{${word}}}`);
  }

  /** The pipeline from t[from] to the action's closing delimiter. */
  private pipeline(from: number, context: string, declarations: boolean | 2): void {
    this.parsePipeline(from, context, declarations, "end");
  }

  /** A pipeline, optionally declaring variables; returns the index of its closing delimiter or parenthesis. */
  private parsePipeline(from: number, context: string, declarations: boolean | 2, closer: "end" | "rparen"): number {
    const t = this.t;
    let i = this.skip(from);
    if (declarations !== false && t[i].kind === "var") {
      const names = [t[i].text];
      let j = this.skip(i + 1);
      if (t[j].kind === "comma") {
        const second = this.skip(j + 1);
        if (t[second].kind === "var") {
          names.push(t[second].text);
          j = this.skip(second + 1);
        }
      }
      if (t[j].kind === "declare" || t[j].kind === "assign") {
        if (names.length > 1 && declarations !== 2) throw new TemplateError(`too many declarations in ${context}`, t[i].at);
        // text/template defines the names on `=` as well as on `:=`.
        this.vars.push(...names);
        i = this.skip(j + 1);
      }
    }
    let commands = 0;
    for (;;) {
      const tok = t[i];
      if (tok.kind === "end" || tok.kind === "rparen") {
        if (tok.kind !== closer) this.unexpected(i, context);
        if (commands === 0) throw new TemplateError(`missing value for ${context}`, tok.at, "put a value or a function call inside the braces");
        return i;
      }
      if (commands > 0 && ["bool", "dot", "nil", "number", "string", "char"].includes(tok.kind))
        throw new TemplateError(`non executable command in pipeline stage ${commands + 1}`, tok.at, "after | comes a function, such as | humanize");
      i = this.command(i, context);
      commands++;
      if (t[i].kind === "pipe") i = this.skip(i + 1);
    }
  }

  /** Operands, separated by spaces, up to a pipe, delimiter or closing parenthesis. */
  private command(from: number, context: string): number {
    const t = this.t;
    let i = from;
    let operands = 0;
    for (;;) {
      const tok = t[i];
      if (tok.kind === "pipe" || tok.kind === "end" || tok.kind === "rparen") break;
      i = this.operand(i, operands === 0 ? context : "operand");
      operands++;
      if (t[i].kind === "space") i = this.skip(i);
      else if (t[i].kind !== "pipe" && t[i].kind !== "end" && t[i].kind !== "rparen") this.unexpected(i, "operand");
    }
    if (operands === 0) this.unexpected(i, context);
    return i;
  }

  private operand(from: number, context: string): number {
    const t = this.t;
    const tok = t[from];
    let i = from + 1;
    switch (tok.kind) {
      case "ident":
        if (!this.dialect.functions.has(tok.text)) {
          const near = nearest(tok.text, this.dialect.functions, 3);
          throw new TemplateError(
            `function ${JSON.stringify(tok.text)} not defined`,
            tok.at,
            near
              ? `did you mean ${near}?`
              : `${this.dialect.reader}'s template functions are listed at https://prometheus.io/docs/prometheus/latest/configuration/template_reference/`,
          );
        }
        break;
      case "var":
        if (!this.vars.includes(tok.text)) {
          const near = nearest(
            tok.text,
            this.vars.filter((v) => v !== "$"),
            3,
          );
          const defined = `the variables ${this.dialect.reader} defines are ${this.dialect.variables.join(", ")}`;
          throw new TemplateError(`undefined variable ${JSON.stringify(tok.text)}`, tok.at, near ? `did you mean ${near}? ${defined}` : defined);
        }
        break;
      case "lparen":
        i = this.parsePipeline(i, "parenthesized pipeline", true, "rparen") + 1;
        break;
      case "field":
      case "dot":
      case "bool":
      case "nil":
      case "number":
      case "string":
      case "char":
        break;
      default:
        this.unexpected(from, context);
    }
    // Field chains: $labels.instance, (…).Field; literals take none.
    while (t[i].kind === "field") {
      if (["bool", "nil", "number", "string", "char", "dot"].includes(tok.kind)) throw new TemplateError(`unexpected . after term ${JSON.stringify(tok.text)}`, t[i].at);
      i++;
    }
    return i;
  }

  finish(): void {
    const open = this.blocks[this.blocks.length - 1];
    if (open) throw new TemplateError(`{{${open.keyword}}} has no {{end}} (unexpected EOF)`, open.at, "close it with {{ end }}");
  }
}

/** The problem with a template, with where it is and the fix; undefined when it parses. */
export function templateProblem(text: string, dialect: TemplateDialect = prometheusTemplates): string | undefined {
  try {
    const checker = new Checker(dialect);
    for (const action of lex(text)) checker.action(action);
    checker.finish();
    return undefined;
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    const near = text.slice(error.at, error.at + 30).split("\n")[0];
    const line = text.slice(0, error.at).split("\n").length;
    const where = `${line > 1 ? `line ${line}, ` : ""}at ${JSON.stringify(near)}`;
    return `not a template ${dialect.reader} can parse: ${error.message} (${where})${error.fix ? `; ${error.fix}` : ""}`;
  }
}
