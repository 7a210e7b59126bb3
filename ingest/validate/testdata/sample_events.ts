/** Valid sample events for tests, one per channel. */
import { create, type MessageInitShape } from "@bufbuild/protobuf";

/** Fields to lay over a sample event. */
export type EventFields = Exclude<MessageInitShape<typeof EventSchema>, Event>;
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Channel, type Event, EventSchema } from "@analytics/schema";
import { uuidv7 } from "@analytics/schema";

/** A valid web page view made now, with `fields` laid over it. */
export function sampleWebEvent(fields: EventFields = {}): Event {
  return create(EventSchema, {
    eventId: uuidv7(),
    channel: Channel.WEB,
    platform: "browser",
    eventType: "page_view",
    eventCategory: "navigation",
    resourceId: "https://shop.example.com/pricing?utm_source=news&utm_medium=email",
    sessionId: "session-1",
    anonymousId: "anon-1",
    timestamp: timestampFromMs(Date.now() - 1000),
    client: {
      userAgent:
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
    },
    context: {
      case: "web",
      value: {
        url: "https://shop.example.com/pricing?utm_source=news&utm_medium=email",
        path: "/pricing",
      },
    },
    ...fields,
  } as EventFields);
}

/** A valid agent tool execution made now, with `fields` laid over it. */
export function sampleAgentEvent(fields: EventFields = {}): Event {
  return create(EventSchema, {
    eventId: uuidv7(),
    channel: Channel.AGENT,
    platform: "claude-code",
    eventType: "tool_execution",
    sessionId: "agent-session-1",
    userId: "user-7",
    timestamp: timestampFromMs(Date.now() - 1000),
    context: {
      case: "agent",
      value: { operationName: "execute_tool", toolName: "grep", durationMs: 12.5 },
    },
    ...fields,
  } as EventFields);
}
