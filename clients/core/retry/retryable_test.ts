import assert from "node:assert/strict";
import { Code, ConnectError } from "@connectrpc/connect";
import { isRetryableError } from "./retryable.ts";

Deno.test("retryable: unavailable, resource_exhausted and network errors; not client errors", () => {
  assert.equal(isRetryableError(new ConnectError("down", Code.Unavailable)), true);
  assert.equal(isRetryableError(new ConnectError("limit", Code.ResourceExhausted)), true);
  assert.equal(isRetryableError(new TypeError("fetch failed")), true);
  assert.equal(isRetryableError(ConnectError.from(new TypeError("fetch failed"))), true);
  assert.equal(isRetryableError(new ConnectError("key", Code.Unauthenticated)), false);
  assert.equal(isRetryableError(new ConnectError("events", Code.InvalidArgument)), false);
  assert.equal(isRetryableError(new ConnectError("bug", Code.Internal)), false);
});
