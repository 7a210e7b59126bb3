/**
 * PostgreSQL and the S3 server stopped and started (deploy/<svc>/stop.sh, start.sh) while the
 * load runs through ingest → Kafka → both sinks. The sinks retry with backoff (or exit and are
 * restarted); after the services are back every acknowledged event is in both stores exactly
 * once. The services are restarted in `finally` even when the test fails.
 *
 * The PostgreSQL cluster and the S3 server are the test's own (deploy/'s scripts on free ports,
 * a cluster and a folder of their own, removed at the end), so the shared services other suites
 * use are never stopped.
 */
import assert from "node:assert/strict";
import { assertNoLag } from "./consumer_lag.ts";
import { assertExactlyOnce } from "./ledger_check.ts";
import { FAULTS_FULL, faultTest } from "./fault_services.ts";
import { FaultRun } from "./fault_run.ts";
import { PrivateService } from "./private_service.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Stops a service for `downMs` (`kill`: as a crash), then starts it again, whatever happens. */
async function outage(service: PrivateService, downMs: number, kill: boolean): Promise<void> {
  await service.stop({ kill });
  try {
    await sleep(downMs);
  } finally {
    await service.startAgain();
  }
}

faultTest("PostgreSQL and the S3 server stopped and started under load", async () => {
  const postgres = await PrivateService.start("postgres");
  const s3 = await PrivateService.start("s3").catch(async (error) => {
    await postgres.dispose();
    throw error;
  });
  const run = await FaultRun.create({
    name: "outage",
    services: { databaseUrl: postgres.databaseUrl, s3: s3.s3 },
  }).catch(async (error) => {
    await Promise.allSettled([postgres.dispose(), s3.dispose()]);
    throw error;
  });
  const faults: Record<string, number> = { "postgres stop/start": 0, "s3 stop/start": 0 };
  try {
    await run.startIngest();
    await run.startHotSink();
    await run.startLakeSink();
    const rounds = FAULTS_FULL ? 3 : 1;
    const loading = run.runLoad({ durationMs: rounds * 20_000 + 4_000 });
    for (let round = 0; round < rounds; round++) {
      await sleep(3_000);
      // Alternate a clean stop and a crash (immediate shutdown / SIGKILL of the server).
      await outage(postgres, 5_000, round % 2 === 1);
      faults["postgres stop/start"]++;
      await sleep(3_000);
      await outage(s3, 5_000, round % 2 === 1);
      faults["s3 stop/start"]++;
    }
    const load = await loading;
    const checks = await run.converge({ timeoutMs: 150_000 });
    const lag = await run.waitForZeroLag();
    const retries = async (name: string) =>
      (await Deno.readTextFile(`${run.workDir}/${name}.log`)).split("\n")
        .filter((line) => line.includes("failed; retrying")).length;
    const hotRetries = await retries("hot-sink");
    const lakeRetries = await retries("lake-sink");
    run.report("PostgreSQL and S3 outages (Kafka)", load, {
      ...faults,
      "hot-sink write retries": hotRetries,
      "lake-sink write retries": lakeRetries,
      "sink restarts": run.supervisor.starts("hot-sink") + run.supervisor.starts("lake-sink") - 2,
    }, checks);
    console.log(`  consumer lag after recovery: hot ${lag.hot.total}, lake ${lag.lake.total}`);
    assert.ok(hotRetries > 0, "the hot sink felt the PostgreSQL outage");
    assert.ok(lakeRetries > 0, "the lake sink felt the S3 outage");
    assertExactlyOnce(checks, load.accepted);
    assertNoLag(lag);
    run.passed();
  } finally {
    try {
      await run.dispose();
    } finally {
      await Promise.allSettled([postgres.dispose(), s3.dispose()]);
    }
  }
});
