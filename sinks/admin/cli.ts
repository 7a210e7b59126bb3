/**
 * The admin command line, a client of AdminService (served by the hot sink; docs/privacy.md):
 *
 *   deno task admin delete-user <user-id>
 *   deno task admin list-suppressed [--limit N]
 *   deno task admin replay-dlq [--max N]
 *   deno task admin rebuild --store hot|lake --from <ISO time> --to <ISO time>
 *
 * ADMIN_URL is the hot sink's base URL (default http://127.0.0.1:3002; `deno task dev` serves it
 * on http://127.0.0.1:3001) and ADMIN_KEY an admin key. Prints the answer as JSON; exits 1 with
 * the RPC's code and message when it fails, 2 on a usage error.
 *
 * @module
 */
import { toJsonString } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import {
  AdminService,
  DeleteUserResponseSchema,
  ListSuppressedResponseSchema,
  RebuildRangeResponseSchema,
  RebuildStore,
  ReplayDeadLettersResponseSchema,
} from "@analytics/schema";

/** Counts of 0 are printed too: a report says "deleted 0", not nothing. */
const JSON_OPTIONS = { prettySpaces: 2, alwaysEmitImplicit: true };

/** A parsed command line. */
export type AdminCommand =
  | { name: "delete-user"; userId: string }
  | { name: "list-suppressed"; limit: number }
  | { name: "replay-dlq"; max: number }
  | { name: "rebuild"; store: RebuildStore; from: Date; to: Date };

/** The usage text. */
export const USAGE = `usage: deno task admin <command>
  delete-user <user-id>
  list-suppressed [--limit N]
  replay-dlq [--max N]
  rebuild --store hot|lake --from <ISO time> --to <ISO time>
environment: ADMIN_URL (default http://127.0.0.1:3002), ADMIN_KEY (an admin key)`;

/** Parses the arguments; throws a message naming the problem. */
export function parseAdminArgs(args: string[]): AdminCommand {
  const [name, ...rest] = args;
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    if (rest[i].startsWith("--")) {
      const value = rest[i + 1];
      if (value === undefined) throw new Error(`${rest[i]} needs a value`);
      flags.set(rest[i].slice(2), value);
      i++;
    } else {
      positional.push(rest[i]);
    }
  }
  const count = (flag: string) => {
    const text = flags.get(flag) ?? "0";
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0) {
      throw new Error(`--${flag}: expected a count, got "${text}"`);
    }
    return n;
  };
  const time = (flag: string) => {
    const text = flags.get(flag);
    if (text === undefined) throw new Error(`--${flag} is required`);
    const date = new Date(text);
    if (Number.isNaN(date.getTime())) throw new Error(`--${flag}: not a time: "${text}"`);
    return date;
  };
  switch (name) {
    case "delete-user":
      if (positional.length !== 1 || positional[0] === "") throw new Error("delete-user <user-id>");
      return { name, userId: positional[0] };
    case "list-suppressed":
      return { name, limit: count("limit") };
    case "replay-dlq":
      return { name, max: count("max") };
    case "rebuild": {
      const store = flags.get("store");
      if (store !== "hot" && store !== "lake") throw new Error("--store: hot or lake");
      return {
        name,
        store: store === "hot" ? RebuildStore.HOT : RebuildStore.LAKE,
        from: time("from"),
        to: time("to"),
      };
    }
    default:
      throw new Error(name === undefined ? "no command" : `unknown command "${name}"`);
  }
}

/** Runs `command` against the AdminService at `url` with `key`; returns the answer as JSON. */
export async function runAdminCommand(
  command: AdminCommand,
  url: string,
  key: string,
): Promise<string> {
  const client = createClient(
    AdminService,
    createConnectTransport({ baseUrl: url, httpVersion: "1.1" }),
  );
  const options = { headers: { authorization: `Bearer ${key}` } };
  switch (command.name) {
    case "delete-user":
      return toJsonString(
        DeleteUserResponseSchema,
        await client.deleteUser({ userId: command.userId }, options),
        JSON_OPTIONS,
      );
    case "list-suppressed":
      return toJsonString(
        ListSuppressedResponseSchema,
        await client.listSuppressed({ limit: command.limit }, options),
        JSON_OPTIONS,
      );
    case "replay-dlq":
      return toJsonString(
        ReplayDeadLettersResponseSchema,
        await client.replayDeadLetters({ maxRecords: command.max }, options),
        JSON_OPTIONS,
      );
    case "rebuild":
      return toJsonString(
        RebuildRangeResponseSchema,
        await client.rebuildRange({
          store: command.store,
          from: timestampFromDate(command.from),
          to: timestampFromDate(command.to),
        }, options),
        JSON_OPTIONS,
      );
  }
}

if (import.meta.main) {
  let command: AdminCommand;
  try {
    command = parseAdminArgs(Deno.args);
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    Deno.exit(2);
  }
  const key = Deno.env.get("ADMIN_KEY")?.trim();
  if (!key) {
    console.error(`ADMIN_KEY is not set\n${USAGE}`);
    Deno.exit(2);
  }
  const url = Deno.env.get("ADMIN_URL")?.trim() || "http://127.0.0.1:3002";
  try {
    console.log(await runAdminCommand(command, url, key));
  } catch (error) {
    const e = ConnectError.from(error);
    console.error(`${command.name} failed: [${Code[e.code]}] ${e.rawMessage}`);
    Deno.exit(1);
  }
}
