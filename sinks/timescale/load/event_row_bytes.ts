/**
 * The COPY row of an event written field by field into `CopyBytes`: the same bytes as the generic
 * `CopyBytes.writeEvent` (the column list of `EVENT_COLUMNS`), without a closure and a value per
 * column, the channel context looked up once, timestamps and constant names written as bytes.
 * A column added to `EVENT_COLUMNS` must be added here too; event_row_bytes_test.ts compares both.
 *
 * @module
 */
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import {
  ClientContextSchema,
  EnrichmentSchema,
  type Event,
  EventSchema,
  MessageRole,
} from "@analytics/schema";
import type { DescMessage } from "@bufbuild/protobuf";
import { channelName } from "../event_row.ts";
import { messageJson } from "../message_json.ts";
import { nulFreeText } from "../nul_free.ts";
import { CopyBytes } from "./copy_bytes.ts";

const TAB = 9;
const NEWLINE = 10;
const ENCODER = new TextEncoder();

/** `NULLS_TAB[n]`: n NULL fields, each followed by a tab. */
const NULLS_TAB = Array.from({ length: 24 }, (_, n) => ENCODER.encode("\\N\t".repeat(n)));
const NULL_TAB = NULLS_TAB[1];
const TRUE_TAB = ENCODER.encode("t\t");
const FALSE_TAB = ENCODER.encode("f\t");

/** A per-column writer of timestamps as `isoFormatter` formats them, keeping the last second. */
class IsoColumn {
  #lastSeconds: bigint | undefined;
  #prefix = new Uint8Array(0);

  /** `ts` as ISO 8601 UTC with microseconds and a tab, or NULL and a tab. */
  write(out: CopyBytes, ts: Timestamp | undefined): void {
    if (!ts) return out.bytes(NULL_TAB);
    if (ts.seconds !== this.#lastSeconds) {
      const prefix = new Date(Number(ts.seconds) * 1000).toISOString().slice(0, 19) + ".";
      this.#prefix = ENCODER.encode(prefix);
      this.#lastSeconds = ts.seconds;
    }
    out.bytes(this.#prefix);
    const micros = Math.floor(ts.nanos / 1000);
    // Out-of-range nanos (invalid, but possible in a message) as the generic formatter writes them.
    if (micros >= 0 && micros < 1_000_000) out.digits(micros, 6);
    else out.ascii(String(1_000_000 + micros).slice(1));
    out.byte(90); // Z
    out.byte(TAB);
  }
}

/** A cache of constant field text (in COPY form, with its tab) by enum number. */
function namesByNumber(name: (n: number) => string): (n: number) => Uint8Array {
  const cache = new Map<number, Uint8Array>();
  return (n) => {
    let bytes = cache.get(n);
    if (bytes === undefined) {
      const writer = new CopyBytes(16);
      writer.text(nulFreeText(name(n)));
      writer.byte(TAB);
      bytes = writer.take();
      cache.set(n, bytes);
    }
    return bytes;
  };
}

const channelBytes = namesByNumber(channelName);
const roleBytes = namesByNumber((role) =>
  MessageRole[role].replace(/^MESSAGE_ROLE_/, "").toLowerCase()
);

/** Per channel-context case: `{"<jsonName>":` as bytes. */
const CONTEXT_OPENINGS = new Map<string, { opening: Uint8Array; desc: DescMessage }>(
  EventSchema.fields.flatMap((f) =>
    f.oneof?.name === "context" && f.fieldKind === "message"
      ? [[f.localName, {
        opening: ENCODER.encode(`{${JSON.stringify(f.jsonName)}:`),
        desc: f.message,
      }]]
      : []
  ),
);

/** Writers of one event's COPY rows, each with its own timestamp caches (as the columns have). */
export class EventRowWriter {
  #eventTime = new IsoColumn();
  #timestamp = new IsoColumn();
  #receivedAt = new IsoColumn();
  #sentAt = new IsoColumn();

  /** The row of `event` (its columns tab-separated, with the newline) appended to `out`. */
  write(out: CopyBytes, e: Event): void {
    const enrichment = e.enrichment;
    const client = e.client;
    const userAgent = enrichment?.userAgent;
    // A uuid column: its text as it is (PostgreSQL refuses a NUL there as any other non-uuid).
    out.text(e.eventId);
    out.byte(TAB);
    this.#eventTime.write(out, e.timestamp);
    this.#timestamp.write(out, enrichment?.correctedTime ?? e.timestamp);
    this.#receivedAt.write(out, enrichment?.receivedAt);
    this.#sentAt.write(out, e.sentAt);
    out.bytes(channelBytes(e.channel));
    textTab(out, e.customChannel);
    textTab(out, e.platform);
    textTab(out, e.eventType, true);
    textTab(out, e.eventCategory);
    textTab(out, e.resourceId);
    textTab(out, e.resourceTitle);
    textTab(out, e.interactionTarget);
    numberTab(out, e.interactionValue, true);
    textTab(out, e.interactionText);
    textTab(out, e.sessionId, true);
    textTab(out, e.userId);
    textTab(out, e.anonymousId);
    textTab(out, e.deviceId);
    textTab(out, client?.userAgent);
    textTab(out, client?.clientVersion);
    textTab(out, enrichment?.source);
    textTab(out, userAgent?.browserName);
    textTab(out, userAgent?.osName);
    textTab(out, userAgent?.deviceType);
    const isBot = enrichment?.isBot;
    out.bytes(isBot === undefined ? NULL_TAB : isBot ? TRUE_TAB : FALSE_TAB);
    textTab(out, enrichment?.ip);
    // page_path … trace_id: the context's columns, the others NULL.
    const context = e.context;
    switch (context.case) {
      case "web": {
        const web = context.value;
        const utm = web.utm;
        textTab(out, web.path);
        textTab(out, web.url);
        textTab(out, web.referrer);
        if (utm === undefined) out.bytes(NULLS_TAB[5]);
        else {
          textTab(out, utm.source);
          textTab(out, utm.medium);
          textTab(out, utm.campaign);
          textTab(out, utm.term);
          textTab(out, utm.content);
        }
        out.bytes(NULLS_TAB[15]);
        textTab(out, enrichment?.traceId);
        break;
      }
      case "mobile": {
        const mobile = context.value;
        out.bytes(NULLS_TAB[8]);
        textTab(out, mobile.screenName);
        textTab(out, mobile.appVersion);
        textTab(out, mobile.osName);
        out.bytes(NULLS_TAB[12]);
        textTab(out, enrichment?.traceId);
        break;
      }
      case "chat": {
        const chat = context.value;
        out.bytes(NULLS_TAB[11]);
        textTab(out, chat.conversationId);
        out.bytes(chat.messageRole ? roleBytes(chat.messageRole) : NULL_TAB);
        numberTab(out, chat.responseLatencyMs);
        out.bytes(NULLS_TAB[9]);
        textTab(out, enrichment?.traceId);
        break;
      }
      case "speech": {
        const speech = context.value;
        out.bytes(NULLS_TAB[13]);
        numberTab(out, speech.responseLatencyMs);
        textTab(out, speech.intent);
        numberTab(out, speech.confidence);
        out.bytes(NULLS_TAB[7]);
        textTab(out, enrichment?.traceId);
        break;
      }
      case "agent": {
        const agent = context.value;
        out.bytes(NULLS_TAB[11]);
        textTab(out, agent.conversationId);
        out.bytes(NULLS_TAB[4]);
        textTab(out, agent.responseModel || agent.requestModel);
        textTab(out, agent.providerName);
        out.ascii(String(agent.inputTokens));
        out.byte(TAB);
        out.ascii(String(agent.outputTokens));
        out.byte(TAB);
        numberTab(out, agent.costUsd);
        textTab(out, agent.toolName);
        textTab(out, agent.outcome);
        textTab(out, agent.traceId || enrichment?.traceId);
        break;
      }
      default:
        out.bytes(NULLS_TAB[23]);
        textTab(out, enrichment?.traceId);
    }
    if (e.properties) out.json(JSON.stringify(e.properties));
    else out.ascii("\\N");
    out.byte(TAB);
    if (client) out.json(messageJson(ClientContextSchema, client));
    else out.ascii("\\N");
    out.byte(TAB);
    if (context.case !== undefined) {
      const { opening, desc } = CONTEXT_OPENINGS.get(context.case)!;
      out.bytes(opening);
      out.json(messageJson(desc, context.value));
      out.byte(125); // }
    } else out.ascii("\\N");
    out.byte(TAB);
    if (enrichment) out.json(messageJson(EnrichmentSchema, enrichment));
    else out.ascii("\\N");
    out.byte(NEWLINE);
  }
}

/** A text column and its tab: NULL when absent or empty, unless `always` (an empty string). */
function textTab(out: CopyBytes, value: string | undefined, always = false): void {
  if (value || (always && value !== undefined)) out.text(nulFreeText(value));
  else out.ascii("\\N");
  out.byte(TAB);
}

/** A number column and its tab: NULL when absent, or zero unless `zero` (kept as "0"). */
function numberTab(out: CopyBytes, value: number | undefined, zero = false): void {
  if (value === undefined || (!zero && !value)) out.ascii("\\N");
  else out.ascii(String(value));
  out.byte(TAB);
}
