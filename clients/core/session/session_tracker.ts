/**
 * Sessions: a session id lasts while events keep coming; after `timeoutMs` without any event
 * (30 minutes by default, as most analytics products do) the next event starts a new session.
 *
 * @module
 */
import { uuidv7 } from "@analytics/schema";

/** Options of a SessionTracker. */
export interface SessionTrackerOptions {
  /** Inactivity after which a new session starts. Default 30 minutes. */
  timeoutMs?: number;
  /** Makes session ids. Default UUIDv7. */
  newId?: () => string;
}

/** A session as persisted: its id and the time of its last event (Unix ms). */
export interface SessionState {
  id: string;
  lastActivityMs: number;
}

/** Keeps the current session id and rotates it after inactivity. */
export class SessionTracker {
  readonly timeoutMs: number;
  readonly #newId: () => string;
  #id = "";
  #lastActivity = -Infinity;

  /** A tracker with no session yet: the first `touch` starts one. */
  constructor(options: SessionTrackerOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 30 * 60_000;
    this.#newId = options.newId ?? uuidv7;
  }

  /** The session id for an event at `now`, starting a new session after inactivity. */
  touch(now: number): string {
    if (this.#id === "" || now - this.#lastActivity > this.timeoutMs) this.#id = this.#newId();
    this.#lastActivity = Math.max(this.#lastActivity, now);
    return this.#id;
  }

  /** The current session id ("" before the first event) and its last activity, to persist. */
  get state(): SessionState {
    return { id: this.#id, lastActivityMs: this.#id === "" ? 0 : this.#lastActivity };
  }

  /** Continues a persisted session (a reloaded page); it still ends after the timeout. */
  restore(state: SessionState): void {
    if (typeof state?.id !== "string" || typeof state.lastActivityMs !== "number") return;
    this.#id = state.id;
    this.#lastActivity = state.id === "" ? -Infinity : state.lastActivityMs;
  }

  /** Ends the current session: the next event starts a new one. */
  reset(): void {
    this.#id = "";
  }
}
