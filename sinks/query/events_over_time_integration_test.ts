/**
 * QueryService.EventsOverTime on a real PostgreSQL hot store (fresh schema): the buckets, counts
 * and distinct sessions equal those computed here from the stored rows, for every grouping (and
 * CountEvents' sessions per group); bad requests get invalid_argument naming the field. Ignored without PostgreSQL outside CI.
 */
import assert from "node:assert/strict";
import { create } from "@bufbuild/protobuf";
import { durationFromMs, timestampDate, timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { CountGroup, EventsOverTimeRequestSchema, QueryService } from "@analytics/schema";
import { IGNORE_POSTGRES, openTestStore } from "../timescale/testing/test_targets.ts";
import { sampleEvents } from "../testing/sample_events.ts";
import { createQueryService } from "./query_service.ts";

Deno.test({
  name: "EventsOverTime: counts and sessions per bucket and group equal the stored rows'",
  ignore: IGNORE_POSTGRES,
  async fn() {
    const { store, dispose } = await openTestStore("postgres");
    try {
      let clock = Date.UTC(2026, 10, 28, 9, 0, 0);
      const events = sampleEvents(600, { seed: 11, now: () => (clock += 700) });
      assert.equal(await store.loader.load(events), 600);
      const stored = await store.sql.query<
        { ts: Date; channel: string; event_type: string; session_id: string }
      >(
        `SELECT "timestamp" AS ts, channel, event_type, session_id FROM analytics_events`,
      );
      const client = createClient(
        QueryService,
        createRouterTransport(({ service }) =>
          service(QueryService, createQueryService(store.sql))
        ),
      );
      const times = stored.map((r) => new Date(r.ts).getTime());
      const from = Math.min(...times) - 1;
      const to = Math.max(...times) + 1;
      const bucketMs = 60_000;
      for (
        const [group, key] of [
          [CountGroup.UNSPECIFIED, () => ""],
          [CountGroup.CHANNEL, (r: typeof stored[0]) => r.channel],
          [CountGroup.EVENT_TYPE, (r: typeof stored[0]) => r.event_type],
          [
            CountGroup.CHANNEL_AND_EVENT_TYPE,
            (r: typeof stored[0]) => `${r.channel}|${r.event_type}`,
          ],
        ] as const
      ) {
        const expected = new Map<string, { count: number; sessions: Set<string> }>();
        for (const row of stored) {
          const start = Math.floor(new Date(row.ts).getTime() / bucketMs) * bucketMs;
          const id = `${start}/${key(row)}`;
          const entry = expected.get(id) ?? { count: 0, sessions: new Set<string>() };
          entry.count++;
          entry.sessions.add(row.session_id);
          expected.set(id, entry);
        }
        const { rows } = await client.eventsOverTime({
          from: timestampFromMs(from),
          to: timestampFromMs(to),
          bucket: durationFromMs(bucketMs),
          groupBy: group,
        });
        const got = new Map(rows.map((r) => {
          const k = group === CountGroup.UNSPECIFIED
            ? ""
            : group === CountGroup.CHANNEL
            ? r.channel
            : group === CountGroup.EVENT_TYPE
            ? r.eventType
            : `${r.channel}|${r.eventType}`;
          return [`${timestampDate(r.start!).getTime()}/${k}`, {
            count: Number(r.count),
            sessions: Number(r.sessions),
          }];
        }));
        assert.equal(got.size, rows.length, `group ${group}: duplicate rows`);
        assert.deepEqual(
          got,
          new Map(
            [...expected].map(([k, v]) => [k, { count: v.count, sessions: v.sessions.size }]),
          ),
          `group ${group}`,
        );
        const starts = rows.map((r) => timestampDate(r.start!).getTime());
        assert.deepEqual(starts, [...starts].sort((a, b) => a - b), "ordered by bucket start");
      }
      assert.ok(new Set(stored.map((r) => r.channel)).size >= 5, "every channel in the sample");

      // CountEvents carries the distinct sessions of each group too.
      const counted = await client.countEvents({
        from: timestampFromMs(from),
        to: timestampFromMs(to),
        groupBy: CountGroup.CHANNEL,
      });
      for (const row of counted.rows) {
        const ofChannel = stored.filter((r) => r.channel === row.channel);
        assert.equal(Number(row.count), ofChannel.length, row.channel);
        assert.equal(Number(row.sessions), new Set(ofChannel.map((r) => r.session_id)).size);
      }
      assert.equal(counted.rows.reduce((n, r) => n + Number(r.count), 0), stored.length);

      const invalid = async (
        request: Parameters<typeof client.eventsOverTime>[0],
        field: RegExp,
      ) => {
        const error = await client.eventsOverTime(request).then(() => undefined, (e) => e);
        assert.ok(error instanceof ConnectError, `expected an error for ${field}`);
        assert.equal(error.code, Code.InvalidArgument);
        assert.match(error.rawMessage, field);
      };
      const base = { from: timestampFromMs(from), to: timestampFromMs(to) };
      await invalid({ ...base, bucket: durationFromMs(500) }, /^bucket: must be from 1s/);
      await invalid({
        ...base,
        bucket: durationFromMs(1000),
        to: timestampFromMs(from + 86_400_000),
      }, /^bucket: makes 86400 buckets/);
      await invalid(
        { ...base, to: timestampFromMs(from), bucket: durationFromMs(1000) },
        /^to: must be after from/,
      );
      await invalid(
        create(EventsOverTimeRequestSchema, { to: base.to, bucket: durationFromMs(1000) }),
        /^from: is required/,
      );
    } finally {
      await dispose();
    }
  },
});
