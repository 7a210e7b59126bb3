import { deepStrictEqual as assertEquals, equal, match, ok } from "node:assert/strict";
import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { IngestService, Outcome } from "@analytics/schema";
import { hashWriteKey, newWriteKey } from "../auth/key_hash.ts";
import { WriteKeyStore } from "../auth/write_key_store.ts";
import { loadIngestConfig } from "../config.ts";
import { InFlightGate } from "../limits/in_flight_gate.ts";
import { RateLimiter } from "../limits/rate_limiter.ts";
import { createLogger } from "../observability/logger.ts";
import type { Publisher, PublishOutcome } from "../stream/publisher.ts";
import type { OutgoingRecord } from "../stream/record.ts";
import { sampleWebEvent } from "../validate/testdata/sample_events.ts";
import { createLegacyAnalyticsHandler } from "../legacy/mod.ts";
import { createIngestService } from "./ingest_service.ts";
import { MemoryPublisher } from "./testdata/memory_publisher.ts";

const KEY = newWriteKey();

/** A publisher whose answers wait until `release()`: the log is slower than the callers. */
class HeldPublisher implements Publisher {
  readonly inner = new MemoryPublisher();
  #waiting: (() => void)[] = [];
  held = 0;

  publish(topic: string, records: OutgoingRecord[]): Promise<PublishOutcome[]> {
    this.held += records.length;
    return new Promise((resolve) => {
      this.#waiting.push(() => resolve(this.inner.publish(topic, records)));
    });
  }

  release(): void {
    for (const answer of this.#waiting.splice(0)) answer();
    this.held = 0;
  }

  isReady = () => Promise.resolve(true);
  close = () => Promise.resolve();
}

function setup(maxInFlight: number) {
  const config = loadIngestConfig({
    INGEST_WRITE_KEYS: `site:${hashWriteKey(KEY)}:web`,
    INGEST_MAX_IN_FLIGHT_EVENTS: String(maxInFlight),
    INGEST_LEGACY_SOURCE: "legacy-site",
  });
  const publisher = new HeldPublisher();
  const deps = {
    publisher,
    keys: new WriteKeyStore(config.writeKeys),
    limiter: new RateLimiter({ defaultLimit: config.rateLimit, now: () => 0 }),
    inFlight: new InFlightGate(config.limits.maxInFlightEvents),
    config,
    log: createLogger({ write: () => {} }),
  };
  const transport = createRouterTransport(({ service }) => {
    service(IngestService, createIngestService(deps));
  });
  const client = createClient(IngestService, transport);
  const legacy = createLegacyAnalyticsHandler(deps);
  return { publisher, client, legacy, gate: deps.inFlight };
}

const auth = { headers: { authorization: `Bearer ${KEY}` } };
const batch = (n: number) => Array.from({ length: n }, () => sampleWebEvent());

/** Lets the pipeline run up to its awaited publish. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

Deno.test("batches beyond the in-flight bound are shed with resource_exhausted naming it", async () => {
  const { publisher, client, gate } = setup(150);
  const first = client.track({ events: batch(100) }, auth);
  await settle();
  equal(publisher.held, 100);
  equal(gate.inFlight, 100);

  let error: ConnectError | undefined;
  try {
    await client.track({ events: batch(100) }, auth);
  } catch (e) {
    error = ConnectError.from(e);
  }
  equal(error?.code, Code.ResourceExhausted);
  match(error!.rawMessage, /more than 150 events awaiting the event log/);
  match(error!.rawMessage, /INGEST_MAX_IN_FLIGHT_EVENTS/);
  equal(publisher.held, 100, "the shed batch never reached the publisher");

  // A batch that still fits is taken beside the first.
  const small = client.track({ events: batch(50) }, auth);
  await settle();
  equal(gate.inFlight, 150);

  publisher.release();
  const [a, b] = await Promise.all([first, small]);
  assertEquals([a.accepted, b.accepted], [100, 50]);
  equal(gate.inFlight, 0);
  equal(publisher.inner.records.length, 150);

  // Once the log answered, new batches are admitted again.
  const again = client.track({ events: batch(100) }, auth);
  await settle();
  publisher.release();
  equal((await again).accepted, 100);
});

Deno.test("a stream message beyond the bound gets its events NOT_STORED with the reason", async () => {
  const { publisher, client } = setup(100);
  const first = client.track({ events: batch(100) }, auth);
  await settle();
  async function* messages() {
    yield { events: batch(3) };
  }
  let error: ConnectError | undefined;
  try {
    await client.trackStream(messages(), auth);
  } catch (e) {
    error = ConnectError.from(e);
  }
  equal(error?.code, Code.ResourceExhausted);
  match(error!.rawMessage, /INGEST_MAX_IN_FLIGHT_EVENTS/);
  publisher.release();
  equal((await first).accepted, 100);
});

Deno.test("POST /analytics answers 429 with Retry-After while the ingest is at its bound", async () => {
  const { publisher, client, legacy } = setup(100);
  const first = client.track({ events: batch(100) }, auth);
  await settle();
  const response = await legacy(
    new Request("http://ingest/analytics", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ event_type: "page_view", channel: "web", session_id: "s-1" }),
    }),
    { remoteAddress: "203.0.113.9" },
  );
  equal(response.status, 429);
  equal(response.headers.get("retry-after"), "1");
  match((await response.json()).error, /INGEST_MAX_IN_FLIGHT_EVENTS/);
  publisher.release();
  const answer = await first;
  equal(answer.results.every((r) => r.outcome === Outcome.ACCEPTED), true);
});

Deno.test("a call with less time left than batches take is shed at once, naming its deadline", async () => {
  const { publisher, client, gate } = setup(10_000);
  const first = client.track({ events: batch(10) }, auth);
  await settle();
  await new Promise((resolve) => setTimeout(resolve, 300));
  publisher.release();
  equal((await first).accepted, 10);
  ok(gate.expectedMs >= 300, `learnt ${gate.expectedMs} ms`);

  const held = client.track({ events: batch(10) }, auth);
  await settle();
  let error: ConnectError | undefined;
  try {
    await client.track({ events: batch(10) }, { ...auth, timeoutMs: 150 });
  } catch (e) {
    error = ConnectError.from(e);
  }
  equal(error?.code, Code.ResourceExhausted);
  match(error!.rawMessage, /batches take about \d+ ms now, more than the \d+ ms left/);
  equal(publisher.held, 10, "the shed call never reached the publisher");

  const patient = client.track({ events: batch(10) }, { ...auth, timeoutMs: 60_000 });
  await settle();
  publisher.release();
  assertEquals([(await held).accepted, (await patient).accepted], [10, 10]);
});
