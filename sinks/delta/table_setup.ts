import type { Column } from "./columns.ts";
import { PARTITION_COLUMN } from "./columns.ts";
import { type Action, PROTOCOL } from "./log/actions.ts";
import { commitWithRetry } from "./log/commit.ts";
import { evolvedSchema, parseSchemaString, structTypeOf } from "./log/schema.ts";
import type { Snapshot } from "./log/snapshot.ts";
import type { ObjectStore } from "./storage/object_store.ts";

/**
 * Makes the table ready for rows of `columns`: creates it (version 0: protocol and metaData) when
 * the log is empty, or, when the writer knows columns the table lacks, commits a new `metaData`
 * with them appended as nullable columns. Both go through the conflict-checked commit, so two
 * writers starting together agree. Returns the names of the columns added (empty when none).
 */
export async function ensureTable(
  store: ObjectStore,
  snapshot: Snapshot,
  columns: readonly Column[],
  tableName: string,
): Promise<string[]> {
  let added: string[] = [];
  await commitWithRetry(store, snapshot, (current) => {
    const now = Date.now();
    if (current.metaData === undefined) {
      if (current.version >= 0) {
        throw new Error(`${store.location} has a log without metaData: not a Delta table`);
      }
      added = columns.map((c) => c.name);
      return Promise.resolve<Action[]>([
        {
          commitInfo: {
            timestamp: now,
            operation: "CREATE TABLE",
            operationParameters: { partitionBy: JSON.stringify([PARTITION_COLUMN]) },
            engineInfo: "analytics-sink-delta",
          },
        },
        { protocol: PROTOCOL },
        {
          metaData: {
            id: crypto.randomUUID(),
            name: tableName,
            format: { provider: "parquet", options: {} },
            schemaString: JSON.stringify(structTypeOf(columns)),
            partitionColumns: [PARTITION_COLUMN],
            configuration: {},
            createdTime: now,
          },
        },
      ]);
    }
    const partitionColumns = current.metaData.partitionColumns;
    if (partitionColumns.length !== 1 || partitionColumns[0] !== PARTITION_COLUMN) {
      throw new Error(
        `${store.location} is partitioned by [${partitionColumns}], expected [${PARTITION_COLUMN}]`,
      );
    }
    const evolved = evolvedSchema(parseSchemaString(current.metaData.schemaString), columns);
    added = evolved.added;
    if (added.length === 0) return Promise.resolve(undefined);
    return Promise.resolve<Action[]>([
      {
        commitInfo: {
          timestamp: now,
          operation: "ADD COLUMNS",
          operationParameters: { columns: JSON.stringify(added) },
          engineInfo: "analytics-sink-delta",
        },
      },
      { metaData: { ...current.metaData, schemaString: JSON.stringify(evolved.schema) } },
    ]);
  });
  return added;
}
