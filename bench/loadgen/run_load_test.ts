import assert from "node:assert/strict";
import { Channel, Outcome } from "@analytics/schema";
import { readLedger } from "./ledger.ts";
import { type LoadProgress, runLoad } from "./run_load.ts";
import { startStandInIngest } from "./stand_in_ingest.ts";

const PROTOCOLS = [
  ["grpc", "2"],
  ["connect", "1.1"],
  ["connect", "2"],
  ["grpc-web", "1.1"],
  ["grpc-web", "2"],
] as const;

for (const [protocol, httpVersion] of PROTOCOLS) {
  Deno.test(`runLoad over ${protocol} (HTTP/${httpVersion}): every event accepted, ledger matches`, async () => {
    const ingest = await startStandInIngest({ writeKey: "wk_test" });
    const ledgerPath = await Deno.makeTempFile({ suffix: ".ledger" });
    try {
      const summary = await runLoad({
        protocol,
        httpVersion,
        url: protocol === "grpc" ? ingest.grpcUrl : ingest.url,
        events: 1_050,
        batch: 100,
        concurrency: 4,
        writeKey: "wk_test",
        ledgerPath,
      });
      assert.equal(summary.sent, 1_050);
      assert.equal(summary.accepted, 1_050);
      assert.equal(summary.rejected + summary.notStored + summary.failed, 0);
      assert.deepEqual(summary.errors, {});
      assert.equal(summary.calls, 11);
      assert.equal(summary.latencyMs.count, 11);
      assert.ok(summary.latencyMs.p50 <= summary.latencyMs.p99);
      const ledger = await readLedger(ledgerPath);
      assert.equal(ledger.length, 1_050);
      assert.deepEqual(new Set(ledger), ingest.accepted);
    } finally {
      await ingest.close();
      await Deno.remove(ledgerPath);
    }
  });
}

Deno.test("runLoad with TrackStream: outcomes of every batch of each stream", async () => {
  const ingest = await startStandInIngest();
  try {
    const summary = await runLoad({
      protocol: "grpc",
      url: ingest.grpcUrl,
      method: "stream",
      streamBatches: 5,
      events: 2_000,
      batch: 50,
      concurrency: 2,
    });
    assert.equal(summary.sent, 2_000);
    assert.equal(summary.accepted, 2_000);
    assert.equal(ingest.accepted.size, 2_000);
    // 40 batches of 5 per stream; two workers share them, so one stream may end short.
    assert.ok(summary.calls >= 8 && summary.calls <= 9, `streams: ${summary.calls}`);
  } finally {
    await ingest.close();
  }
});

Deno.test("runLoad: counts not-stored outcomes apart from accepted ones, and keeps them off the ledger", async () => {
  const ingest = await startStandInIngest({
    judge: (event) =>
      event.channel === Channel.AGENT
        ? { outcome: Outcome.NOT_STORED, reason: "log unavailable" }
        : undefined,
  });
  const ledgerPath = await Deno.makeTempFile();
  try {
    const summary = await runLoad({
      url: ingest.grpcUrl,
      events: 600,
      batch: 60,
      ledgerPath,
      seed: 9,
    });
    assert.equal(summary.sent, 600);
    assert.ok(summary.notStored > 0, "some agent events");
    assert.equal(summary.accepted + summary.notStored, 600);
    assert.equal(summary.accepted, ingest.accepted.size);
    assert.deepEqual(new Set(await readLedger(ledgerPath)), ingest.accepted);
  } finally {
    await ingest.close();
    await Deno.remove(ledgerPath);
  }
});

Deno.test("runLoad: a wrong write key fails every call as unauthenticated", async () => {
  const ingest = await startStandInIngest({ writeKey: "wk_right" });
  try {
    const summary = await runLoad({
      url: ingest.grpcUrl,
      events: 300,
      batch: 100,
      writeKey: "wk_wrong",
    });
    assert.deepEqual(summary.errors, { unauthenticated: 3 });
    assert.equal(summary.failed, 300);
    assert.equal(summary.accepted, 0);
    assert.equal(ingest.accepted.size, 0);
  } finally {
    await ingest.close();
  }
});

Deno.test("runLoad: nothing listening gives unavailable, not a crash", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const summary = await runLoad({
    url: `http://127.0.0.1:${port}`,
    events: 200,
    batch: 100,
    concurrency: 1,
  });
  assert.deepEqual(summary.errors, { unavailable: 2 });
  assert.equal(summary.failed, 200);
});

Deno.test("runLoad: reports progress while it runs and stops at the duration", async () => {
  const ingest = await startStandInIngest();
  const reports: LoadProgress[] = [];
  try {
    const summary = await runLoad({
      url: ingest.grpcUrl,
      durationMs: 600,
      rate: 2_000,
      batch: 20,
      progressIntervalMs: 100,
      onProgress: (p) => reports.push(p),
    });
    assert.ok(reports.length >= 2, `progress reported (${reports.length})`);
    for (let i = 1; i < reports.length; i++) assert.ok(reports[i].sent >= reports[i - 1].sent);
    assert.ok(summary.sent > 0);
    assert.equal(summary.accepted, summary.sent);
  } finally {
    await ingest.close();
  }
});

Deno.test("runLoad with retry re-sends exactly the not-stored events with the same ids", async () => {
  const seen = new Map<string, number>();
  const ingest = await startStandInIngest({
    // Every third event is not stored the first two times it arrives.
    judge: (event) => {
      const n = (seen.get(event.eventId) ?? 0) + 1;
      seen.set(event.eventId, n);
      const third = [...event.eventId].reduce((h, c) => h + c.charCodeAt(0), 0) % 3 === 0;
      return third && n <= 2 ? { outcome: Outcome.NOT_STORED, reason: "try again" } : undefined;
    },
  });
  const ledgerPath = await Deno.makeTempFile({ suffix: ".ledger" });
  try {
    const summary = await runLoad({
      protocol: "grpc",
      url: ingest.grpcUrl,
      events: 600,
      batch: 50,
      concurrency: 3,
      retry: { delayMs: 1 },
      ledgerPath,
    });
    const retriedIds = [...seen.values()].filter((n) => n === 3).length;
    assert.ok(retriedIds > 0, "some events were not stored at first");
    assert.equal(seen.size, 600, "retries reuse the ids: no new event was made");
    assert.ok([...seen.values()].every((n) => n === 1 || n === 3));
    assert.equal(summary.accepted, 600);
    assert.equal(summary.notStored, retriedIds * 2);
    assert.equal(summary.retried, retriedIds * 2);
    const ledger = await readLedger(ledgerPath);
    assert.equal(ledger.length, 600);
    assert.deepEqual(new Set(ledger), ingest.accepted);
  } finally {
    await ingest.close();
    await Deno.remove(ledgerPath);
  }
});
