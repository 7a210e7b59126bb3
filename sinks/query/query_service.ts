/** `analytics.v1.QueryService` over the hot store, through a `SqlClient` (PostgreSQL or PGlite). */
import { create } from "@bufbuild/protobuf";
import { timestampDate, timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import {
  Channel,
  CountGroup,
  CountRowSchema,
  type QueryService,
  TimeBucketRowSchema,
} from "@analytics/schema";
import { channelName } from "../timescale/event_row.ts";
import type { SqlClient } from "../timescale/sql/sql_client.ts";
import { EVENT_SELECT, eventFromRow, type EventRow } from "./event_from_row.ts";

const GROUP_COLUMNS: Record<CountGroup, string[]> = {
  [CountGroup.UNSPECIFIED]: [],
  [CountGroup.CHANNEL]: ["channel"],
  [CountGroup.EVENT_TYPE]: ["event_type"],
  [CountGroup.CHANNEL_AND_EVENT_TYPE]: ["channel", "event_type"],
};

/** Most buckets one EventsOverTime call may ask for. */
export const MAX_TIME_BUCKETS = 10_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The QueryService handlers over `sql`; mount them with a Connect router. */
export function createQueryService(sql: SqlClient): ServiceImpl<typeof QueryService> {
  return {
    async recentEvents(request) {
      const limit = request.limit === 0 ? 50 : request.limit;
      if (limit > 1000) throw invalid("limit", "must be at most 1000");
      const byChannel = request.channel !== Channel.UNSPECIFIED;
      const rows = await sql.query<EventRow & Record<string, unknown>>(
        `SELECT ${EVENT_SELECT} FROM analytics_events
         ${byChannel ? "WHERE channel = $2" : ""}
         ORDER BY "timestamp" DESC, event_id LIMIT $1`,
        byChannel ? [limit, channelName(request.channel)] : [limit],
      );
      return { events: rows.map(eventFromRow) };
    },

    async countEvents(request) {
      if (!request.from) throw invalid("from", "is required");
      if (!request.to) throw invalid("to", "is required");
      const columns = GROUP_COLUMNS[request.groupBy];
      if (!columns) throw invalid("group_by", "is not a known grouping");
      const select = columns.length ? `${columns.join(", ")}, ` : "";
      const group = columns.length ? `GROUP BY ${columns.join(", ")}` : "";
      const rows = await sql.query<
        { channel?: string; event_type?: string; count: string; sessions: string }
      >(
        `SELECT ${select}count(*)::text AS count,
           count(DISTINCT session_id)::text AS sessions
         FROM analytics_events
         WHERE "timestamp" >= $1 AND "timestamp" < $2 ${group}
         ORDER BY count(*) DESC ${columns.length ? `, ${columns.join(", ")}` : ""}`,
        [timestampDate(request.from).toISOString(), timestampDate(request.to).toISOString()],
      );
      return {
        rows: rows.map((r) =>
          create(CountRowSchema, {
            channel: r.channel ?? "",
            eventType: r.event_type ?? "",
            count: BigInt(r.count),
            sessions: BigInt(r.sessions),
          })
        ),
      };
    },

    async eventsOverTime(request) {
      if (!request.from) throw invalid("from", "is required");
      if (!request.to) throw invalid("to", "is required");
      if (!request.bucket) throw invalid("bucket", "is required");
      const bucketMs = Number(request.bucket.seconds) * 1000 +
        Math.floor(request.bucket.nanos / 1e6);
      if (!(bucketMs >= 1000 && bucketMs <= 86_400_000)) {
        throw invalid("bucket", "must be from 1s to 86400s");
      }
      const from = timestampDate(request.from);
      const to = timestampDate(request.to);
      if (to <= from) throw invalid("to", "must be after from");
      const buckets = Math.ceil((to.getTime() - from.getTime()) / bucketMs);
      if (buckets > MAX_TIME_BUCKETS) {
        throw invalid("bucket", `makes ${buckets} buckets; at most ${MAX_TIME_BUCKETS}`);
      }
      const columns = GROUP_COLUMNS[request.groupBy];
      if (!columns) throw invalid("group_by", "is not a known grouping");
      const extra = columns.map((c) => `, ${c}`).join("");
      // Epoch arithmetic rather than time_bucket: the same on PGlite, PostgreSQL and Timescale.
      const rows = await sql.query<
        { start_ms: string; channel?: string; event_type?: string; count: string; sessions: string }
      >(
        `SELECT (floor(extract(epoch FROM "timestamp") * 1000 / $3) * $3)::bigint::text
           AS start_ms${extra},
           count(*)::text AS count, count(DISTINCT session_id)::text AS sessions
         FROM analytics_events
         WHERE "timestamp" >= $1 AND "timestamp" < $2
         GROUP BY 1${extra}
         ORDER BY 1, count(*) DESC${extra}`,
        [from.toISOString(), to.toISOString(), bucketMs],
      );
      return {
        rows: rows.map((r) =>
          create(TimeBucketRowSchema, {
            start: timestampFromMs(Number(r.start_ms)),
            channel: r.channel ?? "",
            eventType: r.event_type ?? "",
            count: BigInt(r.count),
            sessions: BigInt(r.sessions),
          })
        ),
      };
    },

    async getEvent(request) {
      if (!UUID.test(request.eventId)) throw invalid("event_id", "must be a UUID");
      const [row] = await sql.query<EventRow & Record<string, unknown>>(
        `SELECT ${EVENT_SELECT} FROM analytics_events WHERE event_id = $1 LIMIT 1`,
        [request.eventId],
      );
      if (!row) {
        throw new ConnectError(`event ${request.eventId} not found`, Code.NotFound);
      }
      return { event: eventFromRow(row) };
    },

    async getSession(request) {
      if (request.sessionId === "") throw invalid("session_id", "is required");
      const limit = request.limit === 0 ? 1000 : request.limit;
      if (limit > 10_000) throw invalid("limit", "must be at most 10000");
      const rows = await sql.query<EventRow & Record<string, unknown>>(
        `SELECT ${EVENT_SELECT} FROM analytics_events WHERE session_id = $1
         ORDER BY event_time, event_id LIMIT $2`,
        [request.sessionId, limit],
      );
      return { events: rows.map(eventFromRow) };
    },
  };
}

function invalid(field: string, reason: string): ConnectError {
  return new ConnectError(`${field}: ${reason}`, Code.InvalidArgument);
}
