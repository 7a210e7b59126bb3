/**
 * Command-line options of `deno task loadgen`, parsed into LoadOptions with errors that name the
 * option.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { parseChannels } from "./events/channels.ts";
import type { LoadOptions } from "./run_load.ts";
import { type Protocol, PROTOCOLS } from "./transport.ts";

/** Usage text printed by --help. */
export const USAGE = `deno task loadgen [options]

  --protocol grpc|connect|grpc-web   wire protocol (default grpc)
  --url URL                          ingest base URL (default http://127.0.0.1:50051 for grpc,
                                     http://127.0.0.1:3001 otherwise)
  --http 1.1|2                       HTTP version for connect and grpc-web (default 1.1)
  --method track|stream              unary Track per batch, or TrackStream (default track)
  --stream-batches N                 batches per TrackStream call (default 10)
  --rate N                           events per second, 0 = as fast as possible (default 0)
  --duration D                       run time: 30, 30s, 500ms, 2m (default 10s unless --events)
  --events N                         stop after N events
  --concurrency N                    calls in flight (default 8)
  --batch N                          events per call, 1..500 (default 100)
  --channels LIST                    web,mobile,chat,speech,agent or all (default all)
  --write-key KEY                    write key (default: env WRITE_KEY)
  --ledger PATH                      write accepted event ids to PATH, one per line
  --seed N                           seed of the event generators
  --json                             print the summary as JSON on stdout
  --quiet                            no progress line
`;

/** What the command line asks for. */
export interface CliOptions {
  help: boolean;
  json: boolean;
  quiet: boolean;
  load: LoadOptions;
}

/** Parses a duration: plain seconds, or a number with ms, s or m. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!match) throw new RangeError(`--duration: expected e.g. 30, 30s, 500ms or 2m, got "${text}"`);
  const value = Number(match[1]);
  return match[2] === "ms" ? value : match[2] === "m" ? value * 60_000 : value * 1000;
}

function integer(
  name: string,
  text: string | undefined,
  min: number,
  max = Infinity,
): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`--${name}: expected an integer in ${min}..${max}, got "${text}"`);
  }
  return value;
}

/** Parses the command line (`env` supplies WRITE_KEY). */
export function parseCliOptions(
  args: string[],
  env: (name: string) => string | undefined,
): CliOptions {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      help: { type: "boolean", short: "h" },
      json: { type: "boolean" },
      quiet: { type: "boolean" },
      protocol: { type: "string" },
      url: { type: "string" },
      http: { type: "string" },
      method: { type: "string" },
      "stream-batches": { type: "string" },
      rate: { type: "string" },
      duration: { type: "string" },
      events: { type: "string" },
      concurrency: { type: "string" },
      batch: { type: "string" },
      channels: { type: "string" },
      "write-key": { type: "string" },
      ledger: { type: "string" },
      seed: { type: "string" },
    },
  });
  const protocol = (values.protocol ?? "grpc") as Protocol;
  if (!PROTOCOLS.includes(protocol)) {
    throw new RangeError(`--protocol: expected ${PROTOCOLS.join(", ")}, got "${values.protocol}"`);
  }
  if (values.http !== undefined && values.http !== "1.1" && values.http !== "2") {
    throw new RangeError(`--http: expected 1.1 or 2, got "${values.http}"`);
  }
  if (values.method !== undefined && values.method !== "track" && values.method !== "stream") {
    throw new RangeError(`--method: expected track or stream, got "${values.method}"`);
  }
  if (values.rate !== undefined && !(Number(values.rate) >= 0)) {
    throw new RangeError(`--rate: expected a number >= 0, got "${values.rate}"`);
  }
  return {
    help: values.help ?? false,
    json: values.json ?? false,
    quiet: values.quiet ?? false,
    load: {
      protocol,
      url: values.url,
      httpVersion: values.http as "1.1" | "2" | undefined,
      method: values.method as "track" | "stream" | undefined,
      streamBatches: integer("stream-batches", values["stream-batches"], 1),
      rate: values.rate === undefined ? undefined : Number(values.rate),
      durationMs: values.duration === undefined ? undefined : parseDuration(values.duration),
      events: integer("events", values.events, 1),
      concurrency: integer("concurrency", values.concurrency, 1, 1024),
      batch: integer("batch", values.batch, 1, 500),
      channels: values.channels === undefined ? undefined : parseChannels(values.channels),
      writeKey: values["write-key"] ?? env("WRITE_KEY"),
      ledgerPath: values.ledger,
      seed: integer("seed", values.seed, 0),
    },
  };
}
