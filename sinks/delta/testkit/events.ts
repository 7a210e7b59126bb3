import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Channel, type Event, EventSchema, uuidv7 } from "@analytics/schema";
import type { DecodedRecord, SinkBatch } from "../../loop/sink_store.ts";

/** A valid web or agent event at `ms` (alternating by `index`), for lake tests and benchmarks. */
export function sampleEvent(index: number, ms: number): Event {
  const base = {
    eventId: uuidv7(),
    sessionId: `s-${index % 97}`,
    userId: `u-${index % 13}`,
    timestamp: timestampFromMs(ms),
    enrichment: { receivedAt: timestampFromMs(ms + 40), correctedTime: timestampFromMs(ms + 5) },
    properties: { n: index, plan: index % 2 === 0 ? "pro" : "free" },
  };
  if (index % 2 === 0) {
    return create(EventSchema, {
      ...base,
      channel: Channel.WEB,
      platform: "browser",
      eventType: "page_view",
      eventCategory: "navigation",
      interactionValue: index * 0.5,
      context: {
        case: "web",
        value: { url: `https://example.com/p/${index}`, path: `/p/${index}`, utm: { source: "x" } },
      },
    });
  }
  return create(EventSchema, {
    ...base,
    channel: Channel.AGENT,
    platform: "claude-code",
    eventType: "tool_execution",
    context: {
      case: "agent",
      value: { toolName: "grep", inputTokens: BigInt(index), costUsd: 0.001 * index },
    },
  });
}

/**
 * A batch of `count` events spread over `days` UTC dates starting at `startMs`, as if read from
 * `partition` starting at `firstOffset`.
 */
export function sampleBatch(
  count: number,
  options: { partition?: number; firstOffset?: bigint; startMs?: number; days?: number } = {},
): SinkBatch {
  const partition = options.partition ?? 0;
  const first = options.firstOffset ?? 0n;
  const start = options.startMs ?? Date.UTC(2026, 0, 10, 12);
  const days = options.days ?? 2;
  const records: DecodedRecord[] = [];
  for (let i = 0; i < count; i++) {
    const ms = start + (i % days) * 86_400_000 + i;
    const event = sampleEvent(i, ms);
    records.push({
      event,
      record: {
        topic: "analytics.events.v1",
        partition,
        offset: first + BigInt(i),
        key: event.sessionId,
        value: new Uint8Array(),
        headers: {},
        timestamp: ms,
      },
    });
  }
  return { records, lastOffsets: new Map([[partition, first + BigInt(count - 1)]]) };
}

/** Concatenates batches of different partitions into one. */
export function mergeBatches(...batches: SinkBatch[]): SinkBatch {
  const lastOffsets = new Map<number, bigint>();
  for (const b of batches) for (const [p, o] of b.lastOffsets) lastOffsets.set(p, o);
  return { records: batches.flatMap((b) => b.records), lastOffsets };
}
