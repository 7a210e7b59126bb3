/**
 * Clicks on elements marked with a data attribute (`data-analytics-click="signup"`): the
 * attribute's value names the click. Listened to in the capture phase, so a click on a link
 * that leaves the page is recorded before the page goes (the final flush sends it).
 *
 * @module
 */

/** Calls `onClick(name, element)` for clicks inside an element carrying `attribute`. */
export function watchMarkedClicks(
  attribute: string,
  onClick: (name: string, element: Element) => void,
): () => void {
  const listener = (event: Event) => {
    const target = event.target instanceof Element ? event.target : null;
    const marked = target?.closest(`[${attribute}]`);
    if (!marked) return;
    const name = marked.getAttribute(attribute) || marked.id || marked.textContent?.trim() || "";
    onClick(name.slice(0, 256), marked);
  };
  document.addEventListener("click", listener, true);
  return () => document.removeEventListener("click", listener, true);
}
