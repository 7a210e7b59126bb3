/**
 * An AI coding agent's task: model calls, tool runs, generated code, the task's end. Each step
 * runs in an OpenTelemetry span, so with `OTEL_DENO=true` every event carries its trace and span
 * ids (without it the spans are no-ops and the ids are empty). Run `deno task dev`, then
 * `deno task example:agent`.
 *
 * Prints one line per event and, at the end, `accepted=N rejected=M`.
 *
 * @module
 */
import { trace } from "@opentelemetry/api";
import { createAgentAnalytics } from "@analytics/agent";
import type { Event } from "@analytics/schema";
import { pause, readExampleEnv } from "./example_env.ts";

const env = await readExampleEnv();
const analytics = await createAgentAnalytics({
  writeKey: env.writeKey,
  url: env.url,
  agentName: "coder",
  platform: "custom-agent",
  conversationId: `conv_${crypto.randomUUID().slice(0, 12)}`,
  onRejected: (r) => console.error(`rejected ${r.event.eventType}: ${r.field} ${r.reason}`),
});
const tracer = trace.getTracer("analytics-agent-example");
const show = (event: Event) => console.log(`${event.eventType.padEnd(16)} ${event.eventId}`);
const inSpan = async (name: string, fn: () => Event) => {
  await tracer.startActiveSpan(name, (span) => {
    show(fn());
    span.end();
  });
  await pause(env.paceMs);
};

let made = 0;
let cost = 0;
await tracer.startActiveSpan("invoke_agent coder", async (root) => {
  const task = analytics.startTask({ description: "Fix the failing date parser test" });
  show(task.started);
  made++;
  const calls = [
    { inputTokens: 8_400, outputTokens: 420, ttft: 610 },
    { inputTokens: 14_900, outputTokens: 1_250, ttft: 880 },
  ];
  for (const [i, call] of calls.entries()) {
    const costUsd = (call.inputTokens * 3 + call.outputTokens * 15) / 1_000_000;
    cost += costUsd;
    await inSpan("chat claude-sonnet-4", () =>
      analytics.modelCall({
        provider: "anthropic",
        requestModel: "claude-sonnet-4",
        responseModel: "claude-sonnet-4-20250514",
        inputTokens: call.inputTokens,
        outputTokens: call.outputTokens,
        timeToFirstTokenMs: call.ttft,
        durationMs: call.ttft + call.outputTokens * 12,
        costUsd,
        taskId: task.taskId,
      }));
    const tool = i === 0 ? "read_file" : "run_tests";
    await inSpan(`execute_tool ${tool}`, () =>
      analytics.toolExecution({
        name: tool,
        durationMs: i === 0 ? 12 : 5_400,
        outcome: "success",
        callId: `call_${i + 1}`,
        taskId: task.taskId,
      }));
    made += 2;
  }
  await inSpan("generate code", () =>
    analytics.codeGeneration({
      language: "typescript",
      linesAdded: 18,
      linesRemoved: 4,
      filePath: "src/date_parser.ts",
      accepted: true,
      taskId: task.taskId,
    }));
  show(task.end("success", { costUsd: cost }));
  made += 2;
  root.end();
});
const stats = await analytics.shutdown();
console.log(`accepted=${stats.accepted} rejected=${stats.rejected}`);
if (stats.accepted !== made) Deno.exit(1);
