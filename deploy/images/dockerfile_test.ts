import { deepEqual, equal, ok } from "node:assert/strict";
import { parseDockerfile, readDockerfile } from "./dockerfile.ts";
import { ENTRY_POINTS } from "../program_env.ts";

const root = new URL("../../", import.meta.url);
const denoJson = JSON.parse(await Deno.readTextFile(new URL("deno.json", root)));
const packageJson = JSON.parse(await Deno.readTextFile(new URL("package.json", root)));
const images = {
  "ingest.Dockerfile": ["ingest"],
  "sinks.Dockerfile": ["sink-timescale", "sink-delta"],
} as const;

/** True when `path` exists in the repository. */
async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(new URL(path, root));
    return true;
  } catch {
    return false;
  }
}

Deno.test("parseDockerfile joins continuations and skips COPY --from", () => {
  const parsed = parseDockerfile(
    "FROM a:1 AS b\nCOPY --from=b /x ./x\nCOPY p q ./\nRUN one \\\n  two\nUSER deno\n" +
      'ENTRYPOINT ["deno", "run"]\nCMD ["main.ts"]\n',
  );
  deepEqual(parsed, {
    from: ["a:1"],
    copied: ["p", "q"],
    copies: [{ sources: ["p", "q"], dest: "./" }],
    runs: ["one two"],
    user: "deno",
    entrypoint: ["deno", "run"],
    cmd: ["main.ts"],
  });
});

for (const [file, programs] of Object.entries(images)) {
  Deno.test(`${file}: pinned bases, Deno of package.json, non-root`, async () => {
    const image = await readDockerfile(file);
    for (const base of image.from) {
      ok(/:[^:]*\d[^:]*$/.test(base) && !base.endsWith(":latest"), `${base} is not pinned`);
    }
    equal(image.from.at(-1), `denoland/deno:debian-${packageJson.devDependencies.deno}`);
    equal(image.user, "deno");
  });

  Deno.test(`${file}: copies what exists, every workspace member's deno.json, and caches`, async () => {
    const image = await readDockerfile(file);
    for (const source of image.copied) ok(await exists(source), `${file}: COPY ${source} missing`);
    // Paths in the image mirror the repository's (image_layout.ts rebuilds the image from this).
    for (const { sources, dest } of image.copies) {
      ok(dest === "./" || (sources.length === 1 && dest === `./${sources[0]}`), `${file}: ${dest}`);
    }
    for (const member of denoJson.workspace as string[]) {
      const dir = member.replace(/^\.\//, "");
      ok(
        image.copied.includes(dir) || image.copied.includes(`${dir}/deno.json`),
        `${file} does not copy workspace member ${dir} (deno refuses to start without it)`,
      );
    }
    const cache = image.runs.find((run) => run.startsWith("deno cache"));
    ok(cache, `${file} does not deno cache`);
    for (const program of programs) {
      ok(cache.includes(ENTRY_POINTS[program]), `${file} does not cache ${ENTRY_POINTS[program]}`);
      ok(
        image.copied.some((source) => ENTRY_POINTS[program].startsWith(`${source}/`)),
        `${file} does not copy ${ENTRY_POINTS[program]}`,
      );
    }
    ok(cache.includes("deploy/images/healthcheck.ts"));
  });

  Deno.test(`${file}: exec-form deno run with explicit permissions and a program`, async () => {
    const image = await readDockerfile(file);
    deepEqual(image.entrypoint.slice(0, 2), ["deno", "run"]);
    ok(!image.entrypoint.includes("-A") && !image.entrypoint.includes("--allow-all"));
    equal(image.entrypoint.includes("--allow-ffi"), file === "sinks.Dockerfile");
    deepEqual(image.cmd, [ENTRY_POINTS[programs[0]]]);
  });
}

Deno.test("ingest.Dockerfile caps the heap as the benchmarks run the ingest", async () => {
  const { INGEST_DENO_V8_FLAGS } = await import("../../bench/spawn_ingest.ts");
  const text = await Deno.readTextFile(new URL("deploy/images/ingest.Dockerfile", root));
  ok(
    text.includes(`DENO_V8_FLAGS=${INGEST_DENO_V8_FLAGS} `),
    `ingest.Dockerfile sets DENO_V8_FLAGS=${INGEST_DENO_V8_FLAGS}`,
  );
});
