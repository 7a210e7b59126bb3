// Reading records back from the embedded log: 2,000 records as the ingest writes them (a
// 36-character key, `traceparent` and `schema` headers, a 400-byte value) from one segment
// file. The baseline in the same run is the floor: the same file read into memory and every
// frame's CRC checked, without decoding a record. Divide by 2,000 for the cost per record.
// Run: deno bench -A ingest/stream/local/read_records_bench.ts
import { crc32 } from "node:zlib";
import { encodeFrame, FRAME_HEADER_BYTES } from "./frame.ts";
import { FrameReader } from "./frame_reader.ts";
import { segmentFileName } from "./layout.ts";
import { MAX_FRAME_BODY_BYTES } from "./options.ts";
import { PartitionReader } from "./partition_reader.ts";

const RECORDS = 2_000;
const VALUE_BYTES = 400;

const dir = await Deno.makeTempDir({ prefix: "read-records-bench-" });
const segmentPath = `${dir}/${segmentFileName(0n)}`;
const frames = Array.from({ length: RECORDS }, (_, i) =>
  encodeFrame({
    offset: BigInt(i),
    timestamp: Date.now(),
    key: crypto.randomUUID(),
    headers: {
      traceparent: `00-${"ab".repeat(16)}-${"cd".repeat(8)}-01`,
      schema: "analytics.v1.Event",
    },
    value: crypto.getRandomValues(new Uint8Array(VALUE_BYTES)),
  }));
const bytes = new Uint8Array(frames.reduce((sum, frame) => sum + frame.length, 0));
frames.reduce((at, frame) => (bytes.set(frame, at), at + frame.length), 0);
await Deno.writeFile(segmentPath, bytes);

Deno.bench("floor: read the segment file, CRC every frame", {
  group: "2,000 records",
  baseline: true,
}, async () => {
  const data = await Deno.readFile(segmentPath);
  const view = new DataView(data.buffer);
  let checked = 0;
  for (let at = 0; at < data.length; checked++) {
    const size = FRAME_HEADER_BYTES + view.getUint32(at);
    if (crc32(data.subarray(at + FRAME_HEADER_BYTES, at + size)) !== view.getUint32(at + 4)) {
      throw new Error("CRC mismatch");
    }
    at += size;
  }
  if (checked !== RECORDS) throw new Error(`checked ${checked} frames`);
});

Deno.bench("FrameReader: every record of the segment", { group: "2,000 records" }, async () => {
  using file = await Deno.open(segmentPath, { read: true });
  const reader = new FrameReader(file, 0, MAX_FRAME_BODY_BYTES);
  let read = 0;
  for (let result = await reader.next(); result.kind === "record"; result = await reader.next()) {
    read++;
  }
  if (read !== RECORDS) throw new Error(`read ${read} records`);
});

Deno.bench("PartitionReader: batches of 500 from offset 0", {
  group: "2,000 records",
}, async () => {
  const reader = new PartitionReader(dir);
  let next = 0n;
  while (next < RECORDS) {
    const records = await reader.read(next, 500);
    next = records[records.length - 1].offset + 1n;
  }
  reader.close();
});
