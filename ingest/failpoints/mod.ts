/**
 * Environment-activated failpoints for fault tests (FAILPOINTS, FAILPOINTS_HITS_FILE).
 *
 * @module
 */
export * from "./failpoints.ts";
