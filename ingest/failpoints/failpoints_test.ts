import assert from "node:assert/strict";
import { createFailpoints, parseFailpoints } from "./failpoints.ts";

Deno.test("parses rules with every trigger form", () => {
  const rules = parseFailpoints(
    " delta.after-commit-before-offset-commit=kill@3 ; local-log.mid-append=kill~0.25," +
      "timescale.after-insert-before-offset-commit=kill@2+",
  );
  assert.deepEqual(rules.get("delta.after-commit-before-offset-commit"), {
    name: "delta.after-commit-before-offset-commit",
    action: "kill",
    trigger: { kind: "nth", n: 3, andAfter: false },
  });
  assert.deepEqual(rules.get("local-log.mid-append")?.trigger, { kind: "probability", p: 0.25 });
  assert.deepEqual(rules.get("timescale.after-insert-before-offset-commit")?.trigger, {
    kind: "nth",
    n: 2,
    andAfter: true,
  });
  assert.deepEqual(parseFailpoints("local-log.mid-append=kill").get("local-log.mid-append"), {
    name: "local-log.mid-append",
    action: "kill",
    trigger: { kind: "nth", n: 1, andAfter: false },
  });
  assert.equal(parseFailpoints("").size, 0);
});

Deno.test("refuses unknown names, bad triggers and duplicates, naming the variable", () => {
  assert.throws(() => parseFailpoints("sink.nowhere=kill"), /FAILPOINTS: unknown failpoint/);
  assert.throws(() => parseFailpoints("local-log.mid-append=explode"), /FAILPOINTS: cannot parse/);
  assert.throws(() => parseFailpoints("local-log.mid-append=kill@0"), /must be >= 1/);
  assert.throws(() => parseFailpoints("local-log.mid-append=kill~1.5"), /\(0, 1\]/);
  assert.throws(() => parseFailpoints("local-log.mid-append=kill~0"), /\(0, 1\]/);
  assert.throws(
    () => parseFailpoints("local-log.mid-append=kill;local-log.mid-append=off"),
    /configured twice/,
  );
});

Deno.test("kill@N fires on the N-th hit only; @N+ on every hit from N", () => {
  const fired: string[] = [];
  const points = createFailpoints({
    spec: "delta.after-commit-before-offset-commit=kill@3;local-log.mid-append=kill@2+",
    kill: () => fired.push("kill"),
  });
  assert.equal(points.active, true);
  const delta = [1, 2, 3, 4, 5].map(() => points.hit("delta.after-commit-before-offset-commit"));
  assert.deepEqual(delta, [false, false, true, false, false]);
  const log = [1, 2, 3].map(() => points.hit("local-log.mid-append"));
  assert.deepEqual(log, [false, true, true]);
  assert.equal(points.hits("delta.after-commit-before-offset-commit"), 5);
  assert.equal(points.hit("timescale.after-insert-before-offset-commit"), false);
  assert.equal(points.hits("timescale.after-insert-before-offset-commit"), 0);
  assert.equal(fired.length, 3);
});

Deno.test("kill~P fires when the random draw is below P; off never fires", () => {
  const draws = [0.9, 0.1, 0.5, 0.49];
  let fired = 0;
  const points = createFailpoints({
    spec: "local-log.mid-append=kill~0.5;delta.after-commit-before-offset-commit=off",
    kill: () => fired++,
    random: () => draws.shift()!,
  });
  const hits = [1, 2, 3, 4].map(() => points.hit("local-log.mid-append"));
  assert.deepEqual(hits, [false, true, false, true]);
  assert.equal(points.hit("delta.after-commit-before-offset-commit"), false);
  assert.equal(fired, 2);
});

Deno.test("a firing failpoint appends a line to the hits file before its action", async () => {
  const dir = await Deno.makeTempDir();
  const hitsFile = `${dir}/hits.log`;
  let linesAtKill = -1;
  const points = createFailpoints({
    spec: "timescale.after-insert-before-offset-commit=kill@1+",
    hitsFile,
    kill: () => linesAtKill = Deno.readTextFileSync(hitsFile).trim().split("\n").length,
  });
  points.hit("timescale.after-insert-before-offset-commit");
  assert.equal(linesAtKill, 1);
  points.hit("timescale.after-insert-before-offset-commit");
  const lines = (await Deno.readTextFile(hitsFile)).trim().split("\n");
  assert.deepEqual(lines, [
    `timescale.after-insert-before-offset-commit ${Deno.pid} 1`,
    `timescale.after-insert-before-offset-commit ${Deno.pid} 2`,
  ]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("unset spec: inactive, nothing counted", () => {
  const points = createFailpoints({ kill: () => assert.fail("must not kill") });
  assert.equal(points.active, false);
  assert.equal(points.hit("local-log.mid-append"), false);
});

Deno.test("the default action really SIGKILLs the process", async () => {
  const script = new URL("./failpoints.ts", import.meta.url).href;
  const code = `import { failpoint } from "${script}";
failpoint("local-log.mid-append");
console.log("survived the first hit");
failpoint("local-log.mid-append");
console.log("survived the second hit");`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    env: { FAILPOINTS: "local-log.mid-append=kill@2" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.signal, "SIGKILL");
  assert.equal(new TextDecoder().decode(out.stdout), "survived the first hit\n");
});
