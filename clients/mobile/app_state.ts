/**
 * Following the app's lifecycle without importing React Native: anything shaped like RN's
 * `AppState` (a current state and "change" events of "active", "background", "inactive") is
 * turned into foreground and background calls.
 *
 * @module
 */

/** The part of React Native's `AppState` this client uses. */
export interface AppStateLike {
  /** "active", "background", "inactive" (iOS), "unknown", ... */
  readonly currentState?: string | null;
  /** Calls `listener` with each new state; `remove()` stops it. */
  addEventListener(type: "change", listener: (state: string) => void): { remove(): void };
}

/** What to call on each lifecycle change. */
export interface LifecycleHandlers {
  /** The app became active. */
  foreground(): void;
  /** The app went to the background. */
  background(): void;
}

/**
 * Calls `handlers.foreground` when the state becomes "active" and `handlers.background` when it
 * becomes "background"; "inactive" and unknown states are transitions and call neither. Returns
 * the function that stops listening.
 */
export function watchAppState(appState: AppStateLike, handlers: LifecycleHandlers): () => void {
  const subscription = appState.addEventListener("change", (state) => {
    if (state === "active") handlers.foreground();
    else if (state === "background") handlers.background();
  });
  return () => subscription.remove();
}
