/**
 * Request classes of plain HTTP: the original `POST /analytics` endpoint with any JSON, and wrong
 * methods and paths on both listeners.
 *
 * @module
 */
import fc from "fast-check";
import { INVALID_UTF8 } from "./body_cases.ts";
import { deepJson } from "../deep_values.ts";
import { concat } from "../wire.ts";
import { type CaseContext, encoder, type FuzzCase } from "../case_kit.ts";

/** The original JSON endpoint with any JSON, wrong types, deep metadata, bad bytes. */
export function legacyCase(ctx: CaseContext) {
  const validish = fc.record({
    event_type: fc.oneof(fc.constant("click"), fc.jsonValue({ maxDepth: 2 })),
    channel: fc.oneof(
      fc.constantFrom("web", "mobile", "voice", "chat"),
      fc.jsonValue({ maxDepth: 1 }),
    ),
    session_id: fc.oneof(fc.constant("s-legacy-fuzz"), fc.jsonValue({ maxDepth: 1 })),
    timestamp: fc.oneof(
      fc.constantFrom("2026-11-28T08:00:00Z", 1e300, -1e20, "0000-00-00", 1.5, "yesterday"),
      fc.jsonValue({ maxDepth: 1 }),
    ),
    metadata: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant('{"a":')),
  }, { requiredKeys: [] });
  const body = fc.oneof(
    { weight: 3, arbitrary: validish.map((v) => encoder.encode(JSON.stringify(v))) },
    {
      weight: 2,
      arbitrary: fc.array(validish, { maxLength: 5 }).map((v) => encoder.encode(JSON.stringify(v))),
    },
    { weight: 2, arbitrary: fc.jsonValue().map((v) => encoder.encode(JSON.stringify(v))) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(1_000, 100_000).map((d) =>
        encoder.encode(
          `{"event_type":"click","channel":"web","session_id":"s","metadata":${
            deepJson(d, false)
          }}`,
        )
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...INVALID_UTF8).map((bad) =>
        concat([
          encoder.encode('{"event_type":"click","channel":"web","session_id":"s-'),
          new Uint8Array(bad),
          encoder.encode('"}'),
        ])
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constant(0).map(() =>
        encoder.encode(JSON.stringify(
          Array.from(
            { length: ctx.maxBatchEvents + 1 },
            () => ({ event_type: "click", channel: "web", session_id: "s" }),
          ),
        ))
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constant(0).map(() =>
        encoder.encode(JSON.stringify({
          event_type: "click",
          channel: "web",
          session_id: "s",
          interaction_text: "z".repeat(ctx.maxRequestBytes),
        }))
      ),
    },
  );
  return fc.tuple(body, fc.constantFrom("application/json", "text/plain", "")).map(
    ([bytes, contentType]): FuzzCase => ({
      kind: "legacy_json",
      protocol: "POST /analytics",
      family: "plain",
      rpc: "Track",
      request: {
        transport: "http1",
        port: "http",
        method: "POST",
        path: "/analytics",
        headers: contentType ? { "content-type": contentType } : {},
        body: bytes,
      },
      expect: ["http_200", "http_400", "http_413"],
    }),
  );
}

/** Wrong methods and paths on both listeners. */
export function badRouteCase(_ctx: CaseContext) {
  return fc.tuple(
    fc.constantFrom("GET", "PUT", "DELETE", "PATCH", "POST"),
    fc.oneof(
      fc.constantFrom(
        "/analytics.v1.IngestService/Nope",
        "/analytics.v1.NopeService/Track",
        "/analytics",
        "/health",
        "/ready",
        "/",
        "/%ff%fe",
        "/analytics.v1.IngestService/Track/extra",
        "//analytics.v1.IngestService/Track",
      ),
      fc.stringMatching(/^\/[a-zA-Z0-9._~%-]{0,40}$/),
    ),
    fc.constantFrom("http1", "h2c") as fc.Arbitrary<"http1" | "h2c">,
  ).filter(([method, path]) =>
    !(method === "POST" && path === "/analytics") &&
    !(method === "GET" && (path === "/health" || path === "/ready"))
  ).map(([method, path, transport]): FuzzCase => ({
    kind: "bad_route",
    protocol: `${method} ${transport}`,
    family: "plain",
    rpc: "Track",
    request: {
      transport,
      port: "http",
      method,
      path,
      headers: { "content-type": "application/json" },
      body: encoder.encode("{}"),
    },
    expect: ["http_404", "http_405", "http_415"],
  }));
}
