/**
 * Scenario 2: single events from browsers — one event per request, Connect JSON over HTTP/1.1
 * keep-alive — against the peer in the same run: the original product's API (Node.js + Express +
 * kafkajs, `bench/peer/express_kafkajs_api.mjs`), which sends each event to Kafka with acks=all
 * before answering. Both are loaded by the same closed-loop driver with the same concurrency and
 * the same events; each writes to a fresh topic of 6 partitions on the same broker. Our legacy
 * `POST /analytics` endpoint (the peer's own request shape) is measured too.
 *
 * The broker must be up (`bash deploy/up.sh kafka`); KAFKA_BROKERS names it.
 */
import { toJson } from "@bufbuild/protobuf";
import { Channel, type Event, EventSchema, uuidv7 } from "@analytics/schema";
import { hashWriteKey, newWriteKey } from "../ingest/auth/mod.ts";
import { createEventSource } from "./loadgen/events/mod.ts";
import type { ScenarioResult } from "./scenario.ts";
import { driveSingleEvents, type SingleEventLoadSummary } from "./single_event_load.ts";
import { spawnIngest } from "./spawn_ingest.ts";

/** Options of scenario 2. */
export interface SingleEventsOptions {
  brokers: string[];
  /** How long each server is loaded. */
  durationMs: number;
  /** Concurrent callers (browsers with a request in flight). */
  concurrency: number;
  onProgress?: (line: string) => void;
}

const peerPath = new URL("./peer/express_kafkajs_api.mjs", import.meta.url).pathname;

/** Runs the peer, then our ingest (Connect JSON, then `POST /analytics`), and reports the ratio. */
export async function runSingleEventsScenario(
  options: SingleEventsOptions,
): Promise<ScenarioResult> {
  const events = createEventSource({ seed: 11 }).batch(5_000);
  const eventAt = (i: number) => ({ ...events[i % events.length], eventId: uuidv7() });
  const run = `${Date.now()}`;

  options.onProgress?.("peer: Express + kafkajs on Node, acks=all per event");
  const peer = await spawnPeer(options.brokers, `bench.peer.${run}`);
  let peerSummary: SingleEventLoadSummary;
  try {
    peerSummary = await driveSingleEvents({
      url: `${peer.url}/analytics`,
      headers: { "content-type": "application/json" },
      body: (i) => JSON.stringify(legacyJson(eventAt(i))),
      accepted: (status) => status === 200,
      concurrency: options.concurrency,
      durationMs: options.durationMs,
      serverPid: peer.pid,
      onProgress: (line) => options.onProgress?.(`peer: ${line}`),
    });
  } finally {
    await peer.stop();
  }

  const key = newWriteKey();
  const ingest = await spawnIngest({
    INGEST_HTTP_PORT: "0",
    INGEST_GRPC_PORT: "0",
    INGEST_WRITE_KEYS: `bench:${hashWriteKey(key)}`,
    INGEST_LEGACY_SOURCE: "bench-legacy",
    INGEST_RATE_LIMIT_EVENTS_PER_SECOND: "10000000",
    KAFKA_BROKERS: options.brokers.join(","),
    KAFKA_EVENTS_TOPIC: `bench.single.${run}`,
    KAFKA_COMPRESSION: "gzip",
    LOG_LEVEL: "info",
  });
  let connect: SingleEventLoadSummary;
  let legacy: SingleEventLoadSummary;
  try {
    connect = await driveSingleEvents({
      url: `${ingest.httpUrl}/analytics.v1.IngestService/Track`,
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: (i) => JSON.stringify({ events: [toJson(EventSchema, eventAt(i))] }),
      accepted: (status, text) => status === 200 && JSON.parse(text).accepted === 1,
      concurrency: options.concurrency,
      durationMs: options.durationMs,
      serverPid: ingest.pid,
      onProgress: (line) => options.onProgress?.(`ingest (Connect JSON): ${line}`),
    });
    legacy = await driveSingleEvents({
      url: `${ingest.httpUrl}/analytics`,
      headers: { "content-type": "application/json" },
      body: (i) => JSON.stringify(legacyJson(eventAt(i))),
      accepted: (status) => status === 200,
      concurrency: options.concurrency,
      durationMs: options.durationMs,
      serverPid: ingest.pid,
      onProgress: (line) => options.onProgress?.(`ingest (POST /analytics): ${line}`),
    });
  } finally {
    await ingest.stop();
  }
  if (connect.accepted === 0) throw new Error(`nothing accepted: ${JSON.stringify(connect)}`);
  return {
    scenario: "2 single events (Connect JSON, HTTP/1.1 keep-alive, 1 event per request)",
    ours: { label: "ingest events/s", value: connect.acceptedPerSecond },
    baseline: { label: "Express + kafkajs peer events/s", value: peerSummary.acceptedPerSecond },
    ratio: connect.acceptedPerSecond / peerSummary.acceptedPerSecond,
    details: {
      concurrency: options.concurrency,
      p99RatioOursToPeer: connect.latencyMs.p99 / peerSummary.latencyMs.p99,
      ours: connect,
      oursLegacyEndpoint: legacy,
      legacyRatio: legacy.acceptedPerSecond / peerSummary.acceptedPerSecond,
      peer: peerSummary,
    },
  };
}

/** The original API's JSON shape of an event (snake_case, `metadata` for properties). */
function legacyJson(event: Event): Record<string, unknown> {
  return {
    event_id: event.eventId,
    event_type: event.eventType,
    event_category: event.eventCategory,
    channel: Channel[event.channel].replace("CHANNEL_", "").toLowerCase(),
    platform: event.platform,
    session_id: event.sessionId,
    user_id: event.userId || null,
    anonymous_id: event.anonymousId,
    timestamp: event.timestamp
      ? new Date(Number(event.timestamp.seconds) * 1000 + event.timestamp.nanos / 1e6)
        .toISOString()
      : undefined,
    resource_id: event.resourceId,
    resource_title: event.resourceTitle,
    interaction_target: event.interactionTarget,
    interaction_value: event.interactionValue,
    interaction_text: event.interactionText,
    metadata: event.properties,
  };
}

/** Starts the peer under Node and waits for its `listening <port>` line. */
async function spawnPeer(
  brokers: string[],
  topic: string,
): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const child = new Deno.Command("node", {
    args: [peerPath],
    env: { KAFKA_BROKERS: brokers.join(","), PEER_TOPIC: topic, PEER_PORT: "0" },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const timeout = setTimeout(() => child.kill("SIGKILL"), 30_000);
  let seen = "";
  try {
    while (!/listening (\d+)/.test(seen)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the peer exited before listening: ${seen}`);
      seen += value;
    }
  } finally {
    clearTimeout(timeout);
  }
  const port = Number(seen.match(/listening (\d+)/)![1]);
  const drained = (async () => {
    while (!(await reader.read()).done) { /* discard */ }
  })();
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
      await drained;
    },
  };
}
