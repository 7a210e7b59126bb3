import type { Column, DeltaType } from "../columns.ts";

/** A field of a Spark StructType as Delta stores it in `metaData.schemaString`. */
export interface StructField {
  name: string;
  type: DeltaType;
  nullable: boolean;
  metadata: Record<string, unknown>;
}

/** Spark StructType JSON: `{"type":"struct","fields":[...]}`. */
export interface StructType {
  type: "struct";
  fields: StructField[];
}

/** The table schema of `columns`, every field nullable (so new columns can always be added). */
export function structTypeOf(columns: readonly Column[]): StructType {
  return {
    type: "struct",
    fields: columns.map((c) => ({ name: c.name, type: c.type, nullable: true, metadata: {} })),
  };
}

/** Parses `metaData.schemaString`. */
export function parseSchemaString(schemaString: string): StructType {
  const parsed = JSON.parse(schemaString) as StructType;
  if (parsed.type !== "struct" || !Array.isArray(parsed.fields)) {
    throw new Error("metaData.schemaString is not a Spark StructType");
  }
  return parsed;
}

/**
 * The schema the table must have to take rows of `columns`: the table's own fields in their
 * order, then the missing columns appended as nullable fields. Throws when a column exists with
 * another type (that needs a rewrite, not an evolution).
 */
export function evolvedSchema(
  table: StructType,
  columns: readonly Column[],
): { schema: StructType; added: string[] } {
  const byName = new Map(table.fields.map((f) => [f.name, f]));
  const added: string[] = [];
  const fields = [...table.fields];
  for (const column of columns) {
    const existing = byName.get(column.name);
    if (existing === undefined) {
      fields.push({ name: column.name, type: column.type, nullable: true, metadata: {} });
      added.push(column.name);
    } else if (existing.type !== column.type) {
      throw new Error(
        `column ${column.name} is ${existing.type} in the table but ${column.type} in the writer`,
      );
    }
  }
  return { schema: { type: "struct", fields }, added };
}

/** DuckDB SQL type of a Delta primitive type (timestamps with time zone: Parquet UTC micros). */
export function duckdbType(type: DeltaType): string {
  switch (type) {
    case "string":
      return "VARCHAR";
    case "long":
      return "BIGINT";
    case "integer":
      return "INTEGER";
    case "double":
      return "DOUBLE";
    case "boolean":
      return "BOOLEAN";
    case "timestamp":
      return "TIMESTAMPTZ";
    case "date":
      return "DATE";
  }
}
