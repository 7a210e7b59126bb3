/**
 * Named failpoints: places in the programs where a fault test can make the process die at the
 * worst moment. They are compiled in and activated by the environment, read once:
 *
 * ```
 * FAILPOINTS="timescale.after-insert-before-offset-commit=kill@3;local-log.mid-append=kill~0.05"
 * FAILPOINTS_HITS_FILE=/tmp/run/hits.log   # optional: one line per triggered failpoint
 * ```
 *
 * A rule is `name=action[trigger]`, rules separated by `;` (or `,`). The action is `kill`
 * (SIGKILL the own process: no finally blocks, no flush, like a crash) or `off`. The trigger is
 * `@N` (the N-th hit in this process), `@N+` (every hit from the N-th on), `~P` (each hit with
 * probability P in (0, 1]) or nothing (the first hit). With FAILPOINTS unset, `failpoint()` is a
 * lookup in an empty map, and `failpointsActive()` lets hot paths skip any extra work.
 *
 * @module
 */

/** The failpoints compiled into the programs. */
export const FAILPOINT_NAMES = [
  "delta.after-commit-before-offset-commit",
  "timescale.after-insert-before-offset-commit",
  "local-log.mid-append",
  "ingest.after-publish-before-answer",
] as const;

/** A failpoint's name. */
export type FailpointName = typeof FAILPOINT_NAMES[number];

/** When a rule fires. */
export type FailpointTrigger =
  | { kind: "nth"; n: number; andAfter: boolean }
  | { kind: "probability"; p: number };

/** One parsed rule of FAILPOINTS. */
export interface FailpointRule {
  name: FailpointName;
  action: "kill" | "off";
  trigger: FailpointTrigger;
}

/** Parses a FAILPOINTS value; throws an Error naming the variable and the bad rule. */
export function parseFailpoints(spec: string): Map<FailpointName, FailpointRule> {
  const rules = new Map<FailpointName, FailpointRule>();
  for (const raw of spec.split(/[;,]/)) {
    const text = raw.trim();
    if (text === "") continue;
    const match = /^([a-z0-9.-]+)=(kill|off)(?:@(\d+)(\+)?|~([0-9.]+))?$/.exec(text);
    if (!match) {
      throw new Error(
        `FAILPOINTS: cannot parse "${text}" (expected name=kill, name=kill@N, name=kill@N+ or ` +
          `name=kill~P)`,
      );
    }
    const [, name, action, nth, andAfter, probability] = match;
    if (!(FAILPOINT_NAMES as readonly string[]).includes(name)) {
      throw new Error(
        `FAILPOINTS: unknown failpoint "${name}" (known: ${FAILPOINT_NAMES.join(", ")})`,
      );
    }
    let trigger: FailpointTrigger = { kind: "nth", n: 1, andAfter: false };
    if (nth !== undefined) {
      const n = Number(nth);
      if (!Number.isSafeInteger(n) || n < 1) {
        throw new Error(`FAILPOINTS: "${text}": the hit number must be >= 1`);
      }
      trigger = { kind: "nth", n, andAfter: andAfter === "+" };
    } else if (probability !== undefined) {
      const p = Number(probability);
      if (!(p > 0 && p <= 1)) {
        throw new Error(`FAILPOINTS: "${text}": the probability must be in (0, 1]`);
      }
      trigger = { kind: "probability", p };
    }
    if (rules.has(name as FailpointName)) {
      throw new Error(`FAILPOINTS: failpoint "${name}" is configured twice`);
    }
    rules.set(
      name as FailpointName,
      { name: name as FailpointName, action, trigger } as FailpointRule,
    );
  }
  return rules;
}

/** Options of `createFailpoints`. */
export interface FailpointsOptions {
  /** The FAILPOINTS value (unset or empty: no failpoint is active). */
  spec?: string;
  /** File to append `<name> <pid> <hit>` to, synchronously, before the action runs. */
  hitsFile?: string;
  /** What `kill` does. Default: SIGKILL the own process. */
  kill?: () => void;
  /** Random source for `~P` triggers. Default Math.random. */
  random?: () => number;
}

/** A set of configured failpoints with their hit counters. */
export interface Failpoints {
  /** True when at least one rule is configured (lets callers skip extra work otherwise). */
  readonly active: boolean;
  /** Counts a hit of `name` and runs its action when the trigger says so; true when it fired. */
  hit(name: FailpointName): boolean;
  /** Hits of `name` so far in this process. */
  hits(name: FailpointName): number;
}

/** Makes failpoints from a spec (see the module documentation). */
export function createFailpoints(options: FailpointsOptions = {}): Failpoints {
  const rules = parseFailpoints(options.spec ?? "");
  const counts = new Map<FailpointName, number>();
  const kill = options.kill ?? (() => Deno.kill(Deno.pid, "SIGKILL"));
  const random = options.random ?? Math.random;
  return {
    active: rules.size > 0,
    hits: (name) => counts.get(name) ?? 0,
    hit(name) {
      const rule = rules.get(name);
      if (rule === undefined) return false;
      const count = (counts.get(name) ?? 0) + 1;
      counts.set(name, count);
      if (rule.action === "off" || !fires(rule.trigger, count, random)) return false;
      if (options.hitsFile) {
        Deno.writeTextFileSync(options.hitsFile, `${name} ${Deno.pid} ${count}\n`, {
          append: true,
          create: true,
        });
      }
      kill();
      return true;
    },
  };
}

function fires(trigger: FailpointTrigger, count: number, random: () => number): boolean {
  if (trigger.kind === "probability") return random() < trigger.p;
  return trigger.andAfter ? count >= trigger.n : count === trigger.n;
}

let processFailpoints: Failpoints | undefined;

/** The process's failpoints, from FAILPOINTS and FAILPOINTS_HITS_FILE, read on first use. */
export function processWideFailpoints(): Failpoints {
  processFailpoints ??= createFailpoints({
    spec: readEnv("FAILPOINTS"),
    hitsFile: readEnv("FAILPOINTS_HITS_FILE") || undefined,
  });
  return processFailpoints;
}

/** An environment variable, or undefined when unset or not readable (no env permission). */
function readEnv(name: string): string | undefined {
  if (Deno.permissions.querySync({ name: "env", variable: name }).state !== "granted") {
    return undefined;
  }
  return Deno.env.get(name);
}

/** Hits the named failpoint of this process (SIGKILLs it when its rule says so). */
export function failpoint(name: FailpointName): void {
  processWideFailpoints().hit(name);
}

/** True when FAILPOINTS configures at least one rule in this process. */
export function failpointsActive(): boolean {
  return processWideFailpoints().active;
}
