/**
 * Route changes of single-page apps: `history.pushState` and `replaceState` (wrapped) and the
 * back and forward buttons (`popstate`). A change is reported when the path or query changed,
 * so a `replaceState` that only updates state is not a page view.
 *
 * @module
 */

/** Calls `onChange(from, to)` (path and query) on each route change; returns an uninstaller. */
export function watchRouteChanges(onChange: (from: string, to: string) => void): () => void {
  const route = () => location.pathname + location.search;
  let last = route();
  const check = () => {
    const now = route();
    if (now === last) return;
    const from = last;
    last = now;
    onChange(from, now);
  };
  const push = history.pushState;
  const replace = history.replaceState;
  const wrappedPush: History["pushState"] = function (this: History, ...args) {
    push.apply(this, args);
    check();
  };
  const wrappedReplace: History["replaceState"] = function (this: History, ...args) {
    replace.apply(this, args);
    check();
  };
  history.pushState = wrappedPush;
  history.replaceState = wrappedReplace;
  addEventListener("popstate", check);
  return () => {
    // Only undo our own wrapper: another library may have wrapped it after us.
    if (history.pushState === wrappedPush) history.pushState = push;
    if (history.replaceState === wrappedReplace) history.replaceState = replace;
    removeEventListener("popstate", check);
  };
}
