/**
 * Grafana's PostgreSQL macros, expanded as Grafana does, so dashboard SQL can be run in tests.
 *
 * @module
 */
export { expandMacros, type MacroContext, MacroError } from "./expand.ts";
export { formatInterval, parseInterval } from "./interval.ts";
