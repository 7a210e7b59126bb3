/**
 * The embedded dev mode (`deno task dev`: one process with the local log, PGlite and a local
 * Delta table) killed repeatedly under load from retrying clients, and restarted on the same data
 * folder: first at failpoints in turn (FAULTS_FULL: twice each of mid-append in the log, after
 * publish before the answer, after the PGlite insert and after the Delta commit, both before the
 * offset commit; CI: the mid-append and the PGlite one), then by SIGKILL at random moments. After recovery every acknowledged event is exactly once in the local
 * Delta table (read by delta-rs) and in PGlite (opened from its folder once the process stopped),
 * and both in-process sinks' consumer groups on the local log have lag 0.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { readLedger } from "../../bench/loadgen/mod.ts";
import { devWriteKey } from "../../ingest/dev.ts";
import type { FailpointName } from "../../ingest/failpoints/mod.ts";
import { EVENTS_TOPIC } from "../../ingest/stream/topics.ts";
import { readWithDeltaRs } from "../delta/testkit/delta_reader.ts";
import type { ConsumerLag } from "./consumer_lag.ts";
import { FAULTS_FULL, faultTest } from "./fault_services.ts";
import { freePort } from "../../ingest/testdata/free_port.ts";
import { checkAgainstLedger, countIds, formatCheck, type LedgerCheck } from "./ledger_check.ts";
import { runLoadProcess } from "./load/run_load_process.ts";
import { localLogLag } from "./local_log_lag.ts";
import { Supervisor } from "./supervisor.ts";

const ALL_RULES: `${FailpointName}=${string}`[] = [
  "local-log.mid-append=kill@40",
  "ingest.after-publish-before-answer=kill@15",
  "timescale.after-insert-before-offset-commit=kill@3",
  "delta.after-commit-before-offset-commit=kill@2",
];
// CI: the two kills only this mode has (its in-process log, its PGlite); full: all, twice each.
const FAILPOINT_RULES = FAULTS_FULL ? ALL_RULES : [ALL_RULES[0], ALL_RULES[2]];
const FAILPOINT_STARTS = FAULTS_FULL ? 2 * FAILPOINT_RULES.length : FAILPOINT_RULES.length;
const RANDOM_KILLS = FAULTS_FULL ? 8 : 1;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

faultTest("deno task dev SIGKILLed under load: nothing lost or doubled", async () => {
  const workDir = await Deno.makeTempDir({ prefix: "faults-dev-" });
  const dataDir = join(workDir, "data");
  const lakeDir = join(dataDir, "lake", "analytics_events");
  const logDir = join(dataDir, "log");
  const hitsFile = join(workDir, "failpoint-hits.log");
  const ledgerPath = join(workDir, "ledger.txt");
  const key = await devWriteKey(dataDir);
  const [httpPort, grpcPort] = [freePort(), freePort()];
  // Starting PGlite and the in-process sinks has taken over 60 s on a saturated box.
  const supervisor = new Supervisor({ workDir, readyTimeoutMs: 180_000 });
  let passed = false;
  try {
    await supervisor.start({
      name: "dev",
      script: "ingest/dev.ts",
      env: {
        DEV_DATA_DIR: dataDir,
        INGEST_HTTP_PORT: String(httpPort),
        INGEST_GRPC_PORT: String(grpcPort),
        INGEST_RATE_LIMIT_EVENTS_PER_SECOND: "1000000",
        FAILPOINTS_HITS_FILE: hitsFile,
        LOG_LEVEL: "info",
      },
      envForStart: (start): Record<string, string> =>
        start < FAILPOINT_STARTS
          ? { FAILPOINTS: FAILPOINT_RULES[start % FAILPOINT_RULES.length] }
          : {},
      readyUrl: `http://127.0.0.1:${httpPort}/ready`,
    });
    const end = new AbortController();
    const loading = runLoadProcess({
      protocol: "grpc",
      url: `http://127.0.0.1:${grpcPort}`,
      writeKey: key,
      ledgerPath,
      retry: { delayMs: 250, maxAttempts: 200 },
      rate: 400,
      durationMs: 600_000,
      concurrency: 4,
      batch: 50,
    }, end.signal);
    const deadline = Date.now() + 180_000;
    while (supervisor.starts("dev") <= FAILPOINT_STARTS) {
      assert.ok(Date.now() < deadline, "the failpoint kills did not all happen within 3 minutes");
      await sleep(200);
    }
    for (let kill = 0; kill < RANDOM_KILLS; kill++) {
      await supervisor.waitReady("dev");
      await sleep(1_000 + Math.random() * 3_000);
      supervisor.kill("dev");
    }
    await supervisor.waitReady("dev");
    await sleep(3_000);
    end.abort();
    const load = await loading;
    const ledger = await readLedger(ledgerPath);

    // Wait (bounded) until the lake holds every acknowledged id and both groups are at the end.
    let lake: LedgerCheck | undefined;
    let lags = new Map<string, ConsumerLag>();
    let last = "";
    let stableSince = Date.now();
    const convergeBy = Date.now() + 120_000;
    while (Date.now() < convergeBy) {
      const view = await readWithDeltaRs(lakeDir, { ids: true });
      lake = checkAgainstLedger("delta", ledger, countIds(view.event_ids ?? []));
      lags = await localLogLag(logDir, EVENTS_TOPIC);
      const key = `${lake.rows}/${[...lags.values()].map((l) => l.total).join(",")}`;
      if (key !== last) [last, stableSince] = [key, Date.now()];
      const caughtUp = lake.missing === 0 && [...lags.values()].every((l) => l.total === 0);
      if (caughtUp && Date.now() - stableSince >= 3_000) break;
      await sleep(1_000);
    }
    await supervisor.stopAll();
    const hot = checkAgainstLedger("pglite", ledger, await pgliteIds(join(dataDir, "pglite")));
    const hits: Record<string, number> = {};
    for (const line of (await Deno.readTextFile(hitsFile).catch(() => "")).split("\n")) {
      const name = line.split(" ")[0];
      if (name) hits[name] = (hits[name] ?? 0) + 1;
    }
    const faults = Object.entries({ ...hits, "random SIGKILL": RANDOM_KILLS })
      .map(([k, v]) => `${k}=${v}`).join(" ");
    console.log(
      [
        "[faults] deno task dev SIGKILLed (local log, PGlite, local Delta)",
        `  load: sent ${load.sent} accepted ${load.accepted} not stored ${load.notStored} ` +
        `failed ${load.failed} retried ${load.retried} (errors: ${JSON.stringify(load.errors)})`,
        `  faults injected: ${faults}`,
        `  ${formatCheck(hot)}`,
        `  ${formatCheck(lake!)}`,
        `  consumer lag on the local log: ${
          [...lags].map(([group, lag]) => `${group} ${lag.total}`).join(", ")
        }`,
      ].join("\n"),
    );
    for (const rule of FAILPOINT_RULES) {
      const name = rule.split("=")[0];
      assert.equal(hits[name], FAILPOINT_STARTS / FAILPOINT_RULES.length, `${name} fired`);
    }
    assert.equal(supervisor.starts("dev"), 1 + FAILPOINT_STARTS + RANDOM_KILLS);
    assert.ok(load.accepted > 0 && load.retried > 0, "load accepted and retried");
    for (const check of [hot, lake!]) {
      assert.equal(check.missing, 0, `${check.store}: lost ${check.missingSample.join(", ")}`);
      assert.equal(check.duplicated, 0, `${check.store}: doubled ${check.duplicatedSample}`);
      assert.equal(check.expected, load.accepted);
    }
    assert.equal(lags.size, 2, `two consumer groups: ${[...lags.keys()]}`);
    for (const [group, lag] of lags) assert.equal(lag.total, 0, `${group}'s lag`);
    passed = true;
  } finally {
    await supervisor.stopAll();
    if (passed) await Deno.remove(workDir, { recursive: true });
    else {
      console.log(`[faults] dev run failed: logs and ledger kept in ${workDir}`);
      console.log(`--- last lines of dev:\n${await supervisor.tail("dev", 20)}`);
    }
  }
});

/** Per-id row counts of the hot table in a PGlite folder (the dev process must have stopped). */
async function pgliteIds(dir: string): Promise<Map<string, number>> {
  const db = await PGlite.create({ dataDir: dir });
  try {
    const { rows } = await db.query<{ id: string; n: number }>(
      "SELECT event_id::text AS id, count(*)::int AS n FROM analytics_events GROUP BY 1",
    );
    return new Map(rows.map((r) => [r.id, r.n]));
  } finally {
    await db.close();
  }
}
