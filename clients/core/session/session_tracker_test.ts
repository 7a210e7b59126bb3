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

Deno.test("session: a restored state continues until the timeout, then rotates", () => {
  let n = 0;
  const first = new SessionTracker({ timeoutMs: 1000, newId: () => `s${++n}` });
  assert.deepEqual(first.state, { id: "", lastActivityMs: 0 });
  first.touch(5000);
  const reloaded = new SessionTracker({ timeoutMs: 1000, newId: () => `r${++n}` });
  reloaded.restore(JSON.parse(JSON.stringify(first.state)));
  assert.equal(reloaded.touch(5900), "s1", "within the timeout: the same session");
  assert.deepEqual(reloaded.state, { id: "s1", lastActivityMs: 5900 });
  const late = new SessionTracker({ timeoutMs: 1000, newId: () => `late${++n}` });
  late.restore(reloaded.state);
  assert.match(late.touch(6901), /^late/, "1001 ms after the last event: a new session");
  const broken = new SessionTracker({ newId: () => "fresh" });
  broken.restore(JSON.parse('{"id": 3}'));
  assert.equal(broken.touch(0), "fresh", "a malformed stored state is ignored");
});
