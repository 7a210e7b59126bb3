import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { Code, ConnectError } from "@connectrpc/connect";
import { checkBatchSize, checkRequestSize, rateLimitedReason } from "./request_limits.ts";

function errorOf(fn: () => void): ConnectError | undefined {
  try {
    fn();
  } catch (error) {
    ok(error instanceof ConnectError);
    return error;
  }
  return undefined;
}

Deno.test("a request above the size limit is resource_exhausted naming the limit", () => {
  assertEquals(errorOf(() => checkRequestSize(1024, 1024)), undefined);
  const error = errorOf(() => checkRequestSize(1025, 1024));
  assertEquals(error?.code, Code.ResourceExhausted);
  assertEquals(
    error?.rawMessage,
    "request too large: at most 1024 bytes (INGEST_MAX_REQUEST_BYTES) (got 1025 bytes)",
  );
});

Deno.test("a batch above the limit or empty is invalid_argument naming events", () => {
  assertEquals(errorOf(() => checkBatchSize(500, 500)), undefined);
  const tooMany = errorOf(() => checkBatchSize(501, 500));
  assertEquals(tooMany?.code, Code.InvalidArgument);
  ok(tooMany?.rawMessage.startsWith("events: at most 500 events"));
  assertEquals(errorOf(() => checkBatchSize(0, 500))?.code, Code.InvalidArgument);
});

Deno.test("the rate limit reason names the limit and the source", () => {
  assertEquals(
    rateLimitedReason("site", { eventsPerSecond: 100, burst: 200 }),
    'rate limit of 100 events/s (burst 200) for source "site" exceeded; retry later',
  );
});
