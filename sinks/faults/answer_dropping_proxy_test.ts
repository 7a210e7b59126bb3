import assert from "node:assert/strict";
import * as http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { AnswerDroppingProxy } from "./answer_dropping_proxy.ts";

/** One request over a fresh h2c session; resolves with the body, rejects when the answer is lost. */
function request(port: number, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on("error", reject);
    const stream = session.request({ ":method": "POST", ":path": "/work" });
    let answer = "";
    let responded = false;
    stream.on("response", () => responded = true);
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => answer += chunk);
    stream.on("end", () => {
      session.close();
      if (responded) resolve(answer);
      else reject(new Error("the stream ended without an answer"));
    });
    stream.on("error", (error) => {
      session.destroy();
      reject(error);
    });
    stream.on("close", () => {
      if (stream.rstCode !== http2.constants.NGHTTP2_NO_ERROR) {
        session.destroy();
        reject(new Error(`stream closed with code ${stream.rstCode}`));
      }
    });
    stream.end(body);
  });
}

Deno.test("the proxy forwards answers and, when it draws a drop, loses one the server made", async () => {
  const handled: string[] = [];
  const server = http2.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => body += chunk);
    req.on("end", () => {
      handled.push(body);
      res.end(`done ${body}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const draws = [0.9, 0.1, 0.9];
  const proxy = AnswerDroppingProxy.start({
    target: { hostname: "127.0.0.1", port },
    dropProbability: 0.5,
    random: () => draws.shift() ?? 0.9,
  });
  try {
    assert.equal(await request(proxy.port, "a"), "done a");
    await assert.rejects(request(proxy.port, "b"));
    assert.equal(await request(proxy.port, "c"), "done c");
    // The server did the work of the call whose answer was lost.
    assert.deepEqual(handled, ["a", "b", "c"]);
    assert.equal(proxy.droppedAnswers, 1);
    assert.equal(proxy.forwardedAnswers, 2);
    assert.equal(proxy.connections, 3);
  } finally {
    await proxy.close();
    await new Promise((resolve) => server.close(resolve));
  }
});

Deno.test("the proxy rejects a probability outside [0, 1]", () => {
  const target = { hostname: "127.0.0.1", port: 1 };
  assert.throws(
    () => AnswerDroppingProxy.start({ target, dropProbability: 1.5 }),
    /dropProbability/,
  );
});
