/**
 * The checkable rule every answer of the ingest must satisfy, whatever it was sent:
 *
 * 1. There is an answer: an HTTP status, and for gRPC a `grpc-status`; the connection or stream
 *    was not dropped.
 * 2. Its code is never one that blames the server (`internal`, `unknown`, `unavailable`,
 *    `data_loss`, HTTP 5xx) and is one the request's class may get.
 * 3. A failed call's message names the problem: what it must mention depends on the code
 *    (`NAMES_THE_PROBLEM`): a field of the schema or `events[i]`, a limit, the key, a header, the
 *    encoding or the type that could not be decoded.
 * 4. A successful call answers every event: ACCEPTED, REJECTED with a `field` under `events[i]`
 *    and a reason, or NOT_STORED with a reason; for a request of valid events, all ACCEPTED.
 *
 * @module
 */
import type { DescMessage } from "@bufbuild/protobuf";
import { Outcome, TrackRequestSchema } from "@analytics/schema";
import type { FuzzCase } from "./fuzz_cases.ts";
import type { Answer } from "./protocols.ts";

/** Codes that say the server failed, never right for bad input. */
export const SERVER_FAULT_CODES: ReadonlySet<string> = new Set([
  "internal",
  "unknown",
  "unavailable",
  "data_loss",
  "canceled",
  "deadline_exceeded",
]);

/** Every field name (proto and JSON spelling) reachable from TrackRequest. */
function schemaFieldNames(root: DescMessage): Set<string> {
  const names = new Set<string>();
  const seen = new Set<string>();
  const walk = (message: DescMessage) => {
    if (seen.has(message.typeName)) return;
    seen.add(message.typeName);
    for (const field of message.fields) {
      names.add(field.name);
      names.add(field.jsonName);
      if (field.message) walk(field.message);
    }
  };
  walk(root);
  return names;
}

const FIELD_NAMES = schemaFieldNames(TrackRequestSchema);
const FIELD_PATTERN = new RegExp(
  `(^|[^A-Za-z0-9_])(${[...FIELD_NAMES].join("|")}|events\\[\\d+\\])([^A-Za-z0-9_]|$)`,
);
const DECODING = /analytics\.v1\.|google\.protobuf\.|\bJSON\b|UTF-8|envelope|wire type|varint/i;
const LIMIT = /INGEST_[A-Z_]+|readMaxBytes|\blimit\b|\bat most\b/i;
const ENCODING = /encoding|compress|gzip|decompress/i;

/** What a failed call's message must mention, by code. */
export const NAMES_THE_PROBLEM: Readonly<Record<string, (message: string) => boolean>> = {
  invalid_argument: (m) => FIELD_PATTERN.test(m) || DECODING.test(m) || ENCODING.test(m),
  resource_exhausted: (m) => LIMIT.test(m),
  unauthenticated: (m) => /\bkey\b|authorization/i.test(m),
  unimplemented: (m) => ENCODING.test(m) || /gRPC|port|protocol error/.test(m),
  http_400: (m) => FIELD_PATTERN.test(m) || DECODING.test(m) || /\bfield\b/.test(m),
  http_401: (m) => /\bkey\b|authorization/i.test(m),
  http_404: (m) => /route|not enabled|path/i.test(m),
  http_405: (m) => /method/i.test(m),
  http_413: (m) => LIMIT.test(m),
  http_415: (m) => /content-type/i.test(m),
};

/** Checks one answer against the rule; returns the broken part, or undefined when it holds. */
export function judgeAnswer(fuzzCase: FuzzCase, answer: Answer): string | undefined {
  if (answer.broken !== undefined) return `no usable answer: ${answer.broken}`;
  const { code } = answer;
  if (SERVER_FAULT_CODES.has(code) || /^http_5/.test(code)) {
    return `server fault ${code}: ${answer.message}`;
  }
  if (!fuzzCase.expect.includes(code)) {
    return `code ${code} not among ${fuzzCase.expect.join(", ")}: ${answer.message}`;
  }
  if (code === "ok") return judgeResults(fuzzCase, answer);
  if (code === "http_200") return judgeLegacySuccess(answer.json);
  const names = NAMES_THE_PROBLEM[code];
  if (!names) return `no rule for code ${code}`;
  if (!names(answer.message)) {
    return `${code} message does not name the problem: "${answer.message}"`;
  }
  return undefined;
}

function judgeResults(fuzzCase: FuzzCase, answer: Answer): string | undefined {
  const results = answer.results ?? [];
  for (const result of results) {
    switch (result.outcome) {
      case Outcome.ACCEPTED:
        break;
      case Outcome.REJECTED:
        if (!/^events\[\d+\]/.test(result.field) || result.reason === "") {
          return `rejected event ${result.index} without field and reason: ${
            JSON.stringify(result)
          }`;
        }
        break;
      case Outcome.NOT_STORED:
        if (result.reason === "") return `event ${result.index} not stored without a reason`;
        break;
      default:
        return `event ${result.index} has no outcome`;
    }
  }
  if (fuzzCase.allValid) {
    const refused = results.find((r) => r.outcome !== Outcome.ACCEPTED);
    if (results.length === 0) return "a valid request got no results";
    if (refused) return `a valid event was not accepted: ${refused.field} ${refused.reason}`;
  }
  return undefined;
}

function judgeLegacySuccess(json: unknown): string | undefined {
  const body = json as { success?: unknown; event_id?: unknown; results?: unknown } | undefined;
  if (body?.success === true && typeof body.event_id === "string") return undefined;
  if (Array.isArray(body?.results)) {
    for (const r of body.results as { success?: boolean; error?: string; field?: string }[]) {
      if (!r.success && !(typeof r.error === "string" && r.error !== "")) {
        return `legacy batch result without an error: ${JSON.stringify(r)}`;
      }
    }
    return undefined;
  }
  return `legacy 200 without success and event_id: ${JSON.stringify(json)}`;
}

/** The event ids an answer reports as stored. */
export function acceptedIds(answer: Answer): string[] {
  if (answer.code === "ok") {
    return (answer.results ?? []).filter((r) => r.outcome === Outcome.ACCEPTED).map((r) =>
      r.eventId
    );
  }
  if (answer.code === "http_200") {
    const body = answer.json as {
      event_id?: string;
      results?: { success: boolean; event_id?: string }[];
    };
    if (typeof body?.event_id === "string") return [body.event_id];
    return (body?.results ?? []).filter((r) => r.success && r.event_id).map((r) => r.event_id!);
  }
  return [];
}
