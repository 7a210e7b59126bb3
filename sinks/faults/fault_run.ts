/**
 * One fault test's world: fresh names for everything it touches (a Kafka topic, a PostgreSQL
 * schema, an S3 prefix or a local lake folder and log folder, a write key), the programs started
 * under a `Supervisor` with a deployment's environment, the load generator writing the ledger with
 * retrying clients, and the check of both stores against the ledger once they stop changing.
 *
 * @module
 */
import { join } from "node:path";
import postgres from "postgres";
import { hashWriteKey, newWriteKey } from "../../ingest/auth/key_hash.ts";
import type { FailpointName } from "../../ingest/failpoints/mod.ts";
import { deleteTopics } from "../../ingest/stream/kafka/mod.ts";
import { type LoadSummary, readLedger } from "../../bench/loadgen/mod.ts";
import { readWithDeltaRs } from "../delta/testkit/delta_reader.ts";
import { testS3Store } from "../delta/testkit/s3_test_env.ts";
import { type FaultServices, faultServices } from "./fault_services.ts";
import { freePort } from "../../ingest/testdata/free_port.ts";
import { type ProcessLoadOptions, runLoadProcess } from "./load/run_load_process.ts";
import { type ConsumerLag, waitForZeroLag } from "./consumer_lag.ts";
import { checkAgainstLedger, countIds, formatCheck, type LedgerCheck } from "./ledger_check.ts";
import { Supervisor } from "./supervisor.ts";

/** Options of `FaultRun.create`. */
export interface FaultRunOptions {
  /** Short name, part of every resource name. */
  name: string;
  /** The event log: Kafka (default) or the embedded log in the run's folder. */
  log?: "kafka" | "local";
  /** Where the lake lives: S3 (default) or a local folder. */
  lake?: "s3" | "local";
  /** Services of the test's own (e.g. a private broker it stops) instead of the shared ones. */
  services?: Partial<FaultServices>;
}

/** Extra settings of one supervised program. */
export interface ProgramOptions {
  /** Added to the program's environment. */
  env?: Record<string, string>;
  /** Added for the n-th start only (e.g. failpoints for the first starts). */
  envForStart?: (start: number) => Record<string, string>;
  /** Restart the program after an exit the supervisor did not ask for. Default true. */
  restart?: boolean;
}

/** Options of `FaultRun.converge`. */
export interface ConvergeOptions {
  /** Which stores to check. Default both. */
  stores?: ("postgres" | "delta")[];
  /** Give up (returning the last comparison) after this long. Default 120 s. */
  timeoutMs?: number;
  /** The stores must hold every ledger id and not change for this long. Default 3 s. */
  stableMs?: number;
}

/** Everything a fault test made, and how to drive and check it. */
export class FaultRun {
  readonly supervisor: Supervisor;
  readonly topic: string;
  readonly schema: string;
  readonly databaseUrl: string;
  readonly ledgerPath: string;
  readonly hitsFile: string;
  readonly writeKey = newWriteKey();
  readonly ingestHttpPort = freePort();
  readonly ingestGrpcPort = freePort();
  readonly #lakeEnv: Record<string, string>;
  readonly lakeUri: string;
  readonly #s3Prefix: string | undefined;
  #failed = true;

  private constructor(
    readonly id: string,
    readonly workDir: string,
    readonly options: FaultRunOptions,
    readonly services: FaultServices,
  ) {
    // A start has taken over 60 s (the default) on a saturated 2-core box.
    this.supervisor = new Supervisor({ workDir, readyTimeoutMs: 180_000 });
    this.topic = `faults.${id}`;
    this.schema = `faults_${id.replaceAll("-", "_")}`;
    const base = services.databaseUrl;
    this.databaseUrl = `${base}${base.includes("?") ? "&" : "?"}search_path=${this.schema}`;
    this.ledgerPath = join(workDir, "ledger.txt");
    this.hitsFile = join(workDir, "failpoint-hits.log");
    if ((options.lake ?? "s3") === "s3") {
      const { s3 } = services;
      this.#s3Prefix = `faults/${id}`;
      this.#lakeEnv = {
        ...s3.env,
        S3_BUCKET: s3.bucket,
        S3_PREFIX: this.#s3Prefix,
      };
      this.lakeUri = `s3://${s3.bucket}/${this.#s3Prefix}/analytics_events`;
    } else {
      this.lakeUri = join(workDir, "lake", "analytics_events");
      this.#lakeEnv = { DELTA_TABLE_DIR: this.lakeUri };
    }
  }

  /** Makes the run's folder and PostgreSQL schema. */
  static async create(options: FaultRunOptions): Promise<FaultRun> {
    const id = `${options.name}-${Date.now().toString(36)}-${crypto.randomUUID().slice(0, 6)}`;
    const workDir = await Deno.makeTempDir({ prefix: `faults-${options.name}-` });
    const run = new FaultRun(id, workDir, options, {
      ...faultServices(),
      ...options.services,
    });
    const admin = postgres(run.services.databaseUrl, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`CREATE SCHEMA ${run.schema}`);
    } finally {
      await admin.end({ timeout: 2 });
    }
    return run;
  }

  /** Environment every program shares: the event log and the failpoint hits file. */
  #logEnv(): Record<string, string> {
    const env: Record<string, string> = {
      KAFKA_EVENTS_TOPIC: this.topic,
      FAILPOINTS_HITS_FILE: this.hitsFile,
      LOG_LEVEL: "info",
    };
    if ((this.options.log ?? "kafka") === "kafka") {
      env.KAFKA_BROKERS = this.services.brokers.join(",");
      env.KAFKA_SESSION_TIMEOUT_MS = "3000";
    } else {
      env.INGEST_LOG_DIR = join(this.workDir, "log");
    }
    return env;
  }

  /** Starts the ingest (`ingest/main.ts`) and waits until it is ready. */
  async startIngest(program: ProgramOptions = {}): Promise<void> {
    await this.supervisor.start({
      name: "ingest",
      script: "ingest/main.ts",
      env: {
        ...this.#logEnv(),
        INGEST_HTTP_PORT: String(this.ingestHttpPort),
        INGEST_GRPC_PORT: String(this.ingestGrpcPort),
        INGEST_WRITE_KEYS: `faults:${hashWriteKey(this.writeKey)}`,
        INGEST_RATE_LIMIT_EVENTS_PER_SECOND: "1000000",
        ...program.env,
      },
      envForStart: program.envForStart,
      readyUrl: `http://127.0.0.1:${this.ingestHttpPort}/ready`,
    });
  }

  /** Starts a hot sink (`sinks/timescale/main.ts`) into the run's schema. */
  async startHotSink(name = "hot-sink", program: ProgramOptions = {}): Promise<void> {
    const port = freePort();
    await this.supervisor.start({
      name,
      script: "sinks/timescale/main.ts",
      env: {
        ...this.#logEnv(),
        DATABASE_URL: this.databaseUrl,
        KAFKA_GROUP_ID: `${this.topic}.hot`,
        SINK_HTTP_PORT: String(port),
        SINK_BATCH_MAX_RECORDS: "500",
        SINK_BATCH_MAX_WAIT_MS: "200",
        ...program.env,
      },
      envForStart: program.envForStart,
      readyUrl: `http://127.0.0.1:${port}/ready`,
    });
  }

  /** Starts a lake sink (`sinks/delta/main.ts`) writing the run's table. */
  async startLakeSink(name = "lake-sink", program: ProgramOptions = {}): Promise<void> {
    const port = freePort();
    await this.supervisor.start({
      name,
      script: "sinks/delta/main.ts",
      env: {
        ...this.#logEnv(),
        ...this.#lakeEnv,
        KAFKA_GROUP_ID: `${this.topic}.lake`,
        SINK_HTTP_PORT: String(port),
        SINK_BATCH_MAX_RECORDS: "1000",
        SINK_BATCH_MAX_WAIT_MS: "400",
        DELTA_CHECKPOINT_INTERVAL: "5",
        ...program.env,
      },
      envForStart: program.envForStart,
      readyUrl: `http://127.0.0.1:${port}/ready`,
      restart: program.restart,
    });
  }

  /** Failpoint environment for the first `starts` starts of a program; later starts run clean. */
  failpointsForFirstStarts(
    rule: `${FailpointName}=${string}`,
    starts: number,
  ): (start: number) => Record<string, string> {
    return (start): Record<string, string> => (start < starts ? { FAILPOINTS: rule } : {});
  }

  /**
   * Runs the load generator against the ingest over gRPC with retrying clients (not-stored
   * events and failed calls re-sent with the same ids); accepted ids go to the ledger. It runs in
   * a child process (see `load/load_child.ts`); aborting `signal` ends it early.
   */
  runLoad(options: Partial<ProcessLoadOptions> = {}, signal?: AbortSignal): Promise<LoadSummary> {
    return runLoadProcess({
      protocol: "grpc",
      url: `http://127.0.0.1:${this.ingestGrpcPort}`,
      writeKey: this.writeKey,
      ledgerPath: this.ledgerPath,
      retry: { delayMs: 250, maxAttempts: 80 },
      rate: 400,
      durationMs: 10_000,
      concurrency: 4,
      batch: 50,
      ...options,
    }, signal);
  }

  /** Failpoint kills recorded in the hits file, by failpoint name. */
  async failpointHits(): Promise<Record<string, number>> {
    const text = await Deno.readTextFile(this.hitsFile).catch(() => "");
    const hits: Record<string, number> = {};
    for (const line of text.split("\n")) {
      const name = line.split(" ")[0];
      if (name) hits[name] = (hits[name] ?? 0) + 1;
    }
    return hits;
  }

  /** Per-id row counts of the run's PostgreSQL table. */
  async postgresIds(): Promise<Map<string, number>> {
    const sql = postgres(this.databaseUrl, { max: 1, connect_timeout: 5, onnotice: () => {} });
    try {
      const rows = await sql<{ id: string; n: number }[]>`
        SELECT event_id::text AS id, count(*)::int AS n FROM analytics_events GROUP BY 1`;
      return new Map(rows.map((r) => [r.id, r.n]));
    } finally {
      await sql.end({ timeout: 2 });
    }
  }

  /** Per-id row counts of the run's Delta table, as delta-rs reads it. */
  async deltaIds(): Promise<Map<string, number>> {
    const view = await readWithDeltaRs(this.lakeUri, { ids: true, env: this.services.s3.env });
    return countIds(view.event_ids ?? []);
  }

  /**
   * Waits until every store holds every ledger id and has stopped changing (bounded), then
   * returns the comparison of each store with the ledger. The caller asserts on it.
   */
  async converge(options: ConvergeOptions = {}): Promise<LedgerCheck[]> {
    const stores = options.stores ?? ["postgres", "delta"];
    const stableMs = options.stableMs ?? 3_000;
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    const ledger = await readLedger(this.ledgerPath);
    let last = "";
    let stableSince = Date.now();
    let checks: LedgerCheck[] = [];
    while (true) {
      try {
        checks = await Promise.all(stores.map(async (store) =>
          checkAgainstLedger(
            store,
            ledger,
            store === "postgres" ? await this.postgresIds() : await this.deltaIds(),
          )
        ));
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      const key = checks.map((c) => `${c.rows}/${c.present}`).join(",");
      if (key !== last) {
        last = key;
        stableSince = Date.now();
      } else if (
        checks.every((c) => c.missing === 0) && Date.now() - stableSince >= stableMs
      ) {
        return checks;
      }
      if (Date.now() > deadline) return checks;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  /**
   * Kafka only: waits (bounded) until the hot and the lake sink's consumer groups have committed
   * up to the end of every partition, and returns each group's last measured lag. Call after
   * `converge`: once the stores hold everything, each sink's last batch has been followed by its
   * offset commit (a batch the lake already holds by `txn` is skipped and committed too).
   */
  async waitForZeroLag(timeoutMs = 60_000): Promise<Record<"hot" | "lake", ConsumerLag>> {
    const { brokers } = this.services;
    const [hot, lake] = await Promise.all(
      (["hot", "lake"] as const).map((g) =>
        waitForZeroLag(brokers, this.topic, `${this.topic}.${g}`, timeoutMs)
      ),
    );
    return { hot, lake };
  }

  /** Prints the run's figures: load, faults by kind, and each store's comparison. */
  report(title: string, load: LoadSummary, faults: Record<string, number>, checks: LedgerCheck[]) {
    const faultText = Object.entries(faults).map(([k, v]) => `${k}=${v}`).join(" ") || "none";
    console.log(
      [
        `[faults] ${title}`,
        `  load: sent ${load.sent} accepted ${load.accepted} not stored ${load.notStored} ` +
        `failed ${load.failed} retried ${load.retried} in ${
          (load.elapsedMs / 1000).toFixed(1)
        } s ` +
        `(errors: ${JSON.stringify(load.errors)})`,
        `  faults injected: ${faultText}`,
        ...checks.map((c) => `  ${formatCheck(c)}`),
      ].join("\n"),
    );
  }

  /** Marks the run as passed: its folder is removed at dispose (kept, and named, otherwise). */
  passed(): void {
    this.#failed = false;
  }

  /** Stops every program and removes what the run made (the folder only when it passed). */
  async dispose(): Promise<void> {
    await this.supervisor.stopAll();
    const errors: unknown[] = [];
    const admin = postgres(this.services.databaseUrl, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`);
    } catch (error) {
      errors.push(error);
    } finally {
      await admin.end({ timeout: 2 });
    }
    if ((this.options.log ?? "kafka") === "kafka") {
      await deleteTopics({ brokers: this.services.brokers }, [this.topic, `${this.topic}.dlq`])
        .catch((error) => errors.push(error));
      // Made by the first program that opened the suppression list (absent if none started).
      await deleteTopics({ brokers: this.services.brokers }, [`${this.topic}.suppressions`])
        .catch(() => {});
    }
    if (this.#s3Prefix !== undefined) {
      const objects = testS3Store(this.services.s3, this.#s3Prefix);
      try {
        for (const object of await objects.list("")) await objects.delete(object.key);
      } catch (error) {
        errors.push(error);
      } finally {
        await objects.close();
      }
    }
    if (this.#failed) {
      console.log(`[faults] run ${this.id} failed: logs and ledger kept in ${this.workDir}`);
      for (const name of this.supervisor.names) {
        console.log(`--- last lines of ${name}:\n${await this.supervisor.tail(name, 15)}`);
      }
    } else {
      await Deno.remove(this.workDir, { recursive: true });
    }
    if (errors.length > 0) throw new AggregateError(errors, "fault run cleanup failed");
  }
}
