/**
 * Summarises a V8 `.cpuprofile` (from `deno run --cpu-prof`): the functions with the most self
 * time and the packages (npm name, or this repository's folder) they belong to, as shares of the
 * sampled time.
 *
 * Usage: deno run -A bench/cpu_profile_summary.ts <file.cpuprofile> [--top 25]
 *
 * @module
 */

/** The parts of a V8 CPU profile this reads. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }[];
  samples: number[];
  timeDeltas: number[];
}

/** One row of the summary: a function or a package and its share of the sampled time. */
export interface ProfileRow {
  name: string;
  selfMs: number;
  share: number;
}

/** Self time by function and by package, highest first. */
export function summarizeProfile(
  profile: CpuProfile,
): { totalMs: number; functions: ProfileRow[]; packages: ProfileRow[] } {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const us = Math.max(0, profile.timeDeltas[i] ?? 0);
    totalUs += us;
    const frame = nodes.get(id);
    if (!frame) return;
    const fn = `${frame.functionName || "(anonymous)"} ${shortUrl(frame.url)}:${
      frame.lineNumber + 1
    }`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    const pkg = packageOf(frame.url, frame.functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  });
  const rows = (map: Map<string, number>) =>
    [...map].map(([name, us]) => ({ name, selfMs: us / 1000, share: us / Math.max(1, totalUs) }))
      .sort((a, b) => b.selfMs - a.selfMs);
  return { totalMs: totalUs / 1000, functions: rows(byFunction), packages: rows(byPackage) };
}

/** The npm package of a script URL, this repository's top folder, or what V8 calls the frame. */
export function packageOf(url: string, functionName = ""): string {
  const npm = /\/node_modules\/(?:\.deno\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url) ??
    /\/npm\/registry\.npmjs\.org\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (npm) return `npm:${npm[1]}`;
  const local = /\/work\/[^/]+\/([^/]+)\//.exec(url);
  if (local) return local[1];
  if (url.startsWith("ext:") || url.startsWith("node:")) return "deno runtime";
  return url === "" ? `(${functionName || "native"})` : url;
}

function shortUrl(url: string): string {
  return url.replace(/^.*\/node_modules\/(\.deno\/[^/]+\/node_modules\/)?/, "")
    .replace(/^file:\/\/\/work\/[^/]+\//, "");
}

if (import.meta.main) {
  const [file, ...rest] = Deno.args;
  if (!file) throw new Error("usage: cpu_profile_summary.ts <file.cpuprofile> [--top N]");
  const top = rest[0] === "--top" ? Number(rest[1]) : 25;
  const summary = summarizeProfile(JSON.parse(await Deno.readTextFile(file)));
  const line = (r: ProfileRow) =>
    `${(r.share * 100).toFixed(1).padStart(5)}%  ${r.selfMs.toFixed(0).padStart(7)} ms  ${r.name}`;
  console.log(`${file}: ${(summary.totalMs / 1000).toFixed(1)} s sampled\n\nby package:`);
  for (const r of summary.packages.slice(0, 15)) console.log(line(r));
  console.log(`\nby function (self time):`);
  for (const r of summary.functions.slice(0, top)) console.log(line(r));
}
