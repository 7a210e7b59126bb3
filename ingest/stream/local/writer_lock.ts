/**
 * The single-writer guard of a log folder: an exclusive `flock` on `<dir>/writer.lock`, which
 * also holds the owner's pid for the error message. The kernel releases the lock when its
 * process dies, so a lock left by a killed writer is taken over without any pid guessing.
 */
import { join } from "node:path";

/** A held writer lock; `release` gives it up. */
export interface WriterLock {
  release(): void;
}

/** Takes the writer lock of `dir`, or throws naming the pid that holds it. */
export async function acquireWriterLock(dir: string): Promise<WriterLock> {
  const path = join(dir, "writer.lock");
  const handle = await Deno.open(path, { read: true, write: true, create: true });
  let locked = false;
  try {
    locked = await handle.tryLock(true);
  } catch (error) {
    handle.close();
    throw error;
  }
  if (!locked) {
    handle.close();
    const owner = (await Deno.readTextFile(path).catch(() => "")).trim() || "unknown";
    throw new Error(
      `the local log at ${dir} is already open for writing by pid ${owner}; ` +
        `stop that process or give this one another log folder`,
    );
  }
  await handle.truncate(0);
  await handle.write(new TextEncoder().encode(`${Deno.pid}\n`));
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      handle.close();
    },
  };
}
