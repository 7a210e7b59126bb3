import assert from "node:assert/strict";
import { context, trace, TraceFlags } from "@opentelemetry/api";
import { Channel, type Event } from "@analytics/schema";
import { startLocalPipeline } from "../testdata/local_pipeline.ts";
import { AGENT_LIBRARY, createAgentAnalytics } from "./mod.ts";
import { StackContextManager } from "./testdata/stack_context_manager.ts";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const inSpan = <T>(spanId: string, fn: () => T): T =>
  context.with(
    trace.setSpan(
      context.active(),
      trace.wrapSpanContext({ traceId: TRACE, spanId, traceFlags: TraceFlags.SAMPLED }),
    ),
    fn,
  );

Deno.test("agent client: a task over gRPC to a real ingest, read back from the hot store with gen_ai fields and trace ids", async () => {
  const pipeline = await startLocalPipeline("agent");
  assert.ok(context.setGlobalContextManager(new StackContextManager()));
  try {
    const analytics = await createAgentAnalytics({
      writeKey: pipeline.writeKey,
      url: pipeline.grpcUrl,
      agentName: "coder",
      platform: "claude-code",
      conversationId: "conv_1",
    });
    const task = inSpan(
      "a000000000000001",
      () => analytics.startTask({ description: "Fix the failing date parser test" }),
    );
    const model = inSpan("a000000000000002", () =>
      analytics.modelCall({
        provider: "anthropic",
        requestModel: "claude-sonnet-4",
        responseModel: "claude-sonnet-4-20250514",
        inputTokens: 12_000,
        outputTokens: 850,
        timeToFirstTokenMs: 640,
        durationMs: 5200,
        costUsd: 0.04875,
        taskId: task.taskId,
      }));
    const tool = inSpan("a000000000000003", () =>
      analytics.toolExecution({
        name: "run_tests",
        durationMs: 5400,
        outcome: "error",
        callId: "call_9",
        error: "exit status 1",
        taskId: task.taskId,
      }));
    const code = analytics.codeGeneration({
      language: "typescript",
      linesAdded: 42,
      linesRemoved: 3,
      filePath: "src/date.ts",
      accepted: true,
      taskId: task.taskId,
    });
    const end = inSpan("a000000000000001", () => task.end("success", { costUsd: 0.04875 }));
    const stats = await analytics.shutdown();
    assert.equal(stats.accepted, 5);
    assert.equal(stats.rejected, 0);
    const made = [task.started, model, tool, code, end];
    const read = await pipeline.waitForEvents(made.map((e) => e.eventId));
    const stored = new Map(read.map((e) => [e.eventId, e]));
    assert.equal(await pipeline.storedCount(), 5);
    const get = (e: Event) => {
      const got = stored.get(e.eventId);
      assert.ok(got, `${e.eventType} stored`);
      assert.equal(got.channel, Channel.AGENT);
      assert.equal(got.platform, "claude-code");
      assert.equal(got.client?.libraryName, AGENT_LIBRARY.name);
      assert.equal(got.context.case, "agent");
      const agent = got.context.value!;
      assert.equal(agent.agentName, "coder");
      assert.equal(agent.conversationId, "conv_1");
      assert.equal(agent.taskId, task.taskId);
      return { event: got, agent };
    };
    const m = get(model);
    assert.equal(m.event.eventType, "model_call");
    assert.deepEqual(
      [m.agent.operationName, m.agent.providerName, m.agent.requestModel, m.agent.responseModel],
      ["chat", "anthropic", "claude-sonnet-4", "claude-sonnet-4-20250514"],
    );
    assert.equal(m.agent.inputTokens, 12_000n);
    assert.equal(m.agent.outputTokens, 850n);
    assert.equal(m.agent.timeToFirstTokenMs, 640);
    assert.equal(m.agent.costUsd, 0.04875);
    assert.equal(m.agent.traceId, TRACE);
    assert.equal(m.agent.spanId, "a000000000000002");
    const t = get(tool);
    assert.deepEqual(
      [t.agent.operationName, t.agent.toolName, t.agent.toolCallId, t.agent.outcome],
      ["execute_tool", "run_tests", "call_9", "error"],
    );
    assert.equal(t.agent.durationMs, 5400);
    assert.equal(t.agent.spanId, "a000000000000003");
    assert.deepEqual(t.event.properties, { error: "exit status 1" });
    const c = get(code);
    assert.equal(c.event.eventType, "code_generation");
    assert.equal(c.event.interactionValue, 42);
    assert.deepEqual(c.event.properties, {
      language: "typescript",
      lines_added: 42,
      lines_removed: 3,
      accepted: true,
    });
    assert.equal(c.agent.traceId, "", "no span was active");
    const e = get(end);
    assert.equal(e.event.eventType, "task_end");
    assert.equal(e.agent.outcome, "success");
    assert.equal(e.agent.spanId, "a000000000000001");
    const s = stored.get(model.eventId)!.sessionId;
    assert.ok([...stored.values()].every((x) => x.sessionId === s), "one session");
  } finally {
    context.disable();
    await pipeline.dispose();
  }
});
