/** Raised when an operation did not finish within its bound. */
export class DeadlineExceededError extends Error {
  /** Makes the error for `what`, which took longer than `ms`. */
  constructor(what: string, ms: number) {
    super(`${what} did not finish within ${ms} ms`);
    this.name = "DeadlineExceededError";
  }
}

/**
 * Resolves like `promise`, or rejects with `DeadlineExceededError` after `ms`. The operation
 * itself is not cancelled; its late result or error is observed and dropped, so it can never
 * surface as an unhandled rejection.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(what, ms)), ms);
  });
  promise.catch(() => {});
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}
