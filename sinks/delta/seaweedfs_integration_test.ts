/**
 * The lake sink against SeaweedFS, the S3 server compose.yaml runs: its start-up check, racing
 * conditional PUTs of one `_delta_log` file, and two writers racing on one table read back by
 * delta-rs. SeaweedFS is opt-in here (`bash deploy/up.sh seaweedfs` builds it, many minutes cold):
 * these tests run when SEAWEEDFS_S3_ENDPOINT is set and are reported IGNORED otherwise, under
 * CI=true too (CI does not start SeaweedFS).
 *
 * @module
 */
import assert from "node:assert/strict";
import { PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { DeltaStore } from "./delta_store.ts";
import { commitVersionOf } from "./log/actions.ts";
import { verifyAtomicCreate } from "./startup_check.ts";
import { S3ObjectStore } from "./storage/s3_object_store.ts";
import { mergeBatches, sampleBatch } from "./testkit/events.ts";
import { deltaRsAvailable, readWithDeltaRs } from "./testkit/delta_reader.ts";
import { s3Available, type TestS3, testS3 } from "./testkit/s3_test_env.ts";

const endpoint = Deno.env.get("SEAWEEDFS_S3_ENDPOINT");
if (endpoint === undefined) {
  console.warn(
    "SeaweedFS tests IGNORED: SEAWEEDFS_S3_ENDPOINT is not set " +
      "(run bash deploy/up.sh seaweedfs and export the SEAWEEDFS_S3_ENDPOINT it prints)",
  );
}

/** deploy/seaweedfs's server: the deploy/s3 credentials and bucket names, its own endpoint. */
function seaweedfs(): TestS3 {
  const s3 = testS3();
  return { ...s3, endpoint: endpoint!, env: { ...s3.env, S3_ENDPOINT: endpoint! } };
}

/** Registers a test that needs SeaweedFS: ignored when it is not configured, failing when unreachable. */
function seaweedfsTest(name: string, fn: (s3: TestS3) => Promise<void>): void {
  Deno.test({
    name,
    ignore: endpoint === undefined,
    async fn() {
      const s3 = seaweedfs();
      // SEAWEEDFS_S3_ENDPOINT set means "test it": an unreachable server is a failure here.
      if (!(await s3Available(s3))) throw new Error(`SeaweedFS not reachable at ${s3.endpoint}`);
      await fn(s3);
    },
  });
}

function storeAt(s3: TestS3, prefix: string): S3ObjectStore {
  return new S3ObjectStore({ ...s3, prefix });
}

seaweedfsTest(
  "SeaweedFS passes the lake sink's start-up check (sequential and racing creates)",
  async (s3) => {
    const store = storeAt(s3, `seaweedfs-test/${crypto.randomUUID()}`);
    try {
      await verifyAtomicCreate(store, { racers: 8, rounds: 10 });
      assert.deepEqual(await store.list("_delta_log/"), [], "probe keys are cleaned up");
    } finally {
      await store.close();
    }
  },
);

seaweedfsTest(
  "SeaweedFS: racing If-None-Match PUTs of one _delta_log file, exactly one wins",
  async (s3) => {
    const prefix = `seaweedfs-test/${crypto.randomUUID()}`;
    const client = new S3Client({
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      maxAttempts: 1,
    });
    const store = storeAt(s3, prefix);
    /** One conditional PUT as the sink sends it; the HTTP status that came back. */
    const put = async (key: string, body: string): Promise<number> => {
      try {
        const out = await client.send(
          new PutObjectCommand({
            Bucket: s3.bucket,
            Key: `${prefix}/${key}`,
            Body: body,
            IfNoneMatch: "*",
          }),
        );
        return out.$metadata.httpStatusCode!;
      } catch (error) {
        if (error instanceof S3ServiceException) return error.$metadata.httpStatusCode!;
        throw error;
      }
    };
    const losers: number[] = [];
    try {
      // Sequential: the second create of an existing commit file is refused with 412.
      const first = "_delta_log/00000000000000000000.json";
      assert.equal(await put(first, "first"), 200);
      assert.equal(await put(first, "second"), 412);
      assert.equal(new TextDecoder().decode(await store.get(first)), "first");

      for (let version = 1; version <= 20; version++) {
        const key = `_delta_log/${String(version).padStart(20, "0")}.json`;
        const statuses = await Promise.all([put(key, "writer a"), put(key, "writer b")]);
        const winners = statuses.flatMap((
          status,
          i,
        ) => (status === 200 ? ["writer a", "writer b"][i] : []));
        assert.equal(winners.length, 1, `version ${version}: statuses ${statuses.join(", ")}`);
        const loser = statuses.find((status) => status !== 200)!;
        assert.ok(
          loser === 412 || loser === 409,
          `version ${version}: the loser got HTTP ${loser}`,
        );
        losers.push(loser);
        assert.equal(new TextDecoder().decode(await store.get(key)), winners[0]);
      }
      console.log(
        `SeaweedFS racing PUTs: 20 of 20 rounds had one winner; losers answered ` +
          `${losers.filter((s) => s === 412).length}x 412, ${
            losers.filter((s) => s === 409).length
          }x 409`,
      );
    } finally {
      for (const object of await store.list("")) await store.delete(object.key);
      await store.close();
      client.destroy();
    }
  },
);

/**
 * An S3 store whose first create of each of `gated` commit versions waits until every writer has
 * reached it (so both writers really try the same version), and which counts what each commit
 * file create returned.
 */
class GatedStore extends S3ObjectStore {
  readonly #gate: Gate;
  readonly #passed = new Set<number>();

  constructor(s3: TestS3, prefix: string, gate: Gate) {
    super({ ...s3, prefix });
    this.#gate = gate;
  }

  override async putIfAbsent(key: string, body: Uint8Array): Promise<boolean> {
    const version = commitVersionOf(key);
    if (version !== undefined && this.#gate.versions.has(version) && !this.#passed.has(version)) {
      this.#passed.add(version);
      await this.#gate.arrive(version);
    }
    const won = await super.putIfAbsent(key, body);
    if (version !== undefined) this.#gate.record(version, won);
    return won;
  }
}

/** Makes `writers` concurrent creates of each gated version meet before any is sent. */
class Gate {
  readonly #waiting = new Map<number, { count: number; open: PromiseWithResolvers<void> }>();
  /** Per commit version: creates won and refused, over all writers. */
  readonly outcomes = new Map<number, { won: number; refused: number }>();

  constructor(readonly versions: Set<number>, readonly writers: number) {}

  /** Resolves once all writers arrived at `version`; rejects after 60 s (a writer never came). */
  async arrive(version: number): Promise<void> {
    const entry = this.#waiting.get(version) ?? { count: 0, open: Promise.withResolvers<void>() };
    this.#waiting.set(version, entry);
    entry.count++;
    if (entry.count === this.writers) entry.open.resolve();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(`only ${entry.count} of ${this.writers} writers reached version ${version}`),
          ),
        60_000,
      );
    });
    try {
      await Promise.race([entry.open.promise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Counts one create's outcome. */
  record(version: number, won: boolean): void {
    const outcome = this.outcomes.get(version) ?? { won: 0, refused: 0 };
    outcome[won ? "won" : "refused"]++;
    this.outcomes.set(version, outcome);
  }
}

seaweedfsTest(
  "SeaweedFS: two lake writers racing on one table, delta-rs reads every row once",
  async (s3) => {
    if (!deltaRsAvailable()) {
      throw new Error(
        "the delta-rs venv is missing: bash deploy/python/install.sh",
      );
    }
    const prefix = `seaweedfs-test/${crypto.randomUUID()}`;
    // Version 0 (both create the table) and 1 (both commit their first batch) are forced races.
    const gate = new Gate(new Set([0, 1]), 2);
    const open = () =>
      DeltaStore.open({
        objects: new GatedStore(s3, prefix, gate),
        sinkName: "lake",
        checkpointInterval: 5,
      });
    const [a, b] = await Promise.all([open(), open()]);
    // Both were handed the same partition-0 batches (a rebalance redelivers them); b also owns 1.
    const shared = Array.from(
      { length: 5 },
      (_, i) => sampleBatch(30, { partition: 0, firstOffset: BigInt(i * 30) }),
    );
    const own = Array.from(
      { length: 5 },
      (_, i) => sampleBatch(25, { partition: 1, firstOffset: BigInt(i * 25), days: 1 }),
    );
    await Promise.all([
      (async () => {
        for (const batch of shared) await a.write(batch);
      })(),
      (async () => {
        for (let i = 0; i < 5; i++) await b.write(mergeBatches(shared[i], own[i]));
      })(),
    ]);
    await Promise.all([a.close(), b.close()]);

    for (const version of [0, 1]) {
      assert.deepEqual(
        gate.outcomes.get(version),
        { won: 1, refused: 1 },
        `forced race at version ${version}`,
      );
    }
    const refused = [...gate.outcomes.values()].reduce((sum, o) => sum + o.refused, 0);
    const committed = [...gate.outcomes.values()].reduce((sum, o) => sum + o.won, 0);
    console.log(
      `SeaweedFS two-writer race: ${committed} commits won, ${refused} commit creates refused`,
    );

    const ids = [...shared, ...own].flatMap((batch) => batch.records.map((r) => r.event.eventId));
    const view = await readWithDeltaRs(`s3://${s3.bucket}/${prefix}`, {
      ids: true,
      appIds: ["lake-0", "lake-1"],
      env: s3.env,
    });
    assert.equal(view.version, committed - 1, "every won create is a version delta-rs sees");
    assert.equal(view.row_count, ids.length);
    assert.equal(view.distinct_event_ids, ids.length);
    assert.deepEqual([...view.event_ids!].sort(), [...ids].sort());
    assert.deepEqual(view.transaction_versions, { "lake-0": 149, "lake-1": 124 });
  },
);
