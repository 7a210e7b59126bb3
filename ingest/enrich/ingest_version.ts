import manifest from "../deno.json" with { type: "json" };

/** Name and version of this ingest, as recorded in every event's enrichment. */
export const INGEST_VERSION = `analytics-ingest/${manifest.version}`;
