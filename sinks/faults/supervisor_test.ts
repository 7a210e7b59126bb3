import assert from "node:assert/strict";
import { freePort } from "../../ingest/testdata/free_port.ts";
import { Supervisor } from "./supervisor.ts";

function alive(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

function pidsIn(log: string): number[] {
  return [...log.matchAll(/pid (\d+) start/g)].map((m) => Number(m[1]));
}

Deno.test("supervisor: waits for ready, restarts after SIGKILL, stops all without orphans", async () => {
  const workDir = await Deno.makeTempDir({ prefix: "supervisor-" });
  const supervisor = new Supervisor({ workDir, stopGraceMs: 5_000 });
  const port = freePort();
  try {
    await supervisor.start({
      name: "stand-in",
      script: "sinks/faults/testdata/ready_server.ts",
      env: { READY_PORT: String(port) },
      envForStart: (start) => ({ START: String(start) }),
      readyUrl: `http://127.0.0.1:${port}/ready`,
    });
    assert.equal(await (await fetch(`http://127.0.0.1:${port}/`)).text(), "ready");
    supervisor.kill("stand-in");
    // The next incarnation: the kill was requested, so it is not counted as a failpoint exit.
    while (supervisor.starts("stand-in") < 2) await new Promise((r) => setTimeout(r, 50));
    await supervisor.waitReady("stand-in");
    assert.equal(supervisor.unrequestedKills(), 0);
    assert.deepEqual(supervisor.exits.map((e) => [e.signal, e.requested]), [["SIGKILL", true]]);
    const log = await supervisor.tail("stand-in", 100);
    assert.match(log, /start 1\n/);
    const pids = pidsIn(log);
    assert.equal(pids.length, 2);
    assert.equal(alive(pids[0]), false);
    assert.equal(alive(pids[1]), true);
  } finally {
    await supervisor.stopAll();
  }
  const pids = pidsIn(await Deno.readTextFile(`${workDir}/stand-in.log`));
  assert.ok(pids.every((pid) => !alive(pid)), "no process left behind");
  assert.equal(supervisor.exits.at(-1)?.signal, null, "stopped by SIGTERM, exited cleanly");
  await Deno.remove(workDir, { recursive: true });
});

Deno.test("supervisor: an unrequested SIGKILL exit is counted and restarted", async () => {
  const workDir = await Deno.makeTempDir({ prefix: "supervisor-" });
  const supervisor = new Supervisor({ workDir, stopGraceMs: 5_000 });
  const port = freePort();
  try {
    await supervisor.start({
      name: "victim",
      script: "sinks/faults/testdata/ready_server.ts",
      env: { READY_PORT: String(port) },
      readyUrl: `http://127.0.0.1:${port}/ready`,
    });
    const [pid] = pidsIn(await supervisor.tail("victim", 100));
    Deno.kill(pid, "SIGKILL"); // as a failpoint would, from inside
    while (supervisor.starts("victim") < 2) await new Promise((r) => setTimeout(r, 50));
    await supervisor.waitReady("victim");
    assert.equal(supervisor.unrequestedKills("victim"), 1);
  } finally {
    await supervisor.stopAll();
  }
  await Deno.remove(workDir, { recursive: true });
});

Deno.test("supervisor: a start that runs but never answers /ready fails instead of hanging", async () => {
  const workDir = await Deno.makeTempDir({ prefix: "supervisor-" });
  const supervisor = new Supervisor({ workDir, stopGraceMs: 5_000, readyTimeoutMs: 1_500 });
  try {
    await assert.rejects(
      supervisor.start({
        name: "mute",
        script: "sinks/faults/testdata/ready_server.ts",
        env: { READY_PORT: String(freePort()) },
        // Nothing answers here: the program runs, but is never ready.
        readyUrl: `http://127.0.0.1:${freePort()}/ready`,
      }),
      /mute not ready at .* after 1500 ms/,
    );
  } finally {
    await supervisor.stopAll();
  }
  for (const pid of pidsIn(await Deno.readTextFile(`${workDir}/mute.log`))) {
    assert.ok(!alive(pid), `pid ${pid} stopped`);
  }
  await Deno.remove(workDir, { recursive: true });
});
