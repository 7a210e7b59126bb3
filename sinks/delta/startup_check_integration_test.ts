import assert from "node:assert/strict";
import { UnsafeStoreError, verifyAtomicCreate } from "./startup_check.ts";
import { LocalObjectStore } from "./storage/local_object_store.ts";
import { s3Available, testS3, testS3Store } from "./testkit/s3_test_env.ts";

/** A local store whose "create if absent" overwrites, as an S3 server ignoring If-None-Match does. */
class OverwritingStore extends LocalObjectStore {
  override async putIfAbsent(key: string, body: Uint8Array): Promise<boolean> {
    await this.put(key, body);
    return true;
  }
}

Deno.test("startup check accepts the local disk (link-based exclusive create)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "delta-check-" });
  try {
    await verifyAtomicCreate(new LocalObjectStore(dir), { racers: 16, rounds: 5 });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("startup check refuses a store that overwrites on create", async () => {
  const dir = await Deno.makeTempDir({ prefix: "delta-check-" });
  try {
    await assert.rejects(
      verifyAtomicCreate(new OverwritingStore(dir)),
      (error: Error) =>
        error instanceof UnsafeStoreError && /second create of an existing key/.test(error.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("startup check accepts the S3 server of deploy/s3 (sequential and racing PUTs)", async () => {
  const s3 = testS3();
  if (!(await s3Available(s3))) return;
  const store = testS3Store(s3);
  try {
    await verifyAtomicCreate(store, { racers: 8, rounds: 10 });
    assert.deepEqual(await store.list("_delta_log/"), [], "probe keys are cleaned up");
  } finally {
    await store.close();
  }
});
