/**
 * Replay and rebuild on the embedded log (dev, tests without a broker): dead letters republished
 * to the event topic, and a time range of the topic written to the hot store again, both without
 * a suppressed user's events.
 */
import assert from "node:assert/strict";
import { createLogger } from "../../../ingest/observability/logger.ts";
import { openLocalLog } from "../../../ingest/stream/local/mod.ts";
import { EVENT_SCHEMA, EVENTS_TOPIC, SCHEMA_HEADER } from "../../../ingest/stream/topics.ts";
import { openSuppressionList } from "../../../ingest/suppression/mod.ts";
import { IGNORE_POSTGRES, openTestStore } from "../../timescale/testing/test_targets.ts";
import { TimescaleStore } from "../../timescale/timescale_store.ts";
import { toRecord, toRecordWithHeaders } from "../../testing/sample_events.ts";
import { pageViewOf } from "../testing/page_view.ts";
import { localLogAccess } from "./log_access.ts";
import { rebuildRange } from "./rebuild_range.ts";
import { replayDeadLetters } from "./replay_dead_letters.ts";

Deno.test({
  name: "embedded log: dead letters republished and a time range rebuilt, a deleted user skipped",
  ignore: IGNORE_POSTGRES,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "replay-embedded-" });
    const log = await openLocalLog({ dir, partitions: 2 });
    const suppression = await openSuppressionList({ kind: "local", dir, topic: EVENTS_TOPIC });
    const { store: hot, dispose } = await openTestStore("postgres");
    const logger = createLogger({ level: "error" });
    try {
      await suppression.add([{ id: "u-gone", kind: "user", deletionId: "d", at: Date.now() }]);
      const access = localLogAccess(log);
      const publisher = await access.publisher();

      // Dead letters: two fixed events and one of the deleted user.
      const dead = [pageViewOf("u-1"), pageViewOf("u-2"), pageViewOf("u-gone")];
      await publisher.publish(
        `${EVENTS_TOPIC}.dlq`,
        dead.map((e) =>
          toRecordWithHeaders(e, { "dlq.reason": "a bug, fixed since", "dlq.sink": "timescale" })
        ),
      );
      const replayOnce = () =>
        replayDeadLetters({
          log: access,
          topic: EVENTS_TOPIC,
          partitions: 2,
          group: "test-replay-dlq",
          suppression,
          maxRecords: 0,
          logger,
        });
      const replay = await replayOnce();
      assert.deepEqual(replay, { read: 3, republished: 2, suppressed: 1 });
      const consumer = await log.consumer({ topic: EVENTS_TOPIC, group: "check" });
      const republished = await consumer.poll({ maxRecords: 10, maxWaitMs: 1_000 });
      await consumer.close();
      assert.deepEqual(
        new Set(republished.map((r) => r.key)),
        new Set(["u-1", "u-2"]),
      );
      assert.ok(republished.every((r) => r.headers["dlq.reason"] === undefined));
      assert.ok(republished.every((r) => r.headers[SCHEMA_HEADER] === EVENT_SCHEMA));
      // Replayed once: a second replay finds nothing new.
      assert.deepEqual(
        await replayOnce(),
        { read: 0, republished: 0, suppressed: 0 },
      );

      // Rebuild: the records appended within [from, to) reach the hot store; not those after.
      await new Promise((r) => setTimeout(r, 20));
      const from = new Date();
      const inRange = [pageViewOf("u-3"), pageViewOf("u-4"), pageViewOf("u-gone")];
      await publisher.publish(EVENTS_TOPIC, inRange.map(toRecord));
      await new Promise((r) => setTimeout(r, 20));
      const to = new Date();
      await new Promise((r) => setTimeout(r, 20));
      await publisher.publish(EVENTS_TOPIC, [toRecord(pageViewOf("u-5"))]);
      const rebuilt = await rebuildRange({
        log: access,
        topic: EVENTS_TOPIC,
        partitions: 2,
        store: new TimescaleStore(hot.loader),
        suppression,
        from,
        to,
        logger,
      });
      assert.deepEqual(rebuilt, { read: 3, written: 2, suppressed: 1, undecodable: 0 });
      const rows = await hot.sql.query<{ user_id: string }>(
        "SELECT user_id FROM analytics_events ORDER BY user_id",
      );
      assert.deepEqual(rows.map((r) => r.user_id), ["u-3", "u-4"]);
    } finally {
      await dispose();
      await suppression.close();
      await log.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
