import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

/** Every module `entry` loads (from `deno info --json`). */
async function moduleGraph(entry: string): Promise<string[]> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", fileURLToPath(new URL(entry, import.meta.url))],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(output.success, new TextDecoder().decode(output.stderr));
  const info = JSON.parse(new TextDecoder().decode(output.stdout));
  return [
    ...info.modules.map((m: { specifier: string }) => m.specifier),
    ...Object.keys(info.npmPackages ?? {}),
  ];
}

Deno.test("the core's main entry point loads no Node module; the gRPC entry point does", async () => {
  const main = await moduleGraph("./mod.ts");
  const nodeOnly = main.filter((s) => s.startsWith("node:") || s.includes("connect-node"));
  assert.deepEqual(nodeOnly, [], "a browser bundle of @analytics/client-core would pull these");
  assert.ok(main.some((s) => s.includes("connect-web")), "sanity: the graph lists npm packages");
  const grpc = await moduleGraph("./grpc.ts");
  assert.ok(grpc.some((s) => s.includes("connect-node")));
});
