import assert from "node:assert/strict";
import { findSqlValues, scanSqlValues, templateLiterals } from "./sql_values.ts";

const found = (source: string) => findSqlValues("x.ts", source).map((f) => f.expression);

Deno.test("values interpolated into SQL are found", () => {
  const source = [
    "const a = `SELECT * FROM t WHERE user_id = ${userId}`;",
    "const b = `SELECT * FROM t WHERE id IN (${ids.join(', ')})`;",
    "const c = `DELETE FROM t WHERE name = '${name}'`;",
    "const d = `SELECT * FROM read_parquet(${sqlString(path)})`;",
    "const e = `SELECT * FROM t LIMIT ${limit}`;",
    "const f = `coalesce(user_id IN (${list}), false)`;",
    "const g = `INSERT INTO t VALUES (${value}, 1)`;",
    "const h = `SELECT 1 FROM t ` +\n  `WHERE a > ${threshold}`;",
  ].join("\n");
  assert.deepEqual(found(source), [
    "userId",
    "ids.join(', ')",
    "name",
    "sqlString(path)",
    "limit",
    "list",
    "value",
    "threshold",
  ]);
  assert.equal(findSqlValues("x.ts", source).at(-1)?.line, 9);
});

Deno.test("identifiers, placeholders, constants, tagged templates and exceptions are not", () => {
  const source = [
    "const a = `CREATE SCHEMA ${schema}`;",
    "const b = `SELECT ${columns.join(', ')} FROM ${table} WHERE id = $1`;",
    "const c = `SELECT * FROM t WHERE id = $${i + 1}`;",
    "const d = sql`SELECT * FROM t WHERE id = ${id}`;",
    "const d2 = sql<{ id: string }[]>`SELECT * FROM t WHERE id = ANY(${ids}::uuid[])`;",
    "const e = `SELECT * FROM t WHERE ${column} = ${sqlIdentifier(other)}`;",
    "const f = `SELECT * FROM t LIMIT ${MAX_ROWS}`;",
    "const g = `UPDATE t SET a = 1 WHERE b = ${x}`;",
    "// sql-values: allow the test's reason",
    "const h = `SELECT * FROM t WHERE id = ${allowed}`;",
    "const i = 'SELECT * FROM t WHERE id = ${notATemplate}';",
    "/* `SELECT * FROM t WHERE id = ${inAComment}` */",
    "const j = `label: ${value}`;",
  ].join("\n");
  assert.deepEqual(found(source), ["x"]);
});

Deno.test("template literals nest and keep their expressions", () => {
  const [outer, inner] = templateLiterals("x = `a ${`b ${c}`} d ${e}`;").sort((p, q) =>
    p.start - q.start
  );
  assert.deepEqual(outer.parts, ["a ", " d ", ""]);
  assert.deepEqual(outer.expressions.map((e) => e.text), ["`b ${c}`", "e"]);
  assert.deepEqual(inner.expressions.map((e) => e.text), ["c"]);
});

Deno.test("sinks/ passes every value to SQL as a parameter", async () => {
  const root = new URL("../", import.meta.url).pathname;
  const findings = await scanSqlValues(root, ["sinks"]);
  assert.deepEqual(
    findings.map((f) => `${f.file}:${f.line}: \${${f.expression}} after "${f.context}"`),
    [],
    "pass these as parameters, or justify with // sql-values: allow <why>",
  );
});
