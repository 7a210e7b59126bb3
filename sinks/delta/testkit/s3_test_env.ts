import { S3ObjectStore } from "../storage/s3_object_store.ts";

/** The S3 server of deploy/s3 (or S3_ENDPOINT …), for integration tests. */
export interface TestS3 {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Environment for delta_read.py. */
  env: Record<string, string>;
}

/** The test S3 server's settings, from the environment or deploy/s3's defaults. */
export function testS3(): TestS3 {
  const endpoint = Deno.env.get("S3_ENDPOINT") ?? "http://127.0.0.1:9000";
  const bucket = Deno.env.get("S3_BUCKET") ?? "analytics";
  const region = Deno.env.get("S3_REGION") ?? "us-east-1";
  const accessKeyId = Deno.env.get("AWS_ACCESS_KEY_ID") ?? "analytics-test";
  const secretAccessKey = Deno.env.get("AWS_SECRET_ACCESS_KEY") ?? "analytics-test-secret";
  return {
    endpoint,
    bucket,
    region,
    accessKeyId,
    secretAccessKey,
    env: {
      S3_ENDPOINT: endpoint,
      S3_REGION: region,
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: secretAccessKey,
    },
  };
}

/** A store for a fresh table under a random prefix of the test bucket. */
export function testS3Store(s3: TestS3, prefix = `test/${crypto.randomUUID()}`): S3ObjectStore {
  return new S3ObjectStore({ ...s3, prefix });
}

/**
 * True when the server answers; false (with a warning) when it does not, outside CI. Under
 * CI=true a missing server is an error, never a skip.
 */
export async function s3Available(s3: TestS3): Promise<boolean> {
  try {
    const response = await fetch(s3.endpoint, { signal: AbortSignal.timeout(3000) });
    await response.body?.cancel();
    return true;
  } catch (error) {
    if (Deno.env.get("CI") === "true") {
      throw new Error(`S3 server not reachable at ${s3.endpoint}: run bash deploy/up.sh s3`, {
        cause: error,
      });
    }
    console.warn(`SKIPPING: S3 server not reachable at ${s3.endpoint} (bash deploy/up.sh s3)`);
    return false;
  }
}
