/**
 * The AI agent client: an agent (a coding assistant, a support bot, a workflow) reports its
 * tasks, tool runs, model calls and generated code. Each event carries the agent's name, the
 * conversation, and the trace and span ids of the OpenTelemetry span active where it was
 * recorded, so it joins that trace. gRPC to the ingest by default.
 *
 * @module
 */
import type { AnalyticsClient, ClientStats, EventInit, FlushResult } from "@analytics/client-core";
import { openServerSideClient, type ServerSideOptions } from "@analytics/client-core/grpc";
import { Channel, type Event, uuidv7 } from "@analytics/schema";
import { activeSpanIds, type SpanIds } from "./active_span.ts";
import {
  type CodeGeneration,
  codeGenerationEvent,
  type ModelCall,
  modelCallEvent,
  type Outcome,
  type TaskEnd,
  taskEndEvent,
  type TaskStart,
  taskStartEvent,
  type ToolExecution,
  toolExecutionEvent,
} from "./agent_events.ts";

/** The library name and version recorded on each event. */
export const AGENT_LIBRARY = { name: "@analytics/agent", version: "0.1.0" } as const;

/** Options of createAgentAnalytics; the core's tuning options pass through. */
export interface AgentAnalyticsOptions extends ServerSideOptions {
  /** gen_ai.agent.name, e.g. "coder". */
  agentName: string;
  /** The agent framework or product, e.g. "claude-code", "langgraph". Default "custom-agent". */
  platform?: string;
  /** gen_ai.conversation.id, when the agent works within a conversation. */
  conversationId?: string;
  /** Where trace and span ids come from. Default: the active OpenTelemetry span. */
  spanIds?: () => SpanIds | undefined;
}

/** A started task: `end` records its task_end with the time since the start. */
export interface AgentTask {
  readonly taskId: string;
  /** The task_start event. */
  readonly started: Event;
  /** Records task_end; `costUsd` is the task's total cost when known. */
  end(outcome: Outcome, details?: { costUsd?: number }): Event;
}

/** The AI agent analytics client. */
export class AgentAnalytics {
  /** The shared client underneath, for stats and identity. */
  readonly core: AnalyticsClient;
  readonly #options: AgentAnalyticsOptions;
  readonly #now: () => number;

  /** Wraps an opened core client; use createAgentAnalytics. */
  constructor(core: AnalyticsClient, options: AgentAnalyticsOptions) {
    this.core = core;
    this.#options = options;
    this.#now = () => options.scheduler?.now() ?? Date.now();
  }

  /** Records task_start and returns the task, whose `end` records task_end with the duration. */
  startTask(task: Partial<TaskStart> = {}): AgentTask {
    const taskId = task.taskId ?? `task_${uuidv7()}`;
    const started = this.#now();
    const event = this.taskStart({ ...task, taskId });
    return {
      taskId,
      started: event,
      end: (outcome, details = {}) =>
        this.taskEnd({ taskId, outcome, durationMs: this.#now() - started, ...details }),
    };
  }

  /** Records task_start. */
  taskStart(task: TaskStart): Event {
    return this.#track(taskStartEvent(task));
  }

  /** Records task_end. */
  taskEnd(task: TaskEnd): Event {
    return this.#track(taskEndEvent(task));
  }

  /** Records a tool run (name, duration, outcome). */
  toolExecution(tool: ToolExecution): Event {
    return this.#track(toolExecutionEvent(tool));
  }

  /** Records a model call (provider, models, tokens, time to first token, cost). */
  modelCall(call: ModelCall): Event {
    return this.#track(modelCallEvent(call));
  }

  /** Records generated code (language, lines, file). */
  codeGeneration(code: CodeGeneration): Event {
    return this.#track(codeGenerationEvent(code));
  }

  /** Links the agent's anonymous id to the user it works for (an `identify` event). */
  identify(userId: string, traits?: Record<string, unknown>): Promise<Event> {
    return this.core.identify(userId, traits);
  }

  /** Sends what is queued now. */
  flush(): Promise<FlushResult> {
    return this.core.flush();
  }

  /** Sends what is left (retrying up to `timeoutMs`), then closes the connection. */
  shutdown(options?: { timeoutMs?: number }): Promise<ClientStats> {
    return this.core.shutdown(options);
  }

  #track(fields: EventInit): Event {
    const context = fields.context;
    if (context?.case === "agent" && context.value) {
      const value = context.value;
      value.agentName ||= this.#options.agentName;
      value.conversationId ||= this.#options.conversationId ?? "";
      const span = (this.#options.spanIds ?? activeSpanIds)();
      if (span) {
        value.traceId = span.traceId;
        value.spanId = span.spanId;
      }
    }
    return this.core.track(fields);
  }
}

/** Opens an agent client; sends any events a previous run left in `dataDir`. */
export async function createAgentAnalytics(
  options: AgentAnalyticsOptions,
): Promise<AgentAnalytics> {
  const { platform, agentName: _a, conversationId: _c, spanIds: _s, ...common } = options;
  const core = await openServerSideClient(common, {
    channel: Channel.AGENT,
    platform: platform ?? "custom-agent",
    library: AGENT_LIBRARY,
  });
  return new AgentAnalytics(core, options);
}
