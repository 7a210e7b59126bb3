/**
 * The page's life: loaded (the `load` event, or at once if it already fired), hidden
 * (`visibilitychange` to hidden: the last moment that is reliable on mobile, where a hidden
 * tab may be killed without `pagehide`), and left (`pagehide`, also fired when the page goes
 * into the back-forward cache).
 *
 * @module
 */

/** Callbacks of watchPageLifecycle. */
export interface PageLifecycleHandlers {
  /** The page finished loading; `loadMs` is the navigation's load time when known. */
  loaded(loadMs: number | undefined): void;
  /** The page became hidden (tab switch, minimised, or about to be unloaded). */
  hidden(): void;
  /** The page is being left or put in the back-forward cache. */
  left(persisted: boolean): void;
}

/** Installs the listeners; returns an uninstaller. */
export function watchPageLifecycle(handlers: PageLifecycleHandlers): () => void {
  let active = true;
  const onLoad = () => {
    if (!active) return;
    const [nav] = performance.getEntriesByType("navigation") as PerformanceNavigationTiming[];
    handlers.loaded(nav && nav.loadEventStart > 0 ? Math.round(nav.loadEventStart) : undefined);
  };
  const onVisibility = () => {
    if (document.visibilityState === "hidden") handlers.hidden();
  };
  const onPageHide = (event: PageTransitionEvent) => handlers.left(event.persisted);
  // The load event may still be running when this is installed: wait for its end.
  if (document.readyState === "complete") setTimeout(onLoad, 0);
  else addEventListener("load", () => setTimeout(onLoad, 0), { once: true });
  document.addEventListener("visibilitychange", onVisibility);
  addEventListener("pagehide", onPageHide);
  return () => {
    active = false;
    document.removeEventListener("visibilitychange", onVisibility);
    removeEventListener("pagehide", onPageHide);
  };
}
