import { deepStrictEqual as assertEquals, ok, rejects } from "node:assert/strict";
import { fromBinary } from "@bufbuild/protobuf";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { Channel, type Event, EventSchema, IngestService, Outcome } from "@analytics/schema";
import { hashWriteKey, newWriteKey } from "../auth/key_hash.ts";
import { WriteKeyStore } from "../auth/write_key_store.ts";
import type { RateLimit } from "../auth/write_key.ts";
import { loadIngestConfig } from "../config.ts";
import { RateLimiter } from "../limits/rate_limiter.ts";
import { createLogger } from "../observability/logger.ts";
import { clientAddressKey } from "../server/client_address.ts";
import { EVENT_SCHEMA, EVENTS_TOPIC } from "../stream/topics.ts";
import { sampleAgentEvent, sampleWebEvent } from "../validate/testdata/sample_events.ts";
import { createIngestService } from "./ingest_service.ts";
import { NOT_STORED_REASON } from "./ingest_batch.ts";
import { MemoryPublisher } from "./testdata/memory_publisher.ts";

const SITE_KEY = newWriteKey();
const AGENT_KEY = newWriteKey();
const TINY_KEY = newWriteKey();

interface Setup {
  publisher: MemoryPublisher;
  client: ReturnType<typeof createClient<typeof IngestService>>;
  logLines: string[];
}

function setup(env: Record<string, string> = {}, tinyLimit?: RateLimit): Setup {
  const config = loadIngestConfig({
    INGEST_WRITE_KEYS: `site:${hashWriteKey(SITE_KEY)}:web,agents:${hashWriteKey(AGENT_KEY)}`,
    ...env,
  });
  const publisher = new MemoryPublisher();
  const keys = new WriteKeyStore([
    ...config.writeKeys,
    {
      keyHash: hashWriteKey(TINY_KEY),
      source: "tiny",
      channels: "all",
      rateLimit: tinyLimit ?? { eventsPerSecond: 0.001, burst: 2 },
    },
  ]);
  const logLines: string[] = [];
  const service = createIngestService({
    publisher,
    keys,
    limiter: new RateLimiter({ defaultLimit: config.rateLimit, now: () => 0 }),
    config,
    log: createLogger({ write: (line) => logLines.push(line) }),
  });
  const transport = createRouterTransport(({ service: register }) => {
    register(IngestService, service);
  }, {
    router: {
      interceptors: [(next) => (req) => {
        req.contextValues.set(clientAddressKey, "203.0.113.9");
        return next(req);
      }],
    },
  });
  return { publisher, client: createClient(IngestService, transport), logLines };
}

const auth = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });

async function connectError(promise: Promise<unknown>): Promise<ConnectError> {
  try {
    await promise;
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error("expected the call to fail");
}

Deno.test("a valid batch is accepted, enriched and published with headers", async () => {
  const { client, publisher } = setup();
  const events = [sampleWebEvent(), sampleWebEvent({ userId: "u-1" })];
  const answer = await client.track({ events }, {
    headers: {
      authorization: `Bearer ${SITE_KEY}`,
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    },
  });
  assertEquals([answer.accepted, answer.rejected, answer.notStored], [2, 0, 0]);
  assertEquals(answer.results.map((r) => [r.index, r.eventId, r.outcome]), [
    [0, events[0].eventId, Outcome.ACCEPTED],
    [1, events[1].eventId, Outcome.ACCEPTED],
  ]);
  ok(Math.abs(timestampMs(answer.serverTime!) - Date.now()) < 60_000);
  assertEquals(publisher.records.length, 2);
  const [first, second] = publisher.records;
  assertEquals(first.topic, EVENTS_TOPIC);
  assertEquals(first.record.headers, {
    schema: EVENT_SCHEMA,
    traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
  });
  assertEquals([first.record.key, second.record.key], ["anon-1", "u-1"]);
  const stored = fromBinary(EventSchema, first.record.value);
  assertEquals(stored.eventId, events[0].eventId);
  assertEquals(stored.enrichment?.source, "site");
  assertEquals(stored.enrichment?.ip, "203.0.113.0");
  assertEquals(stored.enrichment?.userAgent?.browserName, "Chrome");
  // Tracing is off here: the events carry the trace of the client's traceparent.
  assertEquals(stored.enrichment?.traceId, "0af7651916cd43dd8448eb211c80319c");
});

Deno.test("without a traceparent and with tracing off, an event carries no trace id", async () => {
  const { client, publisher } = setup();
  const answer = await client.track({ events: [sampleWebEvent()] }, auth(SITE_KEY));
  assertEquals(answer.accepted, 1);
  const stored = fromBinary(EventSchema, publisher.records[0].record.value);
  assertEquals(stored.enrichment?.traceId, "");
  assertEquals(publisher.records[0].record.headers.traceparent, undefined);
});

Deno.test("a mixed batch: accepted, rejected with field, not stored", async () => {
  const { client, publisher } = setup();
  // The publisher fails the second record it is given (events[3] below).
  publisher.failRecord = (i) => i === 1;
  const events = [
    sampleWebEvent(),
    sampleWebEvent({ sessionId: "" }),
    sampleWebEvent({ context: { case: "web", value: { url: "x".repeat(3000) } } }),
    sampleWebEvent(),
  ];
  const answer = await client.track({ events }, auth(SITE_KEY));
  assertEquals([answer.accepted, answer.rejected, answer.notStored], [1, 2, 1]);
  assertEquals(answer.results.map((r) => [r.index, r.outcome, r.field]), [
    [0, Outcome.ACCEPTED, ""],
    [1, Outcome.REJECTED, "events[1].session_id"],
    [2, Outcome.REJECTED, "events[2].web.url"],
    [3, Outcome.NOT_STORED, ""],
  ]);
  assertEquals(answer.results[3].reason, NOT_STORED_REASON);
  assertEquals(publisher.records.map((r) => fromBinary(EventSchema, r.record.value).eventId), [
    events[0].eventId,
  ]);
});

Deno.test("an all-rejected batch is a normal answer", async () => {
  const { client, publisher } = setup();
  const answer = await client.track(
    { events: [sampleWebEvent({ eventId: "nope" })] },
    auth(SITE_KEY),
  );
  assertEquals([answer.accepted, answer.rejected], [0, 1]);
  assertEquals(answer.results[0].field, "events[0].event_id");
  assertEquals(publisher.records.length, 0);
});

Deno.test("nothing stored because the log is down → unavailable, and the cause is logged", async () => {
  const { client, publisher, logLines } = setup();
  publisher.down = true;
  const error = await connectError(
    client.track(
      { events: [sampleWebEvent(), sampleWebEvent({ eventId: "bad" })] },
      auth(SITE_KEY),
    ),
  );
  assertEquals(error.code, Code.Unavailable);
  ok(error.rawMessage.includes("none of 1 events could be stored"));
  ok(logLines.some((l) => l.includes("broker unreachable")), "the cause reaches the log");

  publisher.down = false;
  publisher.throwOnPublish = true;
  const thrown = await connectError(client.track({ events: [sampleWebEvent()] }, auth(SITE_KEY)));
  assertEquals(thrown.code, Code.Unavailable);
});

Deno.test("a missing or unknown key is unauthenticated", async () => {
  const { client } = setup();
  const missing = await connectError(client.track({ events: [sampleWebEvent()] }));
  assertEquals(missing.code, Code.Unauthenticated);
  ok(missing.rawMessage.startsWith("missing write key"));
  const unknown = await connectError(
    client.track({ events: [sampleWebEvent()] }, auth(newWriteKey())),
  );
  assertEquals([unknown.code, unknown.rawMessage], [Code.Unauthenticated, "unknown write key"]);
});

Deno.test("a key's channel restriction rejects the other channels per event", async () => {
  const { client, publisher } = setup();
  const answer = await client.track(
    { events: [sampleWebEvent(), sampleAgentEvent()] },
    auth(SITE_KEY),
  );
  assertEquals(answer.results.map((r) => [r.outcome, r.field]), [
    [Outcome.ACCEPTED, ""],
    [Outcome.REJECTED, "events[1].channel"],
  ]);
  ok(answer.results[1].reason.includes("may not send channel agent"));
  assertEquals(publisher.records.length, 1);
  const agents = await client.track({ events: [sampleAgentEvent()] }, auth(AGENT_KEY));
  assertEquals(agents.accepted, 1);
});

Deno.test("rate limit: events over it are not stored; nothing fitting → resource_exhausted", async () => {
  const { client } = setup();
  const events = [
    sampleAgentEvent(),
    sampleAgentEvent(),
    sampleAgentEvent({ eventId: "x" }),
    sampleAgentEvent(),
  ];
  const answer = await client.track({ events }, auth(TINY_KEY));
  assertEquals(answer.results.map((r) => r.outcome), [
    Outcome.ACCEPTED,
    Outcome.ACCEPTED,
    Outcome.REJECTED,
    Outcome.NOT_STORED,
  ]);
  ok(answer.results[3].reason.startsWith("rate limit of 0.001 events/s (burst 2)"));
  const error = await connectError(client.track({ events: [sampleAgentEvent()] }, auth(TINY_KEY)));
  assertEquals(error.code, Code.ResourceExhausted);
  ok(error.rawMessage.includes('for source "tiny"'));
});

Deno.test("a batch above the limit is invalid_argument naming events", async () => {
  const { client } = setup({ INGEST_MAX_BATCH_EVENTS: "3" });
  const error = await connectError(
    client.track({ events: Array.from({ length: 4 }, () => sampleWebEvent()) }, auth(SITE_KEY)),
  );
  assertEquals(error.code, Code.InvalidArgument);
  ok(error.rawMessage.startsWith("events: at most 3 events per request"));
  const empty = await connectError(client.track({ events: [] }, auth(SITE_KEY)));
  assertEquals(empty.code, Code.InvalidArgument);
});

Deno.test("an event above the encoded size limit is rejected naming the limit", async () => {
  const { client } = setup({ INGEST_MAX_EVENT_BYTES: "1024" });
  const answer = await client.track({
    events: [sampleAgentEvent({ interactionText: "y".repeat(2000) }), sampleAgentEvent()],
  }, auth(AGENT_KEY));
  assertEquals(answer.results.map((r) => [r.outcome, r.field]), [
    [Outcome.REJECTED, "events[0]"],
    [Outcome.ACCEPTED, ""],
  ]);
  ok(answer.results[0].reason.includes("INGEST_MAX_EVENT_BYTES"));
});

Deno.test("the write key may come as ?write_key= on the URL", async () => {
  const config = loadIngestConfig({ INGEST_WRITE_KEYS: `site:${hashWriteKey(SITE_KEY)}` });
  const publisher = new MemoryPublisher();
  const service = createIngestService({
    publisher,
    keys: new WriteKeyStore(config.writeKeys),
    limiter: new RateLimiter({ defaultLimit: config.rateLimit }),
    config,
  });
  const transport = createRouterTransport(
    ({ service: register }) => register(IngestService, service),
    {
      transport: {
        interceptors: [
          (next) => (req) => next({ ...req, url: `${req.url}?write_key=${SITE_KEY}` }),
        ],
      },
    },
  );
  const answer = await createClient(IngestService, transport).track({ events: [sampleWebEvent()] });
  assertEquals(answer.accepted, 1);
});

async function* stream(batches: Event[][], sentAt?: number) {
  for (const events of batches) {
    yield { events, sentAt: sentAt ? timestampFromMs(sentAt) : undefined };
  }
}

Deno.test("TrackStream indexes events across the whole stream and answers once", async () => {
  const { client, publisher } = setup();
  const batches = [
    [sampleAgentEvent(), sampleAgentEvent({ sessionId: "" })],
    [sampleAgentEvent(), sampleAgentEvent({ channel: Channel.WEB })],
    [sampleAgentEvent()],
  ];
  const answer = await client.trackStream(stream(batches), auth(AGENT_KEY));
  assertEquals([answer.accepted, answer.rejected, answer.notStored], [3, 2, 0]);
  assertEquals(answer.results.map((r) => [r.index, r.outcome, r.field]), [
    [0, Outcome.ACCEPTED, ""],
    [1, Outcome.REJECTED, "events[1].session_id"],
    [2, Outcome.ACCEPTED, ""],
    [3, Outcome.REJECTED, "events[3].agent"],
    [4, Outcome.ACCEPTED, ""],
  ]);
  assertEquals(answer.results.map((r) => r.eventId), batches.flat().map((e) => e.eventId));
  assertEquals(publisher.records.length, 3);
});

Deno.test("TrackStream: unauthenticated, stream limit, and unavailable when nothing is stored", async () => {
  const { client, publisher } = setup({ INGEST_MAX_STREAM_EVENTS: "3" });
  const missing = await connectError(client.trackStream(stream([[sampleAgentEvent()]])));
  assertEquals(missing.code, Code.Unauthenticated);
  const tooLong = await connectError(
    client.trackStream(
      stream([[sampleAgentEvent(), sampleAgentEvent()], [sampleAgentEvent(), sampleAgentEvent()]]),
      auth(AGENT_KEY),
    ),
  );
  assertEquals(tooLong.code, Code.ResourceExhausted);
  ok(tooLong.rawMessage.includes("INGEST_MAX_STREAM_EVENTS"));
  publisher.down = true;
  const down = await connectError(
    client.trackStream(stream([[sampleAgentEvent()], [sampleAgentEvent()]]), auth(AGENT_KEY)),
  );
  assertEquals(down.code, Code.Unavailable);
  await rejects(
    client.trackStream(stream([[]]), auth(AGENT_KEY)),
    (e) => ConnectError.from(e).code === Code.InvalidArgument,
  );
});

Deno.test("with the real embedded log: accepted events are read back, decoded and enriched", async () => {
  const { openLocalLog } = await import("../stream/local/mod.ts");
  const dir = await Deno.makeTempDir();
  const log = await openLocalLog({ dir, partitions: 3 });
  try {
    const config = loadIngestConfig({ INGEST_WRITE_KEYS: `agents:${hashWriteKey(AGENT_KEY)}` });
    const service = createIngestService({
      publisher: await log.publisher(),
      keys: new WriteKeyStore(config.writeKeys),
      limiter: new RateLimiter({ defaultLimit: config.rateLimit }),
      config,
      log: createLogger({ write: () => {} }),
    });
    const transport = createRouterTransport(({ service: register }) =>
      register(IngestService, service)
    );
    const events = Array.from(
      { length: 20 },
      (_, i) => sampleAgentEvent({ userId: `user-${i % 7}` }),
    );
    events.push(sampleAgentEvent({ eventId: "invalid" }));
    const answer = await createClient(IngestService, transport).track({ events }, auth(AGENT_KEY));
    assertEquals([answer.accepted, answer.rejected], [20, 1]);

    const consumer = await log.consumer({ topic: EVENTS_TOPIC, group: "test" });
    const read: Event[] = [];
    for (let attempt = 0; attempt < 50 && read.length < 20; attempt++) {
      for (const record of await consumer.poll({ maxRecords: 100, maxWaitMs: 100 })) {
        assertEquals(record.headers.schema, EVENT_SCHEMA);
        const event = fromBinary(EventSchema, record.value);
        assertEquals(record.key, event.userId);
        read.push(event);
      }
    }
    await consumer.close();
    assertEquals(
      read.map((e) => e.eventId).sort(),
      events.slice(0, 20).map((e) => e.eventId).sort(),
    );
    ok(read.every((e) => e.enrichment?.source === "agents" && e.enrichment.receivedAt));
  } finally {
    await log.close();
    await Deno.remove(dir, { recursive: true });
  }
});
