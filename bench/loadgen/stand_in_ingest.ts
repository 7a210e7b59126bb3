/**
 * A minimal IngestService for the load generator's own tests, on the same two listeners as the
 * real ingest: gRPC on node:http2 (h2c), and Connect and gRPC-web on Deno.serve (HTTP/1.1 and
 * h2c). It validates each event with protovalidate and answers per-event outcomes, so runLoad is
 * tested over real sockets without the full ingest.
 *
 * @module
 */
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { create } from "@bufbuild/protobuf";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import { createValidator } from "@bufbuild/protovalidate";
import {
  Code,
  ConnectError,
  type ConnectRouter,
  createConnectRouter,
  type HandlerContext,
} from "@connectrpc/connect";
import { createFetchHandler } from "@connectrpc/connect/protocol";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import {
  type Event,
  type EventResult,
  EventResultSchema,
  EventSchema,
  IngestService,
  Outcome,
} from "@analytics/schema";

/** What the stand-in decides for one event. */
export type Judgement = { outcome: Outcome; field?: string; reason?: string };

/** Options of startStandInIngest. */
export interface StandInOptions {
  /** When set, calls must carry `authorization: Bearer <writeKey>`. */
  writeKey?: string;
  /** Overrides the outcome of a valid event (e.g. to answer not stored). */
  judge?: (event: Event) => Judgement | undefined;
}

/** A running stand-in: its URLs, the ids it accepted, and a close function. */
export interface StandInIngest {
  /** gRPC (h2c) listener. */
  grpcUrl: string;
  /** Connect and gRPC-web listener (HTTP/1.1 and h2c). */
  url: string;
  accepted: Set<string>;
  close(): Promise<void>;
}

/** Starts the stand-in on 127.0.0.1 at a free port. */
export async function startStandInIngest(options: StandInOptions = {}): Promise<StandInIngest> {
  const validator = createValidator();
  const accepted = new Set<string>();

  const authorize = (ctx: HandlerContext) => {
    if (
      options.writeKey && ctx.requestHeader.get("authorization") !== `Bearer ${options.writeKey}`
    ) {
      throw new ConnectError("missing or unknown write key", Code.Unauthenticated);
    }
  };
  const judge = (events: readonly Event[], offset: number): EventResult[] =>
    events.map((event, i) => {
      const index = offset + i;
      const base = { index, eventId: event.eventId };
      const result = validator.validate(EventSchema, event);
      if (result.kind !== "valid") {
        const violation = result.kind === "invalid" ? result.violations[0] : undefined;
        return create(EventResultSchema, {
          ...base,
          outcome: Outcome.REJECTED,
          field: `events[${index}].${violation?.field.toString() ?? ""}`,
          reason: violation?.message ?? String(result.error),
        });
      }
      const decided = options.judge?.(event) ?? { outcome: Outcome.ACCEPTED };
      if (decided.outcome === Outcome.ACCEPTED) accepted.add(event.eventId);
      return create(EventResultSchema, { ...base, ...decided });
    });
  const answer = (results: EventResult[]) => ({
    results,
    accepted: results.filter((r) => r.outcome === Outcome.ACCEPTED).length,
    rejected: results.filter((r) => r.outcome === Outcome.REJECTED).length,
    notStored: results.filter((r) => r.outcome === Outcome.NOT_STORED).length,
    serverTime: timestampNow(),
  });

  const routes = (router: ConnectRouter) =>
    router.service(IngestService, {
      track(request, ctx) {
        authorize(ctx);
        return answer(judge(request.events, 0));
      },
      async trackStream(requests, ctx) {
        authorize(ctx);
        const results: EventResult[] = [];
        for await (const request of requests) {
          results.push(...judge(request.events, results.length));
        }
        return answer(results);
      },
    });

  const grpcServer = http2.createServer(connectNodeAdapter({ routes }));
  await new Promise<void>((resolve, reject) => {
    grpcServer.once("error", reject);
    grpcServer.listen(0, "127.0.0.1", () => resolve());
  });
  const { port: grpcPort } = grpcServer.address() as AddressInfo;

  const router = createConnectRouter();
  routes(router);
  const handlers = new Map(
    router.handlers.map((h) => [h.requestPath, createFetchHandler(h, { httpVersion: "1.1" })]),
  );
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const handler = handlers.get(new URL(req.url).pathname);
    return handler ? handler(req) : new Response("not found", { status: 404 });
  });
  return {
    grpcUrl: `http://127.0.0.1:${grpcPort}`,
    url: `http://127.0.0.1:${server.addr.port}`,
    accepted,
    close: async () => {
      await server.shutdown();
      await new Promise<void>((resolve) => grpcServer.close(() => resolve()));
    },
  };
}
