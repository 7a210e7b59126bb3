/**
 * A synchronous OpenTelemetry context manager for tests: `context.with` pushes a context for
 * the duration of the callback. Enough to make a span active without an SDK.
 *
 * @module
 */
import { type Context, type ContextManager, ROOT_CONTEXT } from "@opentelemetry/api";

/** Keeps the active context on a stack (synchronous callbacks only). */
export class StackContextManager implements ContextManager {
  #stack: Context[] = [ROOT_CONTEXT];

  /** The innermost context. */
  active(): Context {
    return this.#stack[this.#stack.length - 1];
  }

  /** Runs `fn` with `context` active. */
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    this.#stack.push(context);
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.#stack.pop();
    }
  }

  /** Not needed by the tests: returns the target unchanged. */
  bind<T>(_context: Context, target: T): T {
    return target;
  }

  /** Nothing to set up. */
  enable(): this {
    return this;
  }

  /** Forgets every pushed context. */
  disable(): this {
    this.#stack = [ROOT_CONTEXT];
    return this;
  }
}
