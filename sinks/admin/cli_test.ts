import { deepEqual, throws } from "node:assert/strict";
import { RebuildStore } from "@analytics/schema";
import { parseAdminArgs } from "./cli.ts";

Deno.test("admin command line: each command parsed, a bad one refused naming the problem", () => {
  deepEqual(parseAdminArgs(["delete-user", "u-42"]), { name: "delete-user", userId: "u-42" });
  deepEqual(parseAdminArgs(["list-suppressed", "--limit", "5"]), {
    name: "list-suppressed",
    limit: 5,
  });
  deepEqual(parseAdminArgs(["replay-dlq"]), { name: "replay-dlq", max: 0 });
  deepEqual(
    parseAdminArgs([
      "rebuild",
      "--store",
      "lake",
      "--from",
      "2026-11-28T08:00:00Z",
      "--to",
      "2026-11-28T09:00:00Z",
    ]),
    {
      name: "rebuild",
      store: RebuildStore.LAKE,
      from: new Date("2026-11-28T08:00:00Z"),
      to: new Date("2026-11-28T09:00:00Z"),
    },
  );
  throws(() => parseAdminArgs([]), /no command/);
  throws(() => parseAdminArgs(["delete-user"]), /delete-user <user-id>/);
  throws(() => parseAdminArgs(["replay-dlq", "--max", "-1"]), /--max/);
  throws(() => parseAdminArgs(["rebuild", "--store", "cold"]), /--store/);
  throws(() => parseAdminArgs(["rebuild", "--store", "hot", "--from", "yesterday"]), /--from/);
  throws(() => parseAdminArgs(["purge"]), /unknown command "purge"/);
});
