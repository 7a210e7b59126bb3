import { fileURLToPath } from "node:url";
import { join } from "node:path";

/** What `deploy/python/delta_read.py` prints: the table as delta-rs sees it. */
export interface DeltaRsView {
  version: number;
  history: { version: number; operation: string; timestamp: number }[];
  row_count: number;
  distinct_event_ids: number;
  event_ids?: string[];
  transaction_versions: Record<string, number | null>;
  partitions: string[];
  columns: string[];
  files: number;
}

const REPO = fileURLToPath(new URL("../../../", import.meta.url));
const PYTHON = join(REPO, "deploy/.cache/python-venv/bin/python");
const SCRIPT = join(REPO, "deploy/python/delta_read.py");

/** True when the venv with delta-rs exists (made by deploy/python/install.sh). */
export function deltaRsAvailable(): boolean {
  try {
    Deno.statSync(PYTHON);
    return true;
  } catch {
    return false;
  }
}

/** Reads the table at `uri` (folder or s3://) with delta-rs; S3 settings come from `env`. */
export async function readWithDeltaRs(
  uri: string,
  options: { version?: number; ids?: boolean; appIds?: string[]; env?: Record<string, string> } =
    {},
): Promise<DeltaRsView> {
  const args = [SCRIPT, uri];
  if (options.version !== undefined) args.push("--version", String(options.version));
  if (options.ids) args.push("--ids");
  for (const id of options.appIds ?? []) args.push("--app-id", id);
  const out = await new Deno.Command(PYTHON, {
    args,
    env: options.env,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (!out.success) {
    throw new Error(`delta_read.py ${uri} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return JSON.parse(new TextDecoder().decode(out.stdout)) as DeltaRsView;
}
