/**
 * Replay on the real services: dead letters re-sunk after a fix, and a store rebuilt for a time
 * range from the topic, both through AdminService, both skipping a deleted user's events, and
 * both harmless to rows already stored (event-id dedup).
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type Event, RebuildStore } from "@analytics/schema";
import { createKafkaPublisher } from "../../ingest/stream/kafka/mod.ts";
import { readWithDeltaRs } from "../delta/testkit/delta_reader.ts";
import { faultTest } from "../faults/fault_services.ts";
import { DLQ_HEADERS } from "../loop/dead_letter.ts";
import { toRecord, toRecordWithHeaders } from "../testing/sample_events.ts";
import { startAdminStack, waitFor } from "./testing/admin_stack.ts";
import { pageViewOf } from "./testing/page_view.ts";

faultTest(
  "replay: dead letters re-sunk and a time range rebuilt, never a deleted user's events, never doubled",
  async () => {
    const stack = await startAdminStack();
    const sql = postgres(stack.databaseUrl, { max: 1, onnotice: () => {} });
    const publisher = createKafkaPublisher({ brokers: stack.brokers });
    const admin = { headers: { authorization: `Bearer ${stack.adminKey}` } };
    const rows = async () =>
      (await sql<{ id: string }[]>`SELECT event_id::text AS id FROM analytics_events`).map((r) =>
        r.id
      );
    try {
      // A deleted user (nothing stored yet): from now on suppressed.
      await stack.admin.deleteUser({ userId: "u-gone" }, admin);
      const stored = pageViewOf("u-1");
      assert.equal((await stack.track([stored])).accepted, 1);
      await waitFor("the first event in PostgreSQL", async () => (await rows()).length === 1);

      // (a) Dead letters: two events a fixed bug had refused, one already stored, one of the
      // deleted user, and bytes that are still no event.
      const fixed = [pageViewOf("u-2"), pageViewOf("u-3")];
      const dlqHeaders = {
        [DLQ_HEADERS.reason]: "schema violation: (a bug, fixed since)",
        [DLQ_HEADERS.sink]: "timescale",
      };
      const outcomes = await publisher.publish(`${stack.topic}.dlq`, [
        ...fixed.map((e) => toRecordWithHeaders(e, dlqHeaders)),
        toRecordWithHeaders(stored, dlqHeaders),
        toRecordWithHeaders(pageViewOf("u-gone"), dlqHeaders),
        { key: "bad", value: new Uint8Array([0xff, 0xff, 0x0f]), headers: dlqHeaders },
      ]);
      assert.ok(outcomes.every((o) => o.ok));
      const replay = await stack.admin.replayDeadLetters({}, admin);
      assert.deepEqual(
        { read: replay.read, republished: replay.republished, suppressed: replay.suppressed },
        { read: 5n, republished: 4n, suppressed: 1n },
      );
      const expected = new Set([stored, ...fixed].map((e) => e.eventId));
      await waitFor("the replayed events in PostgreSQL", async () => (await rows()).length === 3);
      assert.deepEqual(new Set(await rows()), expected);
      await waitFor("the replayed events in Delta", async () => {
        const view = await readWithDeltaRs(stack.lakeUri, { ids: true, env: stack.lakeEnv })
          .catch(() => undefined);
        return view?.row_count === 3;
      });
      // A second replay reads only what was dead-lettered since (the bad bytes, again, by the sinks).
      const again = await stack.admin.replayDeadLetters({}, admin);
      assert.ok(again.read <= 2n, `second replay read ${again.read}`);
      assert.equal(again.suppressed, 0n);

      // (b) Rebuild: three groups of events a second apart; the middle group is lost from the hot
      // store and rebuilt from the topic by append time; one of the deleted user's events sits in
      // that range on the topic (published around the ingest) and stays out.
      const sendGroup = async (events: Event[]) => {
        const answer = await stack.track(events);
        assert.equal(answer.accepted, events.length);
      };
      const before = [pageViewOf("u-4"), pageViewOf("u-5")];
      await sendGroup(before);
      await new Promise((r) => setTimeout(r, 1_500));
      const from = new Date();
      const middle = [pageViewOf("u-6"), pageViewOf("u-7"), pageViewOf("u-8")];
      await sendGroup(middle);
      const gone = pageViewOf("u-gone");
      assert.ok((await publisher.publish(stack.topic, [toRecord(gone)]))[0].ok);
      await new Promise((r) => setTimeout(r, 1_500));
      const to = new Date();
      const after = [pageViewOf("u-9")];
      await sendGroup(after);
      const all = [stored, ...fixed, ...before, ...middle, ...after];
      await waitFor("every event in PostgreSQL", async () => (await rows()).length === all.length);
      await waitFor("every event in Delta", async () => {
        const view = await readWithDeltaRs(stack.lakeUri, { env: stack.lakeEnv });
        return view.row_count === all.length;
      });
      await sql`DELETE FROM analytics_events WHERE user_id IN ('u-6', 'u-7', 'u-8', 'u-9')`;

      const hot = await stack.admin.rebuildRange({
        store: RebuildStore.HOT,
        from: timestampFromDate(from),
        to: timestampFromDate(to),
      }, admin);
      assert.deepEqual(
        { read: hot.read, written: hot.written, suppressed: hot.suppressed },
        { read: 4n, written: 3n, suppressed: 1n },
      );
      // The middle group is back; u-9 (after the range) is not; nothing doubled; u-gone absent.
      const afterRebuild = await rows();
      assert.equal(afterRebuild.length, new Set(afterRebuild).size);
      assert.deepEqual(
        new Set(afterRebuild),
        new Set([stored, ...fixed, ...before, ...middle].map((e) => e.eventId)),
      );

      // The lake still has every row: rebuilding it writes nothing twice (event-id dedup).
      const lake = await stack.admin.rebuildRange({
        store: RebuildStore.LAKE,
        from: timestampFromDate(from),
        to: timestampFromDate(to),
      }, admin);
      assert.equal(lake.written, 3n);
      const view = await readWithDeltaRs(stack.lakeUri, { ids: true, env: stack.lakeEnv });
      assert.equal(view.row_count, all.length);
      assert.equal(view.distinct_event_ids, all.length);
      assert.ok(!view.event_ids!.includes(gone.eventId));
      console.log(
        `replayed ${replay.republished} of ${replay.read} dead letters (${replay.suppressed} ` +
          `suppressed); rebuilt ${hot.written} of ${hot.read} records (${hot.suppressed} suppressed)`,
      );
    } finally {
      await publisher.close();
      await sql.end({ timeout: 2 });
      await stack.dispose();
    }
  },
);
