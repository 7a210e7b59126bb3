/**
 * The real broker the Kafka integration tests use: `KAFKA_BROKERS` (default 127.0.0.1:9092),
 * started by `bash deploy/up.sh kafka`. Unreachable under `CI=true` → the tests fail; otherwise
 * they are ignored with a message saying how to start the broker.
 */
import { fileURLToPath } from "node:url";

/** Bootstrap brokers of the test broker. */
export const testBrokers = (Deno.env.get("KAFKA_BROKERS") ?? "127.0.0.1:9092").split(",");

/** The repository's deploy folder (for stopping and starting the broker in outage tests). */
export const deployDir = fileURLToPath(new URL("../../../deploy/", import.meta.url));

const inCi = Deno.env.get("CI") === "true";

/** True when something accepts connections at the first broker address. */
export async function brokerReachable(): Promise<boolean> {
  const [host, port] = testBrokers[0].split(":");
  try {
    const conn = await Deno.connect({ hostname: host, port: Number(port) });
    conn.close();
    return true;
  } catch {
    return false;
  }
}

const reachable = await brokerReachable();
if (!reachable && !inCi) {
  console.warn(
    `Kafka integration tests ignored: no broker at ${testBrokers[0]}. ` +
      "Start one with `bash deploy/up.sh kafka` (or set KAFKA_BROKERS).",
  );
}

/** Registers a test that needs the broker: ignored without one, failing without one in CI. */
export function kafkaTest(
  name: string,
  fn: (t: Deno.TestContext) => Promise<void>,
  options: { sanitizeOps?: boolean; sanitizeResources?: boolean } = {},
): void {
  Deno.test({
    name,
    ignore: !reachable && !inCi,
    ...options,
    async fn(t) {
      if (!reachable) {
        throw new Error(`CI=true and no Kafka broker at ${testBrokers[0]} (run deploy/up.sh)`);
      }
      await fn(t);
    },
  });
}

/** A topic name no other test uses. */
export function uniqueTopic(purpose: string): string {
  return `test.${purpose}.${Date.now()}.${crypto.randomUUID().slice(0, 8)}`;
}

/** Runs a deploy script (e.g. `kafka/stop.sh`) and fails with its output when it fails. */
export async function runDeployScript(script: string, ...args: string[]): Promise<void> {
  const result = await new Deno.Command("bash", {
    args: [`${deployDir}${script}`, ...args],
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
