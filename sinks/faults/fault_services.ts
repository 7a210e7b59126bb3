/**
 * The real services fault tests need (Kafka, PostgreSQL, the S3 server, the delta-rs venv), where
 * they are, and the rule for a missing one: under CI=true the test fails; elsewhere it is
 * reported as ignored with a warning naming what to start. Never a silent skip.
 *
 * @module
 */
import postgres from "postgres";
import { deltaRsAvailable } from "../delta/testkit/delta_reader.ts";
import { type TestS3, testS3 } from "../delta/testkit/s3_test_env.ts";
import { join } from "node:path";
import { REPO_ROOT } from "./supervisor.ts";

/** Where the services are (from the environment, defaulting to deploy/'s addresses). */
export interface FaultServices {
  brokers: string[];
  databaseUrl: string;
  s3: TestS3;
}

/** The services' addresses. */
export function faultServices(): FaultServices {
  return {
    brokers: (Deno.env.get("KAFKA_BROKERS") ?? "127.0.0.1:9092").split(","),
    databaseUrl: Deno.env.get("DATABASE_URL") ??
      "postgres://analytics:analytics@127.0.0.1:5432/analytics",
    s3: testS3(),
  };
}

async function tcpOpen(address: string): Promise<boolean> {
  const [hostname, port] = address.split(":");
  try {
    (await Deno.connect({ hostname, port: Number(port) })).close();
    return true;
  } catch {
    return false;
  }
}

/** Names the services that do not answer (empty when all do). */
export async function missingServices(services = faultServices()): Promise<string[]> {
  const missing: string[] = [];
  if (!(await tcpOpen(services.brokers[0]))) missing.push(`Kafka at ${services.brokers[0]}`);
  const sql = postgres(services.databaseUrl, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`SELECT 1`;
  } catch {
    missing.push(`PostgreSQL at ${services.databaseUrl.replace(/:[^:@/]*@/, ":***@")}`);
  } finally {
    await sql.end({ timeout: 1 });
  }
  try {
    const response = await fetch(services.s3.endpoint, { signal: AbortSignal.timeout(3000) });
    await response.body?.cancel();
  } catch {
    missing.push(`S3 at ${services.s3.endpoint}`);
  }
  if (!deltaRsAvailable()) missing.push("the delta-rs venv (deploy/python)");
  return missing;
}

const missingAtLoad = await missingServices();
const inCi = Deno.env.get("CI") === "true";
if (missingAtLoad.length > 0 && !inCi) {
  console.warn(
    `fault tests IGNORED: ${missingAtLoad.join(", ")} not reachable ` +
      "(run bash deploy/up.sh, or set CI=true to make this a failure)",
  );
}

/** Registers a fault test: failing under CI=true without its services, ignored (loudly) else. */
export function faultTest(name: string, fn: (t: Deno.TestContext) => Promise<void>): void {
  Deno.test({
    name,
    ignore: missingAtLoad.length > 0 && !inCi,
    async fn(t) {
      if (missingAtLoad.length > 0) {
        throw new Error(`CI=true and ${missingAtLoad.join(", ")} not reachable (deploy/up.sh)`);
      }
      await fn(t);
    },
  });
}

/** Runs `deploy/<script>` (e.g. `postgres/stop.sh`) with the test's environment; throws on failure. */
export async function runDeployScript(script: string, ...args: string[]): Promise<void> {
  const result = await new Deno.Command("bash", {
    args: [join(REPO_ROOT, "deploy", script), ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!result.success) {
    const decoder = new TextDecoder();
    throw new Error(
      `deploy/${script} failed:\n${decoder.decode(result.stdout)}${decoder.decode(result.stderr)}`,
    );
  }
}

/** True when FAULTS_FULL=1 asks for the longer run. */
export const FAULTS_FULL = Deno.env.get("FAULTS_FULL") === "1";
