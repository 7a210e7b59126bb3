import { equal, match } from "node:assert/strict";
import { checkHealth } from "./healthcheck.ts";

Deno.test("checkHealth: null on 2xx, the status otherwise, the error when nothing listens", async () => {
  let status = 200;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response("ok", { status }),
  );
  const url = `http://127.0.0.1:${server.addr.port}/ready`;
  try {
    equal(await checkHealth(url), null);
    status = 503;
    equal(await checkHealth(url), `${url} answered 503`);
  } finally {
    await server.shutdown();
  }
  match((await checkHealth(url, 1_000))!, /^http:\/\/127\.0\.0\.1:\d+\/ready: /);
});
