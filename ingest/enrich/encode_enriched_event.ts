/**
 * Encodes an enriched event without encoding the client's part twice. The ingest encodes each
 * event as the client sent it once, to check its size; when enrichment changed none of the
 * client's fields, the published record is those bytes followed by the encoded `enrichment`
 * field. protobuf-es writes fields in field-number order and `enrichment` has the highest number,
 * so the result is byte for byte what encoding the whole enriched event gives (unknown fields
 * aside, which then come before `enrichment` instead of after it: the same message either way).
 *
 * @module
 */
import { toBinary } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { type Enrichment, EnrichmentSchema, EventSchema } from "@analytics/schema";

const ENRICHMENT_FIELD = EventSchema.field.enrichment.number;

/** The encoded event: `clientBytes` (the event as sent, without enrichment) plus `enrichment`. */
export function appendEnrichment(clientBytes: Uint8Array, enrichment: Enrichment): Uint8Array {
  const field = new BinaryWriter()
    .tag(ENRICHMENT_FIELD, WireType.LengthDelimited)
    .bytes(toBinary(EnrichmentSchema, enrichment))
    .finish();
  const out = new Uint8Array(clientBytes.byteLength + field.byteLength);
  out.set(clientBytes, 0);
  out.set(field, clientBytes.byteLength);
  return out;
}
