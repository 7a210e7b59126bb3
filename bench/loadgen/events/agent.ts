/**
 * Agent sessions: an AI agent works on a task; each step is a model call (tokens, cost, time to
 * first token) or a tool execution, named after the OpenTelemetry gen_ai conventions, and the
 * task ends with an outcome. Trace and span ids tie the events to one trace. The event shapes
 * are the agent client's (@analytics/agent); what that client fills in from its options and the
 * active span (agent name, conversation, trace and span ids) is filled in here.
 *
 * @module
 */
import type { EventInit } from "@analytics/client-core";
import { modelCallEvent, taskEndEvent, taskStartEvent, toolExecutionEvent } from "@analytics/agent";
import { Channel, type Event } from "@analytics/schema";
import { type GeneratorContext, sessionEvent, startSession } from "./session.ts";

const MODELS = [
  {
    provider: "anthropic",
    request: "claude-sonnet-4",
    response: "claude-sonnet-4-20250514",
    inUsd: 3,
    outUsd: 15,
  },
  { provider: "openai", request: "gpt-4o", response: "gpt-4o-2024-08-06", inUsd: 2.5, outUsd: 10 },
  {
    provider: "openai",
    request: "gpt-4o-mini",
    response: "gpt-4o-mini-2024-07-18",
    inUsd: 0.15,
    outUsd: 0.6,
  },
] as const;
const TOOLS = ["read_file", "write_file", "run_tests", "search_code", "web_fetch", "shell"];
const TASKS = [
  "Fix the failing date parser test",
  "Add pagination to the orders endpoint",
  "Summarise yesterday's support tickets",
  "Upgrade the logging library",
];

/** Yields the events of one agent task (task start, 2 to 20 model calls and tool runs, end). */
export function* agentSession(ctx: GeneratorContext): Generator<Event> {
  const { random } = ctx;
  const platform = random.pick(["claude-code", "custom-agent", "langgraph"]);
  const session = startSession(ctx, Channel.AGENT, platform, 0.9);
  const model = random.pick(MODELS);
  const agentName = random.pick(["coder", "support-triage", "release-bot"]);
  const taskId = `task_${random.hex(12)}`;
  const conversationId = `conv_${random.hex(16)}`;
  const traceId = random.hex(32);
  const task = random.pick(TASKS);
  const client = { libraryName: "@analytics/agent", libraryVersion: "0.1.0" };
  /** The builder's fields, with what the agent client adds: its names and the active span. */
  const agentEvent = (fields: EventInit, providerName = model.provider) => {
    if (fields.context?.case === "agent" && fields.context.value) {
      Object.assign(fields.context.value, {
        agentName,
        conversationId,
        traceId,
        providerName,
        spanId: random.hex(16),
      });
    }
    return sessionEvent(ctx, session, {
      ...fields,
      resourceId: taskId,
      resourceTitle: task,
      client,
    });
  };
  let totalCost = 0;
  let totalMs = 0;

  yield agentEvent(taskStartEvent({ taskId, description: task }));
  const steps = random.int(2, 20);
  for (let i = 0; i < steps; i++) {
    if (i % 2 === 0 || random.chance(0.3)) {
      const inputTokens = random.int(800, 60_000);
      const outputTokens = random.int(50, 4_000);
      const costUsd = (inputTokens * model.inUsd + outputTokens * model.outUsd) / 1_000_000;
      const durationMs = Math.round(random.float(400, 30_000));
      totalCost += costUsd;
      totalMs += durationMs;
      yield agentEvent(modelCallEvent({
        provider: model.provider,
        requestModel: model.request,
        responseModel: model.response,
        inputTokens,
        outputTokens,
        timeToFirstTokenMs: Math.round(random.float(150, 2500)),
        durationMs,
        costUsd,
        taskId,
      }));
    } else {
      const tool = random.pick(TOOLS);
      const durationMs = Math.round(random.float(5, 20_000));
      totalMs += durationMs;
      const outcome = random.weighted([["success", 9], ["error", 1]] as const);
      yield agentEvent(toolExecutionEvent({
        name: tool,
        durationMs,
        outcome,
        callId: `call_${random.hex(24)}`,
        error: outcome === "error" ? "exit status 1" : undefined,
        taskId,
      }));
    }
  }
  const outcome = random.weighted([["success", 8], ["error", 1], ["cancelled", 1]] as const);
  yield agentEvent(taskEndEvent({ taskId, outcome, durationMs: totalMs, costUsd: totalCost }));
}
