/**
 * The parts of our Dockerfiles the tests check (and the native start uses): base images, COPY
 * sources, the user, the exec-form ENTRYPOINT and CMD. Line continuations are joined first.
 *
 * @module
 */

/** One parsed Dockerfile. */
export interface Dockerfile {
  /** Images of the FROM lines, in order (the last is the runtime). */
  from: string[];
  /** Sources of COPY lines without --from (paths in the build context). */
  copied: string[];
  /** COPY lines without --from: their sources and destination. */
  copies: { sources: string[]; dest: string }[];
  /** Every RUN command. */
  runs: string[];
  /** The last USER. */
  user: string | undefined;
  /** Exec-form ENTRYPOINT words. */
  entrypoint: string[];
  /** Exec-form CMD words. */
  cmd: string[];
}

/** Parses the instructions the tests look at. */
export function parseDockerfile(text: string): Dockerfile {
  const lines = text.replace(/\s*\\\n\s*/g, " ").split("\n").map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const result: Dockerfile = {
    from: [],
    copied: [],
    copies: [],
    runs: [],
    user: undefined,
    entrypoint: [],
    cmd: [],
  };
  for (const line of lines) {
    const [instruction, ...rest] = line.split(/\s+/);
    const args = line.slice(instruction.length).trim();
    switch (instruction.toUpperCase()) {
      case "FROM":
        result.from.push(rest[0]);
        break;
      case "COPY":
        if (!rest.some((word) => word.startsWith("--from="))) {
          const words = rest.filter((word) => !word.startsWith("--"));
          result.copied.push(...words.slice(0, -1));
          result.copies.push({ sources: words.slice(0, -1), dest: words[words.length - 1] });
        }
        break;
      case "RUN":
        result.runs.push(args);
        break;
      case "USER":
        result.user = args;
        break;
      case "ENTRYPOINT":
        result.entrypoint = JSON.parse(args);
        break;
      case "CMD":
        result.cmd = JSON.parse(args);
        break;
    }
  }
  return result;
}

/** Reads and parses deploy/images/<name>. */
export async function readDockerfile(name: string): Promise<Dockerfile> {
  return parseDockerfile(await Deno.readTextFile(new URL(`./${name}`, import.meta.url)));
}
