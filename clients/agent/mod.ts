/**
 * `@analytics/agent`: AI agent analytics (tasks, tool runs, model calls with the `gen_ai`
 * fields, generated code), each event tied to the active OpenTelemetry trace.
 *
 * @example
 * ```ts ignore
 * import { createAgentAnalytics } from "@analytics/agent";
 * const analytics = await createAgentAnalytics({ writeKey: "wk_...", agentName: "coder" });
 * const task = analytics.startTask({ description: "Fix the failing test" });
 * analytics.modelCall({ provider: "anthropic", requestModel: "claude-sonnet-4", inputTokens: 1200, outputTokens: 300 });
 * analytics.toolExecution({ name: "run_tests", durationMs: 5400, outcome: "success" });
 * task.end("success", { costUsd: 0.0081 });
 * await analytics.shutdown();
 * ```
 *
 * @module
 */
export * from "./agent_analytics.ts";
export * from "./active_span.ts";
export * from "./agent_events.ts";
