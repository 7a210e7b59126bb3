/**
 * Form submissions. A form is named by its `data-analytics-form` attribute, else its `name`,
 * `id` or action path. Field values are never read: forms carry personal data.
 *
 * @module
 */

/** Calls `onSubmit(name, form)` for each submitted form; returns an uninstaller. */
export function watchFormSubmits(
  onSubmit: (name: string, form: HTMLFormElement) => void,
): () => void {
  const listener = (event: Event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    const name = form.getAttribute("data-analytics-form") || form.getAttribute("name") ||
      form.id || new URL(form.action, location.href).pathname;
    onSubmit(name.slice(0, 256), form);
  };
  document.addEventListener("submit", listener, true);
  return () => document.removeEventListener("submit", listener, true);
}
