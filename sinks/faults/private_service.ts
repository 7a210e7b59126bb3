/**
 * A fault test's own instance of a deploy/ service (Kafka broker, PostgreSQL cluster, S3 server),
 * started and stopped with the same deploy/<service>/*.sh scripts as the shared ones but on free
 * ports and in folders of its own, so a test may stop, crash and restart it while other suites
 * keep using the shared services (`KAFKA_RUN_DIR`, `S3_RUN_DIR`, `POSTGRES_CLUSTER`, the port
 * variables). `dispose()` stops it and removes what it made (the PostgreSQL cluster is dropped).
 *
 * @module
 */
import { join } from "node:path";
import type { TestS3 } from "../delta/testkit/s3_test_env.ts";
import { freePort } from "../../ingest/testdata/free_port.ts";
import { REPO_ROOT } from "./supervisor.ts";

/** Which deploy/ service. */
export type PrivateServiceKind = "kafka" | "postgres" | "s3";

const POSTGRES_VERSION = "15";

/** A private instance of a deploy/ service. */
export class PrivateService {
  private constructor(
    readonly kind: PrivateServiceKind,
    /** Variables the deploy scripts read (run folder, ports, cluster name). */
    readonly deployEnv: Record<string, string>,
    /** The TCP ports it listens on (waited on to close after a stop). */
    readonly ports: number[],
    /** Folder of its state (Kafka, S3); removed at dispose. */
    readonly runDir: string | undefined,
  ) {}

  /** Starts a fresh instance of `kind` (installing nothing the shared one did not need). */
  static async start(kind: PrivateServiceKind): Promise<PrivateService> {
    const id = `${Date.now().toString(36)}${crypto.randomUUID().slice(0, 4)}`;
    let service: PrivateService;
    if (kind === "kafka") {
      const runDir = await Deno.makeTempDir({ prefix: "faults-kafka-" });
      const [broker, controller] = [freePort(), freePort()];
      service = new PrivateService(
        kind,
        {
          KAFKA_RUN_DIR: runDir,
          KAFKA_BROKER_PORT: String(broker),
          KAFKA_CONTROLLER_PORT: String(controller),
          KAFKA_HEAP_OPTS: "-Xms128m -Xmx384m",
          // A restart under load on a busy 2-core box has taken over 120 s (start.sh's default).
          KAFKA_START_TIMEOUT_S: "300",
        },
        [broker, controller],
        runDir,
      );
    } else if (kind === "s3") {
      const runDir = await Deno.makeTempDir({ prefix: "faults-s3-" });
      const port = freePort();
      service = new PrivateService(
        kind,
        {
          S3_RUN_DIR: runDir,
          S3_PORT: String(port),
          S3_HEAP_OPTS: "-Xms32m -Xmx256m",
          S3_START_TIMEOUT_S: "180",
        },
        [port],
        runDir,
      );
    } else {
      const port = freePort();
      service = new PrivateService(
        kind,
        {
          POSTGRES_VERSION,
          POSTGRES_CLUSTER: `faults_${id}`,
          POSTGRES_PORT: String(port),
        },
        [port],
        undefined,
      );
    }
    try {
      await service.startAgain();
    } catch (error) {
      await service.dispose().catch(() => {});
      throw error;
    }
    return service;
  }

  /** Kafka: the bootstrap address. */
  get brokers(): string[] {
    return [`127.0.0.1:${this.deployEnv.KAFKA_BROKER_PORT}`];
  }

  /** PostgreSQL: the URL of the `analytics` database (start.sh made role and database). */
  get databaseUrl(): string {
    return `postgres://analytics:analytics@127.0.0.1:${this.deployEnv.POSTGRES_PORT}/analytics`;
  }

  /** S3: the server's settings, with deploy/s3's key pair and bucket. */
  get s3(): TestS3 {
    const endpoint = `http://127.0.0.1:${this.deployEnv.S3_PORT}`;
    const accessKeyId = "analytics-test";
    const secretAccessKey = "analytics-test-secret";
    const region = "us-east-1";
    return {
      endpoint,
      bucket: "analytics",
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

  /** Stops it (`kill`: SIGKILL / immediate shutdown, as a crash) and waits until its ports close. */
  async stop(options: { kill?: boolean } = {}): Promise<void> {
    await this.#script("stop.sh", ...(options.kill ? ["--kill"] : []));
    // stop.sh returns once the process is gone from /proc's view; its sockets may close a moment
    // later (a killed JVM tears down its memory before its files).
    const deadline = Date.now() + 15_000;
    while (await anyOpen(this.ports)) {
      if (Date.now() > deadline) {
        throw new Error(`${this.kind}: ports ${this.ports} still open after stop`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Starts it again on the same ports and data (start.sh waits until it answers). */
  async startAgain(): Promise<void> {
    await this.#script("start.sh");
  }

  /** Stops it and removes its data (folder, or the PostgreSQL cluster). */
  async dispose(): Promise<void> {
    if (this.kind === "postgres") {
      await run("pg_dropcluster", ["--stop", POSTGRES_VERSION, this.deployEnv.POSTGRES_CLUSTER]);
    } else {
      // Also after a failed start: stop.sh finds the process by its pid file, or reports none.
      await this.stop({ kill: true });
      await Deno.remove(this.runDir!, { recursive: true }).catch(() => {});
    }
  }

  #script(script: string, ...args: string[]): Promise<string> {
    return run("bash", [join(REPO_ROOT, "deploy", this.kind, script), ...args], this.deployEnv);
  }
}

async function anyOpen(ports: number[]): Promise<boolean> {
  for (const port of ports) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return true;
    } catch { /* closed */ }
  }
  return false;
}

/** Runs a command with extra environment; returns stdout, throws with both outputs on failure. */
async function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const result = await new Deno.Command(cmd, { args, env, stdout: "piped", stderr: "piped" })
    .output();
  const decoder = new TextDecoder();
  if (!result.success) {
    throw new Error(
      `${cmd} ${args.join(" ")} failed:\n${decoder.decode(result.stdout)}` +
        decoder.decode(result.stderr),
    );
  }
  return decoder.decode(result.stdout);
}
