import { isSpanContextValid, trace } from "@opentelemetry/api";

/** Severity of a log line, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Extra key/value pairs on a log line. Errors are expanded to name, message, stack and cause. */
export type LogFields = Record<string, unknown>;

/** Writes structured JSON log lines, one object per line. */
export interface Logger {
  /** Logs at debug level. */
  debug(msg: string, fields?: LogFields): void;
  /** Logs at info level. */
  info(msg: string, fields?: LogFields): void;
  /** Logs at warn level. */
  warn(msg: string, fields?: LogFields): void;
  /** Logs at error level. */
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. `{ component: "listener" }`). */
  child(fields: LogFields): Logger;
}

/** Options of `createLogger`. */
export interface LoggerOptions {
  /** Lines below this level are dropped. Default "info". */
  level?: LogLevel;
  /** Fields on every line, e.g. `{ service: "ingest" }`. */
  fields?: LogFields;
  /** Where a finished line goes. Default: standard error, so stdout stays free for data. */
  write?: (line: string) => void;
  /** Clock, for tests. Default `() => new Date()`. */
  now?: () => Date;
}

/** True when `value` names a log level. */
export function isLogLevel(value: string): value is LogLevel {
  return value in LEVEL_RANK;
}

/**
 * Creates a logger writing one JSON object per line: `level`, `time` (ISO 8601), `msg`,
 * `trace_id`/`span_id` when an OpenTelemetry span is active, then the fields.
 *
 * @example
 * ```ts
 * import { createLogger } from "./logger.ts";
 * const lines: string[] = [];
 * const log = createLogger({ fields: { service: "ingest" }, write: (l) => lines.push(l) });
 * log.info("listening", { port: 3001 });
 * ```
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = LEVEL_RANK[options.level ?? "info"];
  const write = options.write ?? ((line: string) => console.error(line));
  const now = options.now ?? (() => new Date());
  const base = options.fields ?? {};

  const emit = (level: LogLevel, msg: string, fields: LogFields | undefined) => {
    if (LEVEL_RANK[level] < threshold) return;
    const line: LogFields = { level, time: now().toISOString(), msg };
    const span = trace.getActiveSpan()?.spanContext();
    if (span && isSpanContextValid(span)) {
      line.trace_id = span.traceId;
      line.span_id = span.spanId;
    }
    for (const [key, value] of Object.entries(base)) line[key] ??= value;
    for (const [key, value] of Object.entries(fields ?? {})) {
      if (!(key in line) || key in base) line[key] = value;
    }
    write(JSON.stringify(line, jsonSafe));
  };

  return {
    debug: (msg, fields) => emit("debug", msg, fields),
    info: (msg, fields) => emit("info", msg, fields),
    warn: (msg, fields) => emit("warn", msg, fields),
    error: (msg, fields) => emit("error", msg, fields),
    child: (fields) => createLogger({ ...options, fields: { ...base, ...fields } }),
  };
}

/** JSON replacer: bigints as strings, errors as plain objects (with their cause chain). */
function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Error) {
    const out: LogFields = { name: value.name, message: value.message };
    if ("code" in value) out.code = value.code;
    if (value.stack) out.stack = value.stack;
    if (value.cause !== undefined) out.cause = value.cause;
    return out;
  }
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  return value;
}
