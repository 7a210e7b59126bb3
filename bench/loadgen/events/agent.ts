/**
 * Agent sessions: an AI agent works on a task; each step is a model call (tokens, cost, time to
 * first token) or a tool execution, named after the OpenTelemetry gen_ai conventions, and the
 * task ends with an outcome. Trace and span ids tie the events to one trace.
 *
 * @module
 */
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
  const base = { agentName, taskId, conversationId, traceId, providerName: model.provider };
  const envelope = { resourceId: taskId, resourceTitle: task, client };
  let totalCost = 0;
  let totalMs = 0;

  yield sessionEvent(ctx, session, {
    ...envelope,
    eventType: "task_start",
    eventCategory: "session",
    interactionText: task,
    context: {
      case: "agent",
      value: { ...base, operationName: "invoke_agent", spanId: random.hex(16) },
    },
  });
  const steps = random.int(2, 20);
  for (let i = 0; i < steps; i++) {
    if (i % 2 === 0 || random.chance(0.3)) {
      const inputTokens = random.int(800, 60_000);
      const outputTokens = random.int(50, 4_000);
      const costUsd = (inputTokens * model.inUsd + outputTokens * model.outUsd) / 1_000_000;
      const durationMs = Math.round(random.float(400, 30_000));
      totalCost += costUsd;
      totalMs += durationMs;
      yield sessionEvent(ctx, session, {
        ...envelope,
        eventType: "model_call",
        eventCategory: "ai",
        interactionTarget: model.request,
        interactionValue: costUsd,
        context: {
          case: "agent",
          value: {
            ...base,
            operationName: "chat",
            requestModel: model.request,
            responseModel: model.response,
            inputTokens: BigInt(inputTokens),
            outputTokens: BigInt(outputTokens),
            timeToFirstTokenMs: Math.round(random.float(150, 2500)),
            durationMs,
            costUsd,
            spanId: random.hex(16),
          },
        },
      });
    } else {
      const tool = random.pick(TOOLS);
      const durationMs = Math.round(random.float(5, 20_000));
      totalMs += durationMs;
      const outcome = random.weighted([["success", 9], ["error", 1]] as const);
      yield sessionEvent(ctx, session, {
        ...envelope,
        eventType: "tool_execution",
        eventCategory: "ai",
        interactionTarget: tool,
        interactionValue: durationMs,
        context: {
          case: "agent",
          value: {
            ...base,
            operationName: "execute_tool",
            toolName: tool,
            toolCallId: `call_${random.hex(24)}`,
            durationMs,
            outcome,
            spanId: random.hex(16),
          },
        },
        properties: outcome === "error" ? { error: "exit status 1" } : undefined,
      });
    }
  }
  const outcome = random.weighted([["success", 8], ["error", 1], ["cancelled", 1]] as const);
  yield sessionEvent(ctx, session, {
    ...envelope,
    eventType: "task_end",
    eventCategory: "session",
    interactionValue: totalCost,
    context: {
      case: "agent",
      value: {
        ...base,
        operationName: "invoke_agent",
        durationMs: totalMs,
        costUsd: totalCost,
        outcome,
        spanId: random.hex(16),
      },
    },
  });
}
