/** A stand-in program for the supervisor's tests: answers /ready on READY_PORT until stopped. */
const server = Deno.serve(
  { hostname: "127.0.0.1", port: Number(Deno.env.get("READY_PORT")), onListen: () => {} },
  () => new Response(Deno.env.get("GREETING") ?? "ready"),
);
console.log(`pid ${Deno.pid} start ${Deno.env.get("START")}`);
Deno.addSignalListener("SIGTERM", () => server.shutdown());
await server.finished;
