import assert from "node:assert/strict";
import { create } from "@bufbuild/protobuf";
import { Channel, EventSchema } from "@analytics/schema";
import { MemoryStorage } from "../storage/memory_storage.ts";
import { EventQueue } from "./event_queue.ts";

const event = (id: string) =>
  create(EventSchema, { eventId: id, channel: Channel.SERVER, eventType: "t", sessionId: "s" });
const ids = (events: { eventId: string }[]) => events.map((e) => e.eventId);

Deno.test("queue: bounded, oldest dropped first and counted, in-flight events count too", () => {
  const queue = new EventQueue({ capacity: 3 });
  queue.push(event("a"), event("b"), event("c"), event("d"), event("e"));
  assert.equal(queue.size, 3);
  assert.equal(queue.dropped, 2);
  const batch = queue.take(2);
  assert.deepEqual(ids(batch), ["c", "d"]);
  queue.push(event("f"), event("g"));
  // 2 in flight + at most 1 waiting: e and f were the oldest waiting.
  assert.equal(queue.dropped, 4);
  assert.deepEqual(ids(queue.take(10)), ["g"]);
  queue.settle(batch, [batch[1]]);
  assert.deepEqual(ids(queue.take(10)), ["d"], "a retried event goes back to the front");
  assert.throws(() => new EventQueue({ capacity: 0 }), /capacity must be a positive integer/);
});

Deno.test("queue: persisted (in-flight included) and restored by a new queue", async () => {
  const storage = new MemoryStorage();
  const queue = new EventQueue({ storage, capacity: 10 });
  queue.push(event("a"), event("b"), event("c"));
  const inFlight = queue.take(1);
  await queue.persisted();
  const restored = new EventQueue({ storage, capacity: 2 });
  await restored.load();
  assert.deepEqual(ids(restored.take(10)), ["b", "c"], "bound applied on load, oldest dropped");
  assert.equal(restored.dropped, 1);
  queue.settle(inFlight);
  await queue.persisted();
  const after = new EventQueue({ storage });
  await after.load();
  assert.deepEqual(ids(after.take(10)), ["b", "c"]);
});

Deno.test("queue: a failed write is reported, and the next change writes again", async () => {
  let fail = true;
  const errors: unknown[] = [];
  const memory = new MemoryStorage();
  const storage = {
    get: (k: string) => memory.get(k),
    remove: (k: string) => memory.remove(k),
    set: (k: string, v: string) => fail ? Promise.reject(new Error("disk full")) : memory.set(k, v),
  };
  const queue = new EventQueue({ storage, onPersistError: (e) => errors.push(e) });
  queue.push(event("a"));
  await queue.persisted();
  assert.equal(errors.length, 1);
  fail = false;
  queue.push(event("b"));
  await queue.persisted();
  assert.equal(JSON.parse((await memory.get("analytics_queue"))!).length, 2);
});

Deno.test("queue: take bounds a batch by encoded bytes, but always takes one event", () => {
  const queue = new EventQueue();
  const big = (id: string) =>
    create(EventSchema, { ...event(id), interactionText: "x".repeat(1000) });
  queue.push(big("a"), big("b"), big("c"), big("d"));
  assert.deepEqual(ids(queue.take(10, 2200)), ["a", "b"]);
  assert.deepEqual(ids(queue.take(10, 10)), ["c"], "one event even above the bound");
  assert.deepEqual(ids(queue.take(10)), ["d"]);
});

Deno.test("queue: adopts another key's queue (a closed tab's), persists it, removes the key", async () => {
  const storage = new MemoryStorage();
  const left = new EventQueue({ storage, key: "analytics_queue:tab-1" });
  left.push(event("a"), event("b"));
  left.take(1); // in flight when the tab closed: adopted too
  await left.persisted();
  const mine = new EventQueue({ storage, key: "analytics_queue:tab-2", capacity: 10 });
  mine.push(event("c"));
  assert.equal(await mine.adopt("analytics_queue:tab-1"), 2);
  assert.equal(await storage.get("analytics_queue:tab-1"), undefined);
  assert.equal(await mine.adopt("analytics_queue:tab-1"), 0, "nothing left to adopt");
  assert.equal(await mine.adopt("analytics_queue:tab-2"), 0, "never its own key");
  const reloaded = new EventQueue({ storage, key: "analytics_queue:tab-2" });
  await reloaded.load();
  assert.deepEqual(ids(reloaded.take(10)), ["a", "b", "c"], "the adopted events are persisted");
});
