/**
 * The events an AI agent reports, as event fields: task start and end, tool execution, model
 * call and code generation. Agent context names follow the OpenTelemetry `gen_ai.*`
 * conventions (operation, provider, request/response model, tokens, tool name and call id).
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import type { EventInit } from "@analytics/client-core";
import { type AgentContext, AgentContextSchema } from "@analytics/schema";

/** A task the agent starts. */
export interface TaskStart {
  taskId: string;
  /** What the agent was asked to do. */
  description?: string;
}

/** How a task or tool run ended: "success", "error", "cancelled", ... */
export type Outcome = string;

/** A task the agent ended. */
export interface TaskEnd {
  taskId: string;
  outcome: Outcome;
  durationMs?: number;
  /** Total cost of the task in US dollars. */
  costUsd?: number;
}

/** One tool run. */
export interface ToolExecution {
  /** gen_ai.tool.name, e.g. "read_file". */
  name: string;
  durationMs: number;
  outcome: Outcome;
  /** gen_ai.tool.call.id. */
  callId?: string;
  /** The error message when it failed. */
  error?: string;
  taskId?: string;
}

/** One call of a model. */
export interface ModelCall {
  /** gen_ai.provider.name, e.g. "anthropic", "openai". */
  provider: string;
  /** gen_ai.request.model. */
  requestModel: string;
  /** gen_ai.response.model, when the provider names a more precise one. */
  responseModel?: string;
  /** gen_ai.operation.name. Default "chat". */
  operation?: string;
  inputTokens: number;
  outputTokens: number;
  timeToFirstTokenMs?: number;
  durationMs?: number;
  costUsd?: number;
  taskId?: string;
}

/** Code the agent wrote. */
export interface CodeGeneration {
  language: string;
  linesAdded: number;
  linesRemoved?: number;
  filePath?: string;
  /** Whether the user kept it, when known. */
  accepted?: boolean;
  taskId?: string;
}

type AgentFields = Partial<Omit<AgentContext, "$typeName" | "$unknown">>;

function agent(fields: AgentFields): EventInit["context"] {
  return { case: "agent", value: create(AgentContextSchema, fields) };
}

/** The fields of a task_start event. */
export function taskStartEvent(task: TaskStart): EventInit {
  return {
    eventType: "task_start",
    eventCategory: "session",
    resourceId: task.taskId,
    interactionText: task.description ?? "",
    context: agent({ operationName: "invoke_agent", taskId: task.taskId }),
  };
}

/** The fields of a task_end event (interaction value: the cost). */
export function taskEndEvent(task: TaskEnd): EventInit {
  return {
    eventType: "task_end",
    eventCategory: "session",
    resourceId: task.taskId,
    interactionValue: task.costUsd,
    context: agent({
      operationName: "invoke_agent",
      taskId: task.taskId,
      outcome: task.outcome,
      durationMs: task.durationMs ?? 0,
      costUsd: task.costUsd ?? 0,
    }),
  };
}

/** The fields of a tool_execution event (interaction value: the duration). */
export function toolExecutionEvent(tool: ToolExecution): EventInit {
  return {
    eventType: "tool_execution",
    eventCategory: "ai",
    resourceId: tool.taskId ?? "",
    interactionTarget: tool.name,
    interactionValue: tool.durationMs,
    properties: tool.error === undefined ? undefined : { error: tool.error },
    context: agent({
      operationName: "execute_tool",
      taskId: tool.taskId ?? "",
      toolName: tool.name,
      toolCallId: tool.callId ?? "",
      durationMs: tool.durationMs,
      outcome: tool.outcome,
    }),
  };
}

/** The fields of a model_call event (interaction value: the cost). */
export function modelCallEvent(call: ModelCall): EventInit {
  return {
    eventType: "model_call",
    eventCategory: "ai",
    resourceId: call.taskId ?? "",
    interactionTarget: call.requestModel,
    interactionValue: call.costUsd,
    context: agent({
      operationName: call.operation ?? "chat",
      taskId: call.taskId ?? "",
      providerName: call.provider,
      requestModel: call.requestModel,
      responseModel: call.responseModel ?? "",
      inputTokens: BigInt(call.inputTokens),
      outputTokens: BigInt(call.outputTokens),
      timeToFirstTokenMs: call.timeToFirstTokenMs ?? 0,
      durationMs: call.durationMs ?? 0,
      costUsd: call.costUsd ?? 0,
    }),
  };
}

/** The fields of a code_generation event (interaction value: lines added). */
export function codeGenerationEvent(code: CodeGeneration): EventInit {
  const properties: Record<string, string | number | boolean> = {
    language: code.language,
    lines_added: code.linesAdded,
    lines_removed: code.linesRemoved ?? 0,
  };
  if (code.accepted !== undefined) properties.accepted = code.accepted;
  return {
    eventType: "code_generation",
    eventCategory: "ai",
    resourceId: code.taskId ?? "",
    interactionTarget: code.filePath ?? "",
    interactionValue: code.linesAdded,
    properties,
    context: agent({ operationName: "generate_content", taskId: code.taskId ?? "" }),
  };
}
