import assert from "node:assert/strict";
import { SessionTracker } from "./session_tracker.ts";

Deno.test("session: kept while active, rotated after the inactivity timeout", () => {
  let n = 0;
  const sessions = new SessionTracker({ timeoutMs: 1000, newId: () => `s${++n}` });
  assert.equal(sessions.touch(0), "s1");
  assert.equal(sessions.touch(900), "s1");
  assert.equal(sessions.touch(1900), "s1", "activity at 900 extends the session");
  assert.equal(sessions.touch(2901), "s2", "1001 ms idle: a new session");
  assert.equal(sessions.touch(2901), "s2");
  sessions.reset();
  assert.equal(sessions.touch(2902), "s3");
  assert.equal(new SessionTracker().timeoutMs, 30 * 60_000);
});
