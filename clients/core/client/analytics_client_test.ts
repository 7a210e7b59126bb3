import assert from "node:assert/strict";
import { create } from "@bufbuild/protobuf";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createRouterTransport } from "@connectrpc/connect";
import {
  Channel,
  type Event,
  EventResultSchema,
  IngestService,
  Outcome,
  type TrackRequest,
  TrackResponseSchema,
} from "@analytics/schema";
import { ManualScheduler, settle } from "../clock/manual_scheduler.ts";
import { MemoryStorage } from "../storage/memory_storage.ts";
import type { ClientTransport } from "../transport/client_transport.ts";
import {
  AnalyticsClient,
  type AnalyticsClientOptions,
  type Rejection,
} from "./analytics_client.ts";

/** A real Connect router whose Track answers with `answer(request, callNumber)`. */
function scriptedIngest(answer: (events: Event[], call: number) => Outcome[] | Error) {
  const calls: TrackRequest[] = [];
  const transport = createRouterTransport(({ service }) => {
    service(IngestService, {
      track(request) {
        calls.push(request);
        const outcomes = answer(request.events, calls.length);
        if (outcomes instanceof Error) throw outcomes;
        return create(TrackResponseSchema, {
          results: request.events.map((e, index) =>
            create(EventResultSchema, {
              index,
              eventId: e.eventId,
              outcome: outcomes[index],
              field: outcomes[index] === Outcome.REJECTED ? `events[${index}].session_id` : "",
              reason: outcomes[index] === Outcome.ACCEPTED ? "" : "because",
            })
          ),
        });
      },
      trackStream() {
        throw new ConnectError("not used", Code.Unimplemented);
      },
    });
  });
  const client: ClientTransport = { transport, protocol: "connect", close() {} };
  return { transport: client, calls };
}

const accepted = (events: Event[]) => events.map(() => Outcome.ACCEPTED);
const sentIds = (r: TrackRequest) => r.events.map((e) => e.eventId);

async function open(
  transport: ClientTransport,
  scheduler: ManualScheduler,
  more: Partial<AnalyticsClientOptions> = {},
) {
  return await AnalyticsClient.open({
    transport,
    channel: Channel.SERVER,
    platform: "test",
    scheduler,
    random: () => 0.5,
    backoff: { baseMs: 1000, maxMs: 8000 },
    flushIntervalMs: 500,
    ...more,
  });
}

Deno.test("client: only NOT_STORED events are retried, after backoff, with the same id and time", async () => {
  const scheduler = new ManualScheduler();
  const rejections: Rejection[] = [];
  const ingest = scriptedIngest((events, call) =>
    call === 1 ? [Outcome.ACCEPTED, Outcome.REJECTED, Outcome.NOT_STORED] : accepted(events)
  );
  const client = await open(ingest.transport, scheduler, { onRejected: (r) => rejections.push(r) });
  const made = [1, 2, 3].map((n) => client.track({ eventType: `e${n}` }));
  await scheduler.advance(499);
  assert.equal(ingest.calls.length, 0, "a batch that is not full waits for the interval");
  await scheduler.advance(1);
  assert.equal(ingest.calls.length, 1);
  assert.deepEqual(sentIds(ingest.calls[0]), made.map((e) => e.eventId));
  assert.deepEqual(scheduler.pendingDelays(), [500], "full jitter: 0.5 of the 1000 ms ceiling");
  assert.equal(rejections.length, 1);
  assert.equal(rejections[0].event.eventId, made[1].eventId);
  assert.equal(rejections[0].field, "events[1].session_id");

  await scheduler.advance(500);
  assert.equal(ingest.calls.length, 2);
  assert.deepEqual(sentIds(ingest.calls[1]), [made[2].eventId]);
  const retried = ingest.calls[1].events[0];
  assert.equal(timestampMs(retried.timestamp!), timestampMs(made[2].timestamp!));
  assert.equal(timestampMs(ingest.calls[1].sentAt!), scheduler.now(), "sent_at is set per send");
  assert.equal(timestampMs(retried.sentAt!), scheduler.now());
  await scheduler.advance(60_000);
  assert.equal(ingest.calls.length, 2, "nothing left to send");
  assert.equal(rejections.length, 1, "a rejected event is reported once");
  assert.deepEqual(
    { ...client.stats },
    { accepted: 2, rejected: 1, failed: 0, retries: 1, dropped: 0, queued: 0 },
  );
});

Deno.test("client: unavailable and resource_exhausted retry the batch with growing backoff", async () => {
  const scheduler = new ManualScheduler();
  const failures = [Code.Unavailable, Code.ResourceExhausted, Code.Unavailable];
  const ingest = scriptedIngest((events, call) =>
    call <= failures.length ? new ConnectError("not now", failures[call - 1]) : accepted(events)
  );
  const client = await open(ingest.transport, scheduler, { random: () => 0.999999 });
  const event = client.track({ eventType: "e" });
  await scheduler.advance(500);
  const delays: number[] = [];
  while (ingest.calls.length <= failures.length) {
    const [delay] = scheduler.pendingDelays();
    delays.push(delay);
    await scheduler.advance(delay);
  }
  assert.deepEqual(delays, [999, 1999, 3999], "ceilings 1 s, 2 s, 4 s; full jitter under each");
  assert.ok(ingest.calls.every((c) => sentIds(c)[0] === event.eventId && c.events.length === 1));
  assert.equal(client.stats.accepted, 1);
  assert.equal(client.stats.queued, 0);
  assert.deepEqual(scheduler.pendingDelays(), []);
});

Deno.test("client: a call error that cannot succeed later is reported with the batch, not retried", async () => {
  const scheduler = new ManualScheduler();
  const errors: { error: unknown; ids: string[] }[] = [];
  const ingest = scriptedIngest(() => new ConnectError("unknown write key", Code.Unauthenticated));
  const client = await open(ingest.transport, scheduler, {
    onError: (error, dropped) => errors.push({ error, ids: dropped.map((e) => e.eventId) }),
  });
  const event = client.track({ eventType: "e" });
  const result = await client.flush();
  assert.equal(result.remaining, 0);
  assert.equal(errors.length, 1);
  assert.deepEqual(errors[0].ids, [event.eventId]);
  assert.match(String(errors[0].error), /unknown write key/);
  await scheduler.advance(120_000);
  assert.equal(ingest.calls.length, 1);
  assert.equal(client.stats.failed, 1);
});

Deno.test("client: a full batch is sent at once; the queue bound drops the oldest while offline", async () => {
  const scheduler = new ManualScheduler();
  let online = false;
  const ingest = scriptedIngest((events) =>
    online ? accepted(events) : new ConnectError("log down", Code.Unavailable)
  );
  const client = await open(ingest.transport, scheduler, { maxBatchEvents: 2, queueCapacity: 3 });
  client.track({ eventType: "e1" });
  client.track({ eventType: "e2" });
  await scheduler.advance(0);
  assert.equal(ingest.calls.length, 1, "two events fill the batch: sent without waiting");
  const later = [3, 4, 5].map((n) => client.track({ eventType: `e${n}` }));
  assert.equal(client.stats.dropped, 2);
  online = true;
  await client.flush();
  const delivered = ingest.calls.slice(1).flatMap(sentIds);
  assert.deepEqual(delivered, later.map((e) => e.eventId), "e1 and e2 were the oldest");
  assert.equal(ingest.calls.length, 3, "a batch of 2, then 1");
  assert.equal(client.stats.accepted, 3);
});

Deno.test("client: session rotates after inactivity; identify links the anonymous id to the user", async () => {
  const scheduler = new ManualScheduler();
  const storage = new MemoryStorage();
  const ingest = scriptedIngest(accepted);
  const client = await open(ingest.transport, scheduler, { storage, sessionTimeoutMs: 60_000 });
  const first = client.track({ eventType: "a" });
  await scheduler.advance(59_000);
  const second = client.track({ eventType: "b" });
  await scheduler.advance(60_001);
  const third = client.track({ eventType: "c" });
  assert.equal(second.sessionId, first.sessionId);
  assert.notEqual(third.sessionId, second.sessionId);
  assert.equal(first.userId, "");
  assert.equal(first.anonymousId, client.anonymousId);

  const identify = await client.identify("user-42", { plan: "pro", seats: 3 });
  assert.equal(identify.eventType, "identify");
  assert.equal(identify.userId, "user-42");
  assert.equal(identify.anonymousId, first.anonymousId);
  assert.deepEqual(identify.properties, { plan: "pro", seats: 3 });
  assert.equal(client.track({ eventType: "d" }).userId, "user-42");
  await client.shutdown();
  assert.throws(() => client.track({ eventType: "late" }), /shut down/);

  const reopened = await open(ingest.transport, scheduler, { storage });
  assert.equal(reopened.anonymousId, first.anonymousId, "the anonymous id is persisted");
  assert.equal(reopened.userId, "user-42");
  await reopened.reset();
  assert.notEqual(reopened.anonymousId, first.anonymousId);
  assert.equal(reopened.track({ eventType: "e" }).userId, "");
  await reopened.shutdown();
  const sent = ingest.calls.flatMap((c) => c.events);
  assert.deepEqual(sent.map((e) => e.eventType), ["a", "b", "c", "identify", "d", "e"]);
  assert.ok(sent.every((e) => e.channel === Channel.SERVER && e.platform === "test"));
});

Deno.test("client: events left by a previous run are sent when the client opens", async () => {
  const scheduler = new ManualScheduler();
  const storage = new MemoryStorage();
  const down = scriptedIngest(() => new ConnectError("down", Code.Unavailable));
  const first = await open(down.transport, scheduler, { storage });
  const event = first.track({ eventType: "a" });
  const stopping = first.shutdown({ timeoutMs: 3000 });
  for (let i = 0; i < 8; i++) await scheduler.advance(500);
  const stats = await stopping;
  assert.equal(stats.queued, 1);
  assert.ok(down.calls.length >= 2, "shutdown retried within its time");
  const up = scriptedIngest(accepted);
  await open(up.transport, scheduler, { storage });
  await scheduler.advance(0);
  await settle();
  assert.deepEqual(up.calls.flatMap(sentIds), [event.eventId]);
});
