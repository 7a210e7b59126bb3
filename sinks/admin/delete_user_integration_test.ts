/**
 * Deleting a user end to end on the real services: events of the user and of the anonymous ids
 * `identify` linked to it are in PostgreSQL and Delta; DeleteUser (admin key only) removes them
 * from both (delta-rs reads the latest version without them, the older one still with them),
 * other users' rows stay, and from then on the ingest refuses the user's events and the sinks
 * drop any that reach the topic another way.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { Channel, type Event, EventSchema, Outcome, uuidv7 } from "@analytics/schema";
import { createKafkaPublisher } from "../../ingest/stream/kafka/mod.ts";
import { readWithDeltaRs } from "../delta/testkit/delta_reader.ts";
import { faultTest } from "../faults/fault_services.ts";
import { toRecord } from "../testing/sample_events.ts";
import { startAdminStack, waitFor } from "./testing/admin_stack.ts";

const DAY = 86_400_000;

function event(
  fields: { userId?: string; anonymousId?: string; type?: string; ms: number },
): Event {
  return create(EventSchema, {
    eventId: uuidv7(),
    channel: Channel.WEB,
    eventType: fields.type ?? "page_view",
    eventCategory: fields.type === "identify" ? "identity" : "navigation",
    sessionId: `s-${fields.userId || fields.anonymousId}`,
    userId: fields.userId ?? "",
    anonymousId: fields.anonymousId ?? "",
    timestamp: timestampFromMs(fields.ms),
  });
}

/** A user's history: anonymous browsing, identify (both ids), then signed-in events. */
function history(userId: string, anonymousId: string, start: number, n: number): Event[] {
  const events: Event[] = [];
  for (let i = 0; i < n; i++) events.push(event({ anonymousId, ms: start + i * 1000 }));
  events.push(event({ userId, anonymousId, type: "identify", ms: start + n * 1000 }));
  for (let i = 0; i < n; i++) {
    events.push(event({ userId, anonymousId, ms: start + (n + 1 + i) * 1000 }));
  }
  return events;
}

async function codeOf(promise: Promise<unknown>): Promise<Code | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error instanceof ConnectError ? error.code : undefined;
  }
}

faultTest(
  "DeleteUser: the user and its linked anonymous ids leave PostgreSQL and the latest Delta version, and stay out",
  async () => {
    const stack = await startAdminStack();
    const sql = postgres(stack.databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const now = Date.now();
      const yesterday = now - DAY;
      // Alice on two devices (two anonymous ids), over two days; Bob; an anonymous visitor.
      const alice = [
        ...history("u-alice", "anon-a1", yesterday, 5),
        ...history("u-alice", "anon-a2", now - 60_000, 3),
      ];
      const others = [
        ...history("u-bob", "anon-b1", yesterday + 5_000, 4),
        ...history("u-bob", "anon-b1", now - 30_000, 2),
        event({ anonymousId: "anon-x", ms: now - 10_000 }),
        event({ anonymousId: "anon-x", ms: yesterday }),
      ];
      // Sent in three rounds, so the lake holds several files per date.
      const all = [...alice, ...others];
      for (let round = 0; round < 3; round++) {
        const part = all.filter((_, i) => i % 3 === round);
        const answer = await stack.track(part);
        assert.equal(answer.accepted, part.length, JSON.stringify(answer.results));
        await waitFor("the round in PostgreSQL", async () => {
          const [{ n }] = await sql<
            { n: number }[]
          >`SELECT count(*)::int AS n FROM analytics_events`;
          return n === all.filter((_, i) => i % 3 <= round).length;
        });
        // And in the lake before the next round, so a lake sink slowed down (a loaded machine)
        // cannot merge the rounds into one batch: each round is its own files.
        await waitFor("the round in Delta", async () => {
          const view = await readWithDeltaRs(stack.lakeUri, { env: stack.lakeEnv }).catch(() =>
            undefined
          );
          return view?.row_count === all.filter((_, i) => i % 3 <= round).length;
        });
      }
      const before = await readWithDeltaRs(stack.lakeUri, { ids: true, env: stack.lakeEnv });
      assert.ok(before.files >= 4, `several files: ${before.files}`);

      // Admin operations take an admin key: none → unauthenticated, a write key → denied.
      assert.equal(
        await codeOf(stack.admin.deleteUser({ userId: "u-alice" })),
        Code.Unauthenticated,
      );
      assert.equal(
        await codeOf(stack.admin.deleteUser({ userId: "u-alice" }, {
          headers: { authorization: `Bearer ${stack.writeKey}` },
        })),
        Code.PermissionDenied,
      );
      const admin = { headers: { authorization: `Bearer ${stack.adminKey}` } };
      assert.equal(
        await codeOf(stack.admin.deleteUser({ userId: "" }, admin)),
        Code.InvalidArgument,
      );

      const { report } = await stack.admin.deleteUser({ userId: "u-alice" }, admin);
      assert.ok(report);
      assert.deepEqual(report.anonymousIds, ["anon-a1", "anon-a2"]);
      assert.equal(report.hotEventsDeleted, BigInt(alice.length));
      assert.equal(report.lakeEventsDeleted, BigInt(alice.length));
      assert.ok(report.lakeFilesRewritten >= 2, `files rewritten: ${report.lakeFilesRewritten}`);
      assert.equal(report.lakeVersion, BigInt(before.version + 1));
      console.log(
        `deleted: ${report.hotEventsDeleted} hot, ${report.lakeEventsDeleted} lake events, ` +
          `${report.lakeFilesRewritten} of ${before.files} lake files rewritten`,
      );

      // PostgreSQL: none of Alice's ids; everyone else's rows intact.
      const aliceIds = new Set(alice.map((e) => e.eventId));
      const otherIds = new Set(others.map((e) => e.eventId));
      const rows = await sql<{ id: string; user_id: string | null; anonymous_id: string | null }[]>`
        SELECT event_id::text AS id, user_id, anonymous_id FROM analytics_events`;
      assert.deepEqual(new Set(rows.map((r) => r.id)), otherIds);
      assert.ok(
        rows.every((r) => r.user_id !== "u-alice" && !/^anon-a/.test(r.anonymous_id ?? "")),
      );

      // delta-rs: the latest version lacks exactly Alice's events; the one before still has them.
      const after = await readWithDeltaRs(stack.lakeUri, { ids: true, env: stack.lakeEnv });
      assert.equal(after.version, before.version + 1);
      assert.equal(after.row_count, others.length);
      assert.deepEqual(new Set(after.event_ids), otherIds);
      assert.equal(after.history[0].operation, "DELETE");
      const older = await readWithDeltaRs(stack.lakeUri, {
        ids: true,
        version: before.version,
        env: stack.lakeEnv,
      });
      assert.equal(older.row_count, all.length);
      assert.ok([...aliceIds].every((id) => older.event_ids!.includes(id)));

      // The suppression list holds the user and both linked anonymous ids.
      const listed = await stack.admin.listSuppressed({}, admin);
      assert.deepEqual(
        listed.ids.map((s) => `${s.kind}:${s.id}`).sort(),
        ["anonymous:anon-a1", "anonymous:anon-a2", "user:u-alice"],
      );

      // From now on the ingest refuses Alice's events, by either id; Bob's still go in.
      const late = [
        event({ userId: "u-alice", ms: Date.now() }),
        event({ anonymousId: "anon-a2", ms: Date.now() }),
        event({ userId: "u-bob", anonymousId: "anon-b1", ms: Date.now() }),
      ];
      const answer = await stack.track(late);
      assert.deepEqual(answer.results.map((r) => r.outcome), [
        Outcome.REJECTED,
        Outcome.REJECTED,
        Outcome.ACCEPTED,
      ]);
      assert.equal(answer.results[0].field, "events[0].user_id");
      assert.equal(answer.results[1].field, "events[1].anonymous_id");
      assert.match(
        stack.ingestProgram.metrics.render(),
        /analytics_ingest_events_suppressed_total\{channel="web"\} 2/,
      );

      // An event of Alice's that reaches the topic without the ingest (published before the
      // deletion, a replay) is dropped by both sinks; Bob's next event is stored.
      const sneaked = event({ userId: "u-alice", anonymousId: "anon-a1", ms: Date.now() });
      const marker = event({ userId: "u-bob", ms: Date.now() });
      const publisher = createKafkaPublisher({ brokers: stack.brokers });
      try {
        const outcomes = await publisher.publish(
          stack.topic,
          [sneaked, marker].map(toRecord),
        );
        assert.ok(outcomes.every((o) => o.ok));
      } finally {
        await publisher.close();
      }
      await waitFor("Bob's marker in PostgreSQL", async () => {
        const found = await sql`SELECT 1 FROM analytics_events WHERE event_id = ${marker.eventId}`;
        return found.length === 1;
      });
      await waitFor("Bob's marker in Delta", async () => {
        const view = await readWithDeltaRs(stack.lakeUri, { ids: true, env: stack.lakeEnv });
        return view.event_ids!.includes(marker.eventId);
      });
      const sneakedRows = await sql`SELECT 1 FROM analytics_events WHERE user_id = 'u-alice'`;
      assert.equal(sneakedRows.length, 0);
      const final = await readWithDeltaRs(stack.lakeUri, { ids: true, env: stack.lakeEnv });
      assert.ok(!final.event_ids!.includes(sneaked.eventId));
      assert.equal(final.row_count, others.length + 2);
      assert.match(
        stack.hot.metrics.render(),
        /analytics_sink_suppressed_total\{sink="timescale"\} 1/,
      );

      // Deleting again is harmless: nothing left to delete.
      const again = await stack.admin.deleteUser({ userId: "u-alice" }, admin);
      assert.equal(again.report?.hotEventsDeleted, 0n);
      assert.equal(again.report?.lakeEventsDeleted, 0n);
      assert.deepEqual(again.report?.anonymousIds, ["anon-a1", "anon-a2"]);
    } finally {
      await sql.end({ timeout: 2 });
      await stack.dispose();
    }
  },
);
