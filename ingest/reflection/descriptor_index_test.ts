import assert from "node:assert/strict";
import { fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { IngestService } from "@analytics/schema";
import { createDescriptorIndex, serializeWithDependencies } from "./descriptor_index.ts";

const index = createDescriptorIndex([IngestService]);

Deno.test("symbols resolve to the file declaring them, with or without a leading dot", () => {
  for (
    const symbol of [
      "analytics.v1.IngestService",
      "analytics.v1.IngestService.TrackStream",
      ".analytics.v1.TrackRequest",
      "analytics.v1.TrackRequest.events",
      "analytics.v1.Outcome",
      "analytics.v1.OUTCOME_ACCEPTED",
    ]
  ) {
    assert.equal(
      index.fileContainingSymbol(symbol)?.proto.name,
      "analytics/v1/ingest.proto",
      symbol,
    );
  }
  assert.equal(
    index.fileContainingSymbol("analytics.v1.Event")?.proto.name,
    "analytics/v1/event.proto",
  );
  assert.equal(
    index.fileContainingSymbol("google.protobuf.Timestamp")?.proto.name,
    "google/protobuf/timestamp.proto",
  );
  assert.equal(index.fileContainingSymbol("analytics.v1.Nope"), undefined);
});

Deno.test("imports are indexed transitively, including buf/validate and descriptor.proto", () => {
  for (
    const name of [
      "buf/validate/validate.proto",
      "google/protobuf/descriptor.proto",
      "google/protobuf/struct.proto",
    ]
  ) {
    assert.ok(index.fileByName(name), name);
  }
  assert.deepEqual(index.serviceNames, ["analytics.v1.IngestService"]);
});

Deno.test("extensions of descriptor options are found by extendee and number", () => {
  const numbers = index.extensionNumbersOf("google.protobuf.FieldOptions");
  assert.ok(numbers?.includes(1159), `buf.validate.field (1159) in ${numbers}`);
  assert.equal(
    index.fileContainingExtension("google.protobuf.FieldOptions", 1159)?.proto.name,
    "buf/validate/validate.proto",
  );
  assert.deepEqual(index.extensionNumbersOf("analytics.v1.Event"), []);
  assert.equal(index.extensionNumbersOf("no.such.Type"), undefined);
});

Deno.test("serializeWithDependencies sends the file first, each dependency once per stream", () => {
  const sent = new Set<string>();
  const file = index.fileByName("analytics/v1/ingest.proto")!;
  const first = serializeWithDependencies(file, sent).map((b) =>
    fromBinary(FileDescriptorProtoSchema, b)
  );
  assert.equal(first[0].name, "analytics/v1/ingest.proto");
  const names = first.map((f) => f.name);
  assert.equal(new Set(names).size, names.length);
  for (const f of first) {
    for (const dependency of f.dependency) assert.ok(names.includes(dependency), dependency);
  }
  assert.deepEqual(serializeWithDependencies(file, sent), []);
});
