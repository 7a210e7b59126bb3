import assert from "node:assert/strict";
import { equals, toJson } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { createRouterTransport } from "@connectrpc/connect";
import { createClient } from "@connectrpc/connect";
import { Channel, CountGroup, EventSchema, QueryService } from "@analytics/schema";
import { openLocalLog } from "../../ingest/stream/local/mod.ts";
import { EVENTS_TOPIC } from "../../ingest/stream/topics.ts";
import { runSinkLoop } from "../loop/mod.ts";
import { createQueryService } from "../query/mod.ts";
import { sampleEvents, toRecord } from "../testing/sample_events.ts";
import { TimescaleStore } from "./timescale_store.ts";
import { IGNORE_POSTGRES, openTestStore } from "./testing/test_targets.ts";

for (const kind of ["postgres", "pglite"] as const) {
  Deno.test({
    name: `${kind}: local log → sink loop → rows equal the events; QueryService answers`,
    ignore: kind === "postgres" && IGNORE_POSTGRES,
    fn: async () => {
      const dir = await Deno.makeTempDir();
      const log = await openLocalLog({ dir, fsync: "never" });
      const { store: hot, dispose } = await openTestStore(kind);
      try {
        const publisher = await log.publisher();
        const events = sampleEvents(400, { seed: 5 });
        const garbage = { key: "k", value: new Uint8Array([0x0a, 0xff]), headers: {} };
        await publisher.publish(EVENTS_TOPIC, [...events.map(toRecord), garbage]);
        // Publish a duplicate of the first 50, as a redelivery would.
        await publisher.publish(EVENTS_TOPIC, events.slice(0, 50).map(toRecord));

        const consumer = await log.consumer({ topic: EVENTS_TOPIC, group: "sink-timescale" });
        const store = new TimescaleStore(hot.loader);
        const controller = new AbortController();
        let seen = 0;
        const summary = await runSinkLoop({
          consumer,
          store,
          deadLetter: publisher,
          batch: { maxRecords: 128, maxWaitMs: 50 },
          signal: controller.signal,
          onBatch: (r) => {
            seen += r.records;
            if (seen >= 451) controller.abort();
          },
        });
        await consumer.close();
        assert.equal(summary.deadLettered, 1);
        assert.equal(store.inserted, 400);

        const client = createClient(
          QueryService,
          createRouterTransport((router) =>
            router.service(QueryService, createQueryService(hot.sql))
          ),
        );
        for (const event of events) {
          const { event: stored } = await client.getEvent({ eventId: event.eventId });
          assert.deepEqual(toJson(EventSchema, stored!), toJson(EventSchema, event));
          assert.ok(equals(EventSchema, stored!, event));
        }
        const recent = await client.recentEvents({ limit: 5 });
        assert.equal(recent.events.length, 5);
        const web = await client.recentEvents({ limit: 1000, channel: Channel.WEB });
        assert.equal(web.events.length, events.filter((e) => e.channel === Channel.WEB).length);

        const counts = await client.countEvents({
          from: timestampFromMs(0),
          to: timestampFromMs(Date.now() + 86_400_000),
          groupBy: CountGroup.CHANNEL,
        });
        assert.equal(counts.rows.reduce((n, r) => n + Number(r.count), 0), 400);
        assert.ok(counts.rows.every((r) => r.channel !== "" && r.eventType === ""));

        const session = events[0].sessionId;
        const inSession = events.filter((e) => e.sessionId === session);
        const got = await client.getSession({ sessionId: session });
        assert.deepEqual(
          got.events.map((e) => e.eventId).toSorted(),
          inSession.map((e) => e.eventId).toSorted(),
        );
        await assert.rejects(
          client.getEvent({ eventId: crypto.randomUUID() }),
          /not found/,
        );
        await assert.rejects(client.getEvent({ eventId: "nope" }), /event_id: must be a UUID/);
      } finally {
        await dispose();
        await log.close();
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}
