import { deepStrictEqual as assertEquals, equal, rejects } from "node:assert/strict";
import { LingerQueue } from "./linger_queue.ts";

/** A send whose calls are recorded and answered when the test says so. */
function heldSend() {
  const calls: { key: string; items: number[]; answer: (fail?: Error) => void }[] = [];
  const send = (key: string, items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      calls.push({
        key,
        items,
        answer: (fail) => fail ? reject(fail) : resolve(items.map((i) => `${key}:${i}`)),
      });
    });
  return { calls, send };
}

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("concurrent adds within the linger go out as one send; each caller gets its own", async () => {
  const { calls, send } = heldSend();
  const queue = new LingerQueue(send, 5, 100);
  const a = queue.add("t", [1, 2]);
  const b = queue.add("t", [3]);
  const c = queue.add("u", [4]);
  await tick(20);
  assertEquals(calls.map((c) => [c.key, c.items]), [["t", [1, 2, 3]], ["u", [4]]]);
  for (const call of calls) call.answer();
  assertEquals(await a, ["t:1", "t:2"]);
  assertEquals(await b, ["t:3"]);
  assertEquals(await c, ["u:4"]);
});

Deno.test("a full batch goes out at once, whole callers only", async () => {
  const { calls, send } = heldSend();
  const queue = new LingerQueue(send, 60_000, 4);
  const a = queue.add("t", [1, 2, 3]);
  const b = queue.add("t", [4, 5]);
  await tick();
  // [1,2,3] + [4,5] is over 4: the first caller alone; [4,5] waits for company.
  assertEquals(calls.map((c) => c.items), [[1, 2, 3]]);
  const c = queue.add("t", [6, 7]);
  await tick();
  assertEquals(calls.map((c) => c.items), [[1, 2, 3], [4, 5, 6, 7]]);
  for (const call of calls) call.answer();
  assertEquals([await a, await b, await c].map((r) => r.length), [3, 2, 2]);
});

Deno.test("with one send in flight, what arrives meanwhile waits and goes in the next send", async () => {
  const { calls, send } = heldSend();
  const queue = new LingerQueue(send, 1, 1_000, 1);
  const first = queue.add("t", [1]);
  await tick(10);
  equal(calls.length, 1);
  const later = [queue.add("t", [2]), queue.add("t", [3]), queue.add("t", [4])];
  await tick(20);
  equal(calls.length, 1, "nothing else is sent while the first send is out");
  calls[0].answer();
  assertEquals(await first, ["t:1"]);
  await tick();
  assertEquals(calls.map((c) => c.items), [[1], [2, 3, 4]]);
  calls[1].answer();
  assertEquals(await Promise.all(later), [["t:2"], ["t:3"], ["t:4"]]);
  // A send out on one key does not hold back another key.
  const blocking = queue.add("t", [5]);
  await tick(10);
  const other = queue.add("u", [9]);
  await tick(10);
  assertEquals(calls.slice(2).map((c) => [c.key, c.items]), [["t", [5]], ["u", [9]]]);
  calls[3].answer();
  assertEquals(await other, ["u:9"]);
  calls[2].answer();
  assertEquals(await blocking, ["t:5"]);
});

Deno.test("a failed send rejects its callers only; drain sends what waits and waits for it", async () => {
  const { calls, send } = heldSend();
  const queue = new LingerQueue(send, 60_000, 1_000, 1);
  const failing = queue.add("t", [1]);
  await tick();
  equal(calls.length, 0, "lingering");
  const drained = queue.drain();
  await tick();
  equal(calls.length, 1);
  const queued = queue.add("t", [2]);
  calls[0].answer(new Error("broker gone"));
  await rejects(failing, /broker gone/);
  await tick();
  equal(calls.length, 2);
  calls[1].answer();
  await drained;
  assertEquals(await queued, ["t:2"]);
});
