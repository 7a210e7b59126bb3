// Starts the ingest listeners on free ports with the stand-in service, for listener tests.
import { createLogger, type LogFields } from "../../observability/mod.ts";
import {
  type IngestServerOptions,
  type RunningIngestServer,
  startIngestServer,
} from "../ingest_server.ts";
import { acceptAllService, type SeenCalls } from "./accept_all_service.ts";

/** A running test server and what its service saw; dispose with `await using`. */
export interface TestServer extends AsyncDisposable {
  server: RunningIngestServer;
  seen: SeenCalls;
  logs: LogFields[];
  httpUrl: string;
  grpcUrl: string;
}

/** Starts a test server; `overrides` replace the defaults (ports 0, permissive readiness). */
export async function startTestServer(
  overrides: Partial<IngestServerOptions> & { gate?: () => Promise<void> } = {},
): Promise<TestServer> {
  const { service, seen } = acceptAllService({ gate: overrides.gate });
  const logs: LogFields[] = [];
  const server = await startIngestServer({
    ingestService: service,
    httpPort: 0,
    grpcPort: 0,
    corsOrigins: ["http://localhost:8080"],
    maxRequestBytes: 64 * 1024,
    isReady: () => Promise.resolve(true),
    logger: createLogger({ level: "debug", write: (line) => logs.push(JSON.parse(line)) }),
    shutdownGraceMs: 2_000,
    ...overrides,
  });
  return {
    server,
    seen,
    logs,
    httpUrl: `http://127.0.0.1:${server.httpPort}`,
    grpcUrl: `http://127.0.0.1:${server.grpcPort}`,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}
