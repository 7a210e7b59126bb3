/**
 * SQL values only as parameters: finds SQL text built in template literals that puts a *value*
 * into the statement by interpolation (after `=`, `IN (`, `LIKE`, `VALUES (`, `LIMIT`, inside
 * quotes, or as a function argument such as `read_parquet(${path})`) instead of passing it as a
 * parameter (`$1`). Interpolated identifiers and fragments (`FROM ${table}`, `SELECT ${columns}`,
 * `${sqlIdentifier(name)}`, `$${n}` placeholders, UPPER_CASE constants) are allowed: they must be
 * validated where they are made. Tagged templates (postgres.js `sql\`...\``) are parameterised by
 * the library and skipped. A justified exception carries `// sql-values: allow <why>` on the line
 * before the template (or the piece of a concatenation) that holds the value, or on its lines.
 *
 *   deno run --allow-read .ci/sql_values.ts sinks     exit 1 when something is found
 *
 * @module
 */

/** One value interpolated into SQL text. */
export interface SqlValueFinding {
  file: string;
  line: number;
  /** The interpolated expression. */
  expression: string;
  /** The SQL just before it, which makes it a value position. */
  context: string;
}

interface Template {
  /** Offset of the opening backtick. */
  start: number;
  tagged: boolean;
  /** Static text pieces; `expressions[i]` follows `parts[i]`. */
  parts: string[];
  expressions: { text: string; offset: number }[];
}

const SQL_WORD =
  /\b(SELECT|INSERT|UPDATE|DELETE|FROM|WHERE|CREATE|DROP|ALTER|COPY|VALUES|JOIN)\b|\bIN \(/;

// Text right before an interpolation that makes it a value, not an identifier.
const VALUE_POSITION = new RegExp(
  [
    "(=|<>|!=|<|>)\\s*$", // comparisons and assignments
    "\\b(IN|VALUES)\\s*\\(\\s*$",
    "\\b(LIKE|ILIKE|LIMIT|OFFSET|INTERVAL|TO|BETWEEN|AND|ESCAPE)\\s+$",
    "'$", // inside a quoted literal
    "\\b[a-z_][a-z0-9_]*\\(\\s*$", // first argument of a function: read_parquet(${path})
  ].join("|"),
  "i",
);

/** An expression that is a parameter placeholder or an identifier helper, never a value. */
function allowedExpression(expression: string, before: string): boolean {
  const e = expression.trim();
  return before.endsWith("$") || // `$${n}`: a placeholder number
    /^[A-Z][A-Z0-9_]*$/.test(e) || // a module constant
    /^sqlIdentifier\(/.test(e);
}

/** Template literals of TypeScript source, skipping comments and ordinary strings. */
export function templateLiterals(source: string): Template[] {
  const found: Template[] = [];
  let i = 0;
  const readTemplate = (): Template => {
    const start = i;
    const before = source.slice(Math.max(0, start - 1), start);
    const template: Template = {
      start,
      // sql`...`, tx.sql`...`, sql<Row[]>`...` (a generic tag): the library binds the values.
      tagged: /[\w$)\]>]/.test(before),
      parts: [],
      expressions: [],
    };
    i++; // opening backtick
    let text = "";
    while (i < source.length && source[i] !== "`") {
      if (source[i] === "\\") {
        text += source.slice(i, i + 2);
        i += 2;
      } else if (source[i] === "$" && source[i + 1] === "{") {
        template.parts.push(text);
        text = "";
        i += 2;
        const exprStart = i;
        let depth = 1;
        while (i < source.length && depth > 0) {
          const c = source[i];
          if (c === "`") {
            found.push(readTemplate());
            continue;
          }
          if (c === "'" || c === '"') skipString(c);
          else if (c === "{") depth++;
          else if (c === "}") depth--;
          i++;
        }
        template.expressions.push({ text: source.slice(exprStart, i - 1), offset: exprStart });
      } else {
        text += source[i++];
      }
    }
    template.parts.push(text);
    i++; // closing backtick
    return template;
  };
  const skipString = (quote: string) => {
    i++;
    while (i < source.length && source[i] !== quote && source[i] !== "\n") {
      if (source[i] === "\\") i++;
      i++;
    }
  };
  while (i < source.length) {
    const c = source[i];
    if (c === "/" && source[i + 1] === "/") {
      while (i < source.length && source[i] !== "\n") i++;
    } else if (c === "/" && source[i + 1] === "*") {
      const end = source.indexOf("*/", i + 2);
      i = end < 0 ? source.length : end + 2;
    } else if (c === "'" || c === '"') {
      skipString(c);
      i++;
    } else if (c === "`") {
      found.push(readTemplate());
    } else {
      i++;
    }
  }
  return found;
}

/** The values interpolated into SQL in one TypeScript file. */
export function findSqlValues(file: string, source: string): SqlValueFinding[] {
  const lineOf = (offset: number) => source.slice(0, offset).split("\n").length;
  const lines = source.split("\n");
  // An exception is marked from the line before the template (or template piece) to the value.
  const allowed = (from: number, to: number) =>
    lines.slice(Math.max(0, from - 2), to).some((l) => l.includes("sql-values: allow"));
  const findings: SqlValueFinding[] = [];
  for (const template of templateLiterals(source)) {
    if (template.tagged || !SQL_WORD.test(template.parts.join(" "))) continue;
    template.expressions.forEach((expression, index) => {
      const before = template.parts[index];
      if (allowedExpression(expression.text, before)) return;
      if (!VALUE_POSITION.test(before)) return;
      const line = lineOf(expression.offset);
      if (allowed(lineOf(template.start), line)) return;
      findings.push({
        file,
        line,
        expression: expression.text.trim(),
        context: before.slice(-30).replace(/\s+/g, " ").trim(),
      });
    });
  }
  return findings;
}

/** Scans the TypeScript files under `dirs` (tests excluded: they build fixtures, not queries). */
export async function scanSqlValues(root: string, dirs: string[]): Promise<SqlValueFinding[]> {
  const findings: SqlValueFinding[] = [];
  const walk = async (dir: string): Promise<void> => {
    for await (const entry of Deno.readDir(`${root}/${dir}`)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) await walk(path);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) {
        findings.push(...findSqlValues(path, await Deno.readTextFile(`${root}/${path}`)));
      }
    }
  };
  for (const dir of dirs) await walk(dir);
  return findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

if (import.meta.main) {
  const root = new URL("../", import.meta.url).pathname;
  const findings = await scanSqlValues(root, Deno.args.length > 0 ? Deno.args : ["sinks"]);
  for (const f of findings) {
    console.error(`${f.file}:${f.line}: \${${f.expression}} after "${f.context}"`);
  }
  if (findings.length > 0) {
    console.error(`${findings.length} value(s) interpolated into SQL: pass them as parameters`);
    Deno.exit(1);
  }
  console.log("no values interpolated into SQL");
}
