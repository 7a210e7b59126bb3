/**
 * Realistic event generators for every channel, for the load generator, benchmarks, client
 * examples and fault tests.
 *
 * @module
 */
export { createEventSource, type EventSource, type EventSourceOptions } from "./source.ts";
export {
  CHANNEL_NAMES,
  type ChannelName,
  parseChannels,
  SESSION_GENERATORS,
  type SessionGenerator,
} from "./channels.ts";
export { createRandom, type Random } from "./random.ts";
export { type GeneratorContext, type Session, sessionEvent, startSession } from "./session.ts";
export { webSession } from "./web.ts";
export { mobileSession } from "./mobile.ts";
export { chatSession } from "./chat.ts";
export { speechSession } from "./speech.ts";
export { agentSession } from "./agent.ts";
