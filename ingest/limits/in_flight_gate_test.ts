import { equal, match, ok, throws } from "node:assert/strict";
import { deadlineReason, InFlightGate, overloadedReason } from "./in_flight_gate.ts";

Deno.test("the gate admits batches up to its bound and sheds the one that would pass it", () => {
  const gate = new InFlightGate(250);
  equal(gate.tryEnter(100), true);
  equal(gate.tryEnter(100), true);
  equal(gate.tryEnter(100), false);
  equal(gate.inFlight, 200);
  equal(gate.tryEnter(50), true);
  equal(gate.inFlight, 250);
  gate.leave(100);
  equal(gate.tryEnter(100), true);
  equal(gate.inFlight, 250);
});

Deno.test("a batch above the whole bound is admitted only when nothing else is in flight", () => {
  const gate = new InFlightGate(10);
  equal(gate.tryEnter(500), true);
  equal(gate.tryEnter(1), false);
  gate.leave(500);
  equal(gate.inFlight, 0);
  equal(gate.tryEnter(1), true);
  equal(gate.tryEnter(500), false);
});

Deno.test("leaving never makes the count negative; a bad bound is refused", () => {
  const gate = new InFlightGate(5);
  gate.leave(3);
  equal(gate.inFlight, 0);
  throws(() => new InFlightGate(0), /maxEvents must be an integer >= 1, got 0/);
  throws(() => new InFlightGate(1.5), RangeError);
});

Deno.test("the shed reason names the limit and its variable", () => {
  match(overloadedReason(20000), /more than 20000 events .*INGEST_MAX_IN_FLIGHT_EVENTS.*retry/);
});

Deno.test("a call whose time left is below what batches take is refused, naming both", () => {
  const gate = new InFlightGate(1_000);
  equal(gate.enter(10, 1), undefined, "nothing learnt yet: admitted");
  gate.leave(10, 400);
  // First sample: average 400, deviation 200 → 400 + 4 × 200.
  equal(gate.expectedMs, 1_200);
  equal(
    gate.enter(10, 1),
    undefined,
    "nothing in flight: admitted, so the estimate keeps learning",
  );
  equal(gate.enter(10, 1_100), deadlineReason(1_200, 1_100));
  match(deadlineReason(1_200, 1_100), /about 1200 ms now, more than the 1100 ms left .*deadline/);
  equal(gate.enter(10, 1_300), undefined);
  equal(gate.enter(10), undefined, "no deadline: only the event bound applies");
  equal(gate.enter(2_000, 10_000), overloadedReason(1_000));
  // Steady batches shrink the deviation: the estimate approaches what batches take.
  for (let i = 0; i < 40; i++) gate.leave(0, 400);
  ok(gate.expectedMs > 400 && gate.expectedMs < 410, String(gate.expectedMs));
  // A sudden slow batch raises it at once, before the average catches up.
  gate.leave(0, 2_000);
  ok(gate.expectedMs > 2_000, String(gate.expectedMs));
});

Deno.test("heap pressure sheds new batches while others are in flight, never the only one", () => {
  let reason: string | undefined = "ingest overloaded: its heap holds 170 MiB of its 192 MiB limit";
  const gate = new InFlightGate(1_000, { check: () => reason });
  equal(gate.enter(10), undefined, "with nothing in flight a batch is admitted");
  equal(gate.enter(10), reason);
  reason = undefined;
  equal(gate.enter(10), undefined);
  equal(gate.inFlight, 20);
});
