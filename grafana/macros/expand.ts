/**
 * Expands Grafana's SQL macros for the PostgreSQL datasource as Grafana's backend does for one
 * query: first the global substitutions (`$__interval_ms`, `$__interval`, `$__unixEpochFrom()`,
 * `$__unixEpochTo()`), then every `$__name(args)` call, with `timescaledb` choosing
 * `time_bucket(...)` or `floor(extract(epoch ...)/n)*n` for `$__timeGroup`. Modelled on
 * grafana/grafana pkg/tsdb/grafana-postgresql-datasource/macros.go and sqleng's `Interpolate`.
 *
 * @module
 */
import { formatInterval, parseInterval } from "./interval.ts";
import { goFloat, rfc3339Nano, unixNanos, unixSeconds } from "./go_format.ts";

/** The time range and settings one query is expanded for. */
export interface MacroContext {
  /** Start of the dashboard's time range. */
  from: Date;
  /** End of the dashboard's time range. */
  to: Date;
  /** The panel's `$__interval` in milliseconds (Grafana derives it from range and width). */
  intervalMs: number;
  /** The datasource's `timescaledb` setting: `time_bucket` for `$__timeGroup` when true. */
  timescaledb: boolean;
}

/** A macro Grafana would refuse, with Grafana's message. */
export class MacroError extends Error {
  override name = "MacroError";
}

/** Grafana's macro call pattern: `$name(args)`, args without a closing parenthesis. */
const MACRO_CALL = /\$([_a-zA-Z0-9]+)\(([^)]*)\)/g;

/** `sql` with every Grafana macro expanded for `context`; throws `MacroError` as Grafana would. */
export function expandMacros(sql: string, context: MacroContext): string {
  const global = sql
    .replaceAll("$__interval_ms", String(Math.trunc(context.intervalMs)))
    .replaceAll("$__interval", formatInterval(context.intervalMs))
    .replaceAll("$__unixEpochFrom()", String(unixSeconds(context.from)))
    .replaceAll("$__unixEpochTo()", String(unixSeconds(context.to)));
  let firstError: MacroError | undefined;
  const expanded = global.replace(MACRO_CALL, (call: string, macro: string, argText: string) => {
    let name = macro;
    // Before Grafana 5.3, $__timeGroup added `AS "time"`: a comma right after the call (in the
    // first occurrence of that exact call) still means the old use.
    if (name === "__timeGroup") {
      const at = global.indexOf(call);
      if (at >= 0 && global[at + call.length] === ",") name = "__timeGroupAlias";
    }
    const args = argText.split(",").map((arg) => arg.replace(/^ +| +$/g, ""));
    try {
      return evaluateMacro(name, args, context);
    } catch (error) {
      if (!(error instanceof MacroError)) throw error;
      firstError ??= error;
      return "macro_error()";
    }
  });
  if (firstError) throw firstError;
  return expanded;
}

function requireColumn(name: string, args: string[]): string {
  if (args.length === 0) throw new MacroError(`missing time column argument for macro ${name}`);
  return args[0];
}

/** Seconds of a `$__timeGroup` interval argument (quotes allowed), checking the fill value. */
function groupSeconds(name: string, args: string[]): number {
  if (args.length < 2) {
    throw new MacroError(`macro ${name} needs time column and interval and optional fill value`);
  }
  let ms: number;
  try {
    ms = parseInterval(args[1].replace(/^'+|'+$/g, ""));
  } catch {
    throw new MacroError(`error parsing interval ${args[1]}`);
  }
  if (args.length === 3) checkFill(args[2]);
  return ms / 1000;
}

/** The fill argument: NULL, previous or a number (it shapes Grafana's result, not the SQL). */
function checkFill(fill: string): void {
  if (fill === "NULL" || fill === "previous") return;
  if (fill.trim() === "" || !Number.isFinite(Number(fill))) {
    throw new MacroError(`error parsing fill value ${fill}`);
  }
}

function evaluateMacro(name: string, args: string[], context: MacroContext): string {
  const { from, to } = context;
  switch (name) {
    case "__time":
      return `${requireColumn(name, args)} AS "time"`;
    case "__timeEpoch":
      return `extract(epoch from ${requireColumn(name, args)}) as "time"`;
    case "__timeFilter":
      return `${requireColumn(name, args)} BETWEEN '${rfc3339Nano(from)}' AND '${rfc3339Nano(to)}'`;
    case "__timeFrom":
      return `'${rfc3339Nano(from)}'`;
    case "__timeTo":
      return `'${rfc3339Nano(to)}'`;
    case "__timeGroup": {
      const seconds = groupSeconds(name, args);
      if (context.timescaledb) return `time_bucket('${seconds.toFixed(3)}s',${args[0]})`;
      return `floor(extract(epoch from ${args[0]})/${goFloat(seconds)})*${goFloat(seconds)}`;
    }
    case "__timeGroupAlias":
      return `${evaluateMacro("__timeGroup", args, context)} AS "time"`;
    case "__unixEpochFilter": {
      const column = requireColumn(name, args);
      return `${column} >= ${unixSeconds(from)} AND ${column} <= ${unixSeconds(to)}`;
    }
    case "__unixEpochNanoFilter": {
      const column = requireColumn(name, args);
      return `${column} >= ${unixNanos(from)} AND ${column} <= ${unixNanos(to)}`;
    }
    case "__unixEpochNanoFrom":
      return String(unixNanos(from));
    case "__unixEpochNanoTo":
      return String(unixNanos(to));
    case "__unixEpochGroup": {
      const seconds = goFloat(groupSeconds(name, args));
      return `floor((${args[0]})/${seconds})*${seconds}`;
    }
    case "__unixEpochGroupAlias":
      return `${evaluateMacro("__unixEpochGroup", args, context)} AS "time"`;
    default:
      throw new MacroError(`unknown macro "${name}"`);
  }
}
