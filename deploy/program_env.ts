/**
 * What each of our programs reads from its environment, for the deploy files' tests: the
 * variables docs/configuration.md documents per program, the ones its config module actually
 * reads under a given environment (recorded by running the loader), and the ones a deployment
 * must set. compose.yaml, deploy/k8s and the native deploy/ scripts are checked against these.
 *
 * @module
 */
import { loadIngestConfig } from "../ingest/config.ts";
import { loadHotSinkConfig } from "../sinks/timescale/config.ts";
import { loadLakeSinkConfig } from "../sinks/delta/config.ts";

/** Our programs, named as their compose services. */
export type Program = "ingest" | "sink-timescale" | "sink-delta";

/** Every program, in start order. */
export const PROGRAMS: readonly Program[] = ["ingest", "sink-timescale", "sink-delta"];

/** The entry point of each program (docs/running.md). */
export const ENTRY_POINTS: Record<Program, string> = {
  "ingest": "ingest/main.ts",
  "sink-timescale": "sinks/timescale/main.ts",
  "sink-delta": "sinks/delta/main.ts",
};

/**
 * Variables a program reads outside its config module: the sinks' LOG_LEVEL, read by
 * `sinkLogger` in sinks/program/sink_process.ts (checked against that file's text by the tests).
 */
export const PROCESS_VARIABLES: Record<Program, readonly string[]> = {
  "ingest": [],
  "sink-timescale": ["LOG_LEVEL"],
  "sink-delta": ["LOG_LEVEL"],
};

/** The configuration.md section ("## ..." heading) that documents each program. */
const SECTIONS: Record<Program, RegExp> = {
  "ingest": /^## Ingest\b/,
  "sink-timescale": /^## Hot sink\b/,
  "sink-delta": /^## Lake sink\b/,
};

/**
 * Variables a deployment must set, per program: the ones that switch it from the embedded
 * single-machine defaults to the distributed services, bind it for a container, and name its
 * consumer group and topic. Each is also checked to be read by the program's config module.
 */
export const DEPLOYMENT_VARIABLES: Record<Program, readonly string[]> = {
  "ingest": [
    "INGEST_HOST",
    "INGEST_HTTP_PORT",
    "INGEST_GRPC_PORT",
    "INGEST_WRITE_KEYS",
    "KAFKA_BROKERS",
    "KAFKA_EVENTS_TOPIC",
    "KAFKA_TOPIC_PARTITIONS",
  ],
  "sink-timescale": [
    "DATABASE_URL",
    "TIMESCALEDB",
    "KAFKA_BROKERS",
    "KAFKA_EVENTS_TOPIC",
    "KAFKA_TOPIC_PARTITIONS",
    "KAFKA_GROUP_ID",
    "SINK_HTTP_HOST",
    "SINK_HTTP_PORT",
  ],
  "sink-delta": [
    "S3_ENDPOINT",
    "S3_BUCKET",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "KAFKA_BROKERS",
    "KAFKA_EVENTS_TOPIC",
    "KAFKA_TOPIC_PARTITIONS",
    "KAFKA_GROUP_ID",
    "SINK_HTTP_HOST",
    "SINK_HTTP_PORT",
  ],
};

/** The `OTEL_*` variables configuration.md lists: read by the Deno runtime, in every program. */
export function runtimeVariables(markdown: string): Set<string> {
  const names = new Set<string>();
  for (const match of markdown.matchAll(/^\| `(OTEL_[A-Z0-9_]+)`/gm)) names.add(match[1]);
  return names;
}

/** The variables configuration.md documents for each program (its section's table rows). */
export function documentedVariables(markdown: string): Record<Program, Set<string>> {
  const result = {} as Record<Program, Set<string>>;
  const lines = markdown.split("\n");
  for (const program of PROGRAMS) {
    const names = new Set<string>();
    const start = lines.findIndex((line) => SECTIONS[program].test(line));
    if (start < 0) throw new Error(`configuration.md has no section for ${program}`);
    for (const line of lines.slice(start + 1)) {
      if (/^## /.test(line)) break;
      const match = /^\| `([A-Z][A-Z0-9_]*)`/.exec(line);
      if (match) names.add(match[1]);
    }
    result[program] = names;
  }
  return result;
}

/**
 * Runs the program's config loader on `env` and returns the variables it read (every name it
 * asked for, set or not), plus its PROCESS_VARIABLES. Throws the loader's error when `env` is not a valid configuration.
 */
export function variablesRead(program: Program, env: Record<string, string>): Set<string> {
  const read = new Set<string>();
  const lookup = (name: string) => {
    read.add(name);
    return env[name];
  };
  if (program === "ingest") {
    loadIngestConfig(
      new Proxy({} as Record<string, string | undefined>, {
        get: (_target, name) => typeof name === "string" ? lookup(name) : undefined,
      }),
    );
  } else if (program === "sink-timescale") {
    loadHotSinkConfig(lookup);
  } else {
    loadLakeSinkConfig(lookup);
  }
  for (const name of PROCESS_VARIABLES[program]) read.add(name);
  return read;
}
