import assert from "node:assert/strict";
import { MetricsRegistry } from "./metrics_registry.ts";

Deno.test("counters add per label set and render in the Prometheus text format", () => {
  const registry = new MetricsRegistry();
  const accepted = registry.counter("events_accepted_total", "Events accepted.");
  accepted.add(2, { channel: "web" });
  accepted.add(1, { channel: "web" });
  accepted.add(1, { channel: "chat" });
  assert.equal(registry.value("events_accepted_total", { channel: "web" }), 3);
  assert.equal(registry.value("events_accepted_total", { channel: "mobile" }), 0);
  assert.equal(
    registry.render(),
    [
      "# HELP events_accepted_total Events accepted.",
      "# TYPE events_accepted_total counter",
      'events_accepted_total{channel="web"} 3',
      'events_accepted_total{channel="chat"} 1',
      "",
    ].join("\n"),
  );
});

Deno.test("histograms render cumulative buckets, sum and count; label values are escaped", () => {
  const registry = new MetricsRegistry();
  const latency = registry.histogram("publish_ms", "Publish latency.", [10, 100]);
  latency.record(5, { topic: 'a"b' });
  latency.record(50, { topic: 'a"b' });
  latency.record(500, { topic: 'a"b' });
  const text = registry.render();
  assert.match(text, /^publish_ms_bucket\{le="10",topic="a\\"b"\} 1$/m);
  assert.match(text, /^publish_ms_bucket\{le="100",topic="a\\"b"\} 2$/m);
  assert.match(text, /^publish_ms_bucket\{le="\+Inf",topic="a\\"b"\} 3$/m);
  assert.match(text, /^publish_ms_sum\{topic="a\\"b"\} 555$/m);
  assert.match(text, /^publish_ms_count\{topic="a\\"b"\} 3$/m);
});

Deno.test("gauges keep the last value; a name cannot change type", () => {
  const registry = new MetricsRegistry();
  const lag = registry.gauge("lag", "Lag.");
  lag.set(7, { partition: "0" });
  lag.set(0, { partition: "0" });
  assert.equal(registry.value("lag", { partition: "0" }), 0);
  assert.throws(() => registry.counter("lag", "x"), /already a gauge/);
});
