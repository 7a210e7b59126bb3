/**
 * A typed builder for Grafana PostgreSQL targets (the foundation SDK has none): the raw SQL in
 * code mode, its result format and the datasource it runs on.
 *
 * @module
 */
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import type * as common from "@grafana/grafana-foundation-sdk/common";

/** How Grafana reads a SQL result: a time series (a `time` column) or a table. */
export type SqlFormat = "time_series" | "table";

/** A PostgreSQL datasource query as Grafana stores it in a panel's `targets`. */
export interface SqlQuery extends cog.Dataquery {
  refId: string;
  datasource: common.DataSourceRef;
  editorMode: "code";
  format: SqlFormat;
  rawQuery: true;
  rawSql: string;
}

/** Builds one `SqlQuery`; every field but the datasource is required before `build`. */
export class SqlTargetBuilder implements cog.Builder<SqlQuery> {
  #refId = "A";
  #format: SqlFormat = "table";
  #rawSql?: string;

  /** Starts a target on `datasource`. */
  constructor(private readonly ds: common.DataSourceRef) {}

  /** Names the target within its panel (A, B, ...). */
  refId(refId: string): this {
    this.#refId = refId;
    return this;
  }

  /** Sets how Grafana reads the result. */
  format(format: SqlFormat): this {
    this.#format = format;
    return this;
  }

  /** Sets the SQL, macros included. */
  rawSql(sql: string): this {
    this.#rawSql = sql;
    return this;
  }

  /** The target, in Grafana's JSON field order. */
  build(): SqlQuery {
    if (!this.#rawSql) throw new Error(`SQL target ${this.#refId} has no rawSql`);
    const query = {
      datasource: { ...this.ds },
      editorMode: "code" as const,
      format: this.#format,
      rawQuery: true as const,
      rawSql: this.#rawSql,
      refId: this.#refId,
    };
    // The SDK's marker method, non-enumerable so it never reaches the JSON.
    Object.defineProperty(query, "_implementsDataqueryVariant", { value: () => {} });
    return query as SqlQuery;
  }
}
