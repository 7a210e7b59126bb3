import { equal, ok } from "node:assert/strict";
import { fromBinary } from "@bufbuild/protobuf";
import { createClient, createRouterTransport } from "@connectrpc/connect";
import { EventSchema, IngestService, Outcome } from "@analytics/schema";
import { hashWriteKey, newWriteKey } from "../auth/key_hash.ts";
import { WriteKeyStore } from "../auth/write_key_store.ts";
import { loadIngestConfig } from "../config.ts";
import { RateLimiter } from "../limits/rate_limiter.ts";
import { MetricsRegistry } from "../observability/metrics_registry.ts";
import { openSuppressionList } from "../suppression/mod.ts";
import { sampleWebEvent } from "../validate/testdata/sample_events.ts";
import { SUPPRESSED_REASON } from "./ingest_batch.ts";
import { createIngestService } from "./ingest_service.ts";
import { MemoryPublisher } from "./testdata/memory_publisher.ts";

Deno.test("events of a suppressed user or linked anonymous id are rejected, never published", async () => {
  const dir = await Deno.makeTempDir();
  const list = await openSuppressionList({ kind: "local", dir, topic: "t" });
  try {
    await list.add([
      { id: "u-deleted", kind: "user", deletionId: "d", at: Date.now() },
      { id: "anon-deleted", kind: "anonymous", deletionId: "d", at: Date.now() },
    ]);
    const key = newWriteKey();
    const config = loadIngestConfig({ INGEST_WRITE_KEYS: `site:${hashWriteKey(key)}` });
    const publisher = new MemoryPublisher();
    const registry = new MetricsRegistry();
    const service = createIngestService({
      publisher,
      keys: new WriteKeyStore(config.writeKeys),
      limiter: new RateLimiter({ defaultLimit: config.rateLimit }),
      config,
      suppression: {
        list,
        suppressed: registry.counter("analytics_ingest_events_suppressed_total", "test"),
      },
    });
    const client = createClient(
      IngestService,
      createRouterTransport(({ service: register }) => register(IngestService, service)),
    );
    const events = [
      sampleWebEvent({ userId: "u-deleted" }),
      sampleWebEvent({ userId: "u-kept", anonymousId: "anon-deleted" }),
      sampleWebEvent({ userId: "u-kept", anonymousId: "anon-kept" }),
    ];
    const answer = await client.track({ events }, {
      headers: { authorization: `Bearer ${key}` },
    });
    equal(answer.accepted, 1);
    equal(answer.rejected, 2);
    const [user, anonymous, kept] = answer.results;
    equal(user.outcome, Outcome.REJECTED);
    equal(user.field, "events[0].user_id");
    equal(user.reason, SUPPRESSED_REASON);
    equal(anonymous.field, "events[1].anonymous_id");
    equal(kept.outcome, Outcome.ACCEPTED);
    equal(publisher.records.length, 1);
    equal(fromBinary(EventSchema, publisher.records[0].record.value).anonymousId, "anon-kept");
    ok(
      registry.render().includes('analytics_ingest_events_suppressed_total{channel="web"} 2'),
      registry.render(),
    );
  } finally {
    await list.close();
    await Deno.remove(dir, { recursive: true });
  }
});
