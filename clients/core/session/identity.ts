/**
 * Who the events are about: an anonymous id made once per install (browser, app, process data
 * folder) and kept in storage, and the user id set by `identify` (kept too, until `reset`).
 *
 * @module
 */
import { uuidv7 } from "@analytics/schema";
import type { StorageAdapter } from "../storage/storage_adapter.ts";

const ANONYMOUS_KEY = "analytics_anonymous_id";
const USER_KEY = "analytics_user_id";

/** The anonymous id and the user id, persisted. */
export class Identity {
  #anonymousId = "";
  #userId = "";
  readonly #storage: StorageAdapter;

  private constructor(storage: StorageAdapter) {
    this.#storage = storage;
  }

  /** Loads the ids from storage, making and storing an anonymous id when there is none. */
  static async load(storage: StorageAdapter): Promise<Identity> {
    const identity = new Identity(storage);
    identity.#anonymousId = (await storage.get(ANONYMOUS_KEY)) ?? "";
    identity.#userId = (await storage.get(USER_KEY)) ?? "";
    if (identity.#anonymousId === "") {
      identity.#anonymousId = uuidv7();
      await storage.set(ANONYMOUS_KEY, identity.#anonymousId);
    }
    return identity;
  }

  /** The persistent anonymous id. */
  get anonymousId(): string {
    return this.#anonymousId;
  }

  /** The identified user, or "" before `identify`. */
  get userId(): string {
    return this.#userId;
  }

  /** Remembers the user id. */
  async setUser(userId: string): Promise<void> {
    this.#userId = userId;
    await this.#storage.set(USER_KEY, userId);
  }

  /** Forgets the user and starts a new anonymous id (a logout). */
  async reset(): Promise<void> {
    this.#userId = "";
    this.#anonymousId = uuidv7();
    await this.#storage.remove(USER_KEY);
    await this.#storage.set(ANONYMOUS_KEY, this.#anonymousId);
  }
}
