/**
 * The fuzzer's request classes as fast-check arbitraries: each draws a protocol and builds the
 * bytes of one request (valid, or broken in the way its class names), with the answer codes that
 * class may get. `sampleCases` draws them deterministically from a seed, in chunks, so 100k
 * cases never sit in memory at once.
 *
 * @module
 */
import fc from "fast-check";
import type { CaseContext, FuzzCase } from "./case_kit.ts";
import {
  absurdTimestampCase,
  damagedProtobufCase,
  deepPropertiesCase,
  hugePropertiesCase,
  hugeStringCase,
  invalidUtf8Case,
  randomBytesCase,
  validCase,
  wrongJsonTypeCase,
} from "./cases/body_cases.ts";
import { badRouteCase, legacyCase } from "./cases/plain_http_cases.ts";
import {
  badContentTypeCase,
  badEncodingCase,
  badFramingCase,
  badKeyCase,
  oversizedBatchCase,
} from "./cases/transport_cases.ts";

export type { CaseContext, FuzzCase } from "./case_kit.ts";

/** The request classes (by generator) and their relative weights. */
export function caseClasses(ctx: CaseContext): Record<string, [number, fc.Arbitrary<FuzzCase>]> {
  return {
    valid: [10, validCase(ctx)],
    random_bytes: [10, randomBytesCase(ctx)],
    damaged_protobuf: [20, damagedProtobufCase(ctx)],
    wrong_json_types: [8, wrongJsonTypeCase(ctx)],
    huge_strings: [4, hugeStringCase(ctx)],
    deep_properties: [3, deepPropertiesCase(ctx)],
    huge_properties: [2, hugePropertiesCase(ctx)],
    invalid_utf8: [5, invalidUtf8Case(ctx)],
    absurd_timestamps: [5, absurdTimestampCase(ctx)],
    oversized_batch: [1, oversizedBatchCase(ctx)],
    bad_framing: [8, badFramingCase(ctx)],
    bad_content_type: [5, badContentTypeCase(ctx)],
    bad_encoding: [4, badEncodingCase(ctx)],
    bad_keys: [6, badKeyCase(ctx)],
    legacy_json: [10, legacyCase(ctx)],
    bad_route: [3, badRouteCase(ctx)],
  };
}

/** Every class, drawn by weight. */
export function caseArbitrary(ctx: CaseContext): fc.Arbitrary<FuzzCase> {
  return fc.oneof(
    ...Object.values(caseClasses(ctx)).map(([weight, arbitrary]) => ({ weight, arbitrary })),
  );
}

/** `count` cases drawn from `seed`, in chunks of `chunk` (each chunk from its own derived seed). */
export function* sampleCases(
  ctx: CaseContext,
  seed: number,
  count: number,
  chunk = 250,
): Generator<FuzzCase> {
  const arbitrary = caseArbitrary(ctx);
  for (let done = 0, i = 0; done < count; i++) {
    const n = Math.min(chunk, count - done);
    yield* fc.sample(arbitrary, { seed: (seed + Math.imul(i, 0x9e3779b1)) | 0, numRuns: n });
    done += n;
  }
}
