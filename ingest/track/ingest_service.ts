import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { IngestService } from "@analytics/schema";
import { requestPrivacySignals } from "../consent/mod.ts";
import { receivedAtFrom } from "../enrich/event_time.ts";
import { checkBatchSize } from "../limits/request_limits.ts";
import { clientAddressKey } from "../server/client_address.ts";
import { addBatchResult, emptyBatchResult, throwIfNothingStored } from "./call_outcome.ts";
import { type BatchInput, type BatchResult, createBatchIngester } from "./ingest_batch.ts";
import type { IngestDeps } from "./ingest_deps.ts";
import { traceparentFor } from "./trace_context.ts";

/**
 * The implementation of `analytics.v1.IngestService` (connect-es v2): authenticate the write
 * key, check the batch limit, then validate, apply the consent policy, rate-limit, enrich and
 * publish each event, and answer with an outcome per event.
 */
export function createIngestService(deps: IngestDeps): ServiceImpl<typeof IngestService> {
  const ingest = createBatchIngester(deps);
  const now = deps.now ?? Date.now;
  const { maxBatchEvents, maxStreamEvents } = deps.config.limits;

  const facts = (context: HandlerContext, sentAt: Timestamp | undefined) => ({
    receivedAt: receivedAtFrom(now()),
    sentAt,
    remoteAddress: context.values.get(clientAddressKey),
    userAgent: context.requestHeader.get("user-agent") ?? undefined,
  });
  const answer = (result: BatchResult) => {
    throwIfNothingStored(result);
    const { results, accepted, rejected, notStored } = result;
    return { results, accepted, rejected, notStored, serverTime: timestampFromMs(now()) };
  };

  return {
    async track(request, context) {
      const sender = deps.keys.authenticate(context.requestHeader, context.url);
      checkBatchSize(request.events.length, maxBatchEvents);
      throwIfAbandoned(context);
      const input: BatchInput = {
        events: request.events,
        firstIndex: 0,
        sender,
        facts: facts(context, request.sentAt),
        traceparent: traceparentFor(context.requestHeader),
        signals: requestPrivacySignals(context.requestHeader),
        remainingMs: context.timeoutMs(),
      };
      return answer(await ingest(input));
    },

    async trackStream(requests, context) {
      const sender = deps.keys.authenticate(context.requestHeader, context.url);
      const traceparent = traceparentFor(context.requestHeader);
      const signals = requestPrivacySignals(context.requestHeader);
      const total = emptyBatchResult();
      for await (const message of requests) {
        checkBatchSize(message.events.length, maxBatchEvents);
        const firstIndex = total.results.length;
        if (firstIndex + message.events.length > maxStreamEvents) {
          throw new ConnectError(
            `events: at most ${maxStreamEvents} events per stream (INGEST_MAX_STREAM_EVENTS); ` +
              `send the rest in a new call (events before index ${firstIndex} were processed)`,
            Code.ResourceExhausted,
          );
        }
        throwIfAbandoned(context);
        const result = await ingest({
          events: message.events,
          firstIndex,
          sender,
          facts: facts(context, message.sentAt),
          traceparent,
          signals,
          remainingMs: context.timeoutMs(),
        });
        addBatchResult(total, result);
      }
      return answer(total);
    },
  };
}

/**
 * Under CPU overload a call can wait past its deadline before its handler runs; its caller has
 * given up, so its events are neither validated nor published (the answer would be lost).
 */
function throwIfAbandoned(context: HandlerContext): void {
  if (!context.signal.aborted) return;
  throw new ConnectError(
    "the call ended (deadline passed or cancelled) before its events were processed; " +
      "none were stored",
    Code.DeadlineExceeded,
  );
}
