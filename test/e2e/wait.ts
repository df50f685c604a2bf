/** Polling without fixed sleeps: wait for a condition, bounded, with a useful message. */

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns something truthy (or `until` accepts it); throws `what` after `timeoutMs`. */
export async function waitFor<T>(
  fn: () => Promise<T>,
  what: string,
  timeoutMs = 15_000,
  until: (v: T) => boolean = (v) => Boolean(v),
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let error: unknown;
  for (;;) {
    try {
      last = await fn();
      if (until(last)) return last;
    } catch (e) {
      error = e;
    }
    if (Date.now() > deadline) {
      const seen = error instanceof Error ? error.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last seen: ${seen?.slice(0, 2000)})`);
    }
    await sleep(200);
  }
}

/**
 * Polls `fn` until `until` accepts its value or `timeoutMs` passes, and returns the last
 * value either way: for a check that asserts on what it saw (its message then shows it)
 * but must give the workbench time to draw it first.
 */
export async function settle<T>(fn: () => Promise<T>, until: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  return waitFor(fn, 'a settled value', timeoutMs, until).catch(() => fn());
}

/**
 * The little of the DOM that page-side callbacks use (the project's tsconfig has no DOM
 * lib; playwright's `Element` is therefore untyped).
 */
export interface El {
  getAttribute(name: string): string | null;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): ArrayLike<El>;
  readonly textContent: string | null;
  /** The rendered text, with line breaks between blocks. */
  readonly innerText?: string;
  readonly className: string;
  readonly classList: { contains(name: string): boolean };
  readonly style: { top: string };
  readonly offsetParent: unknown;
  getBoundingClientRect(): { left: number; right: number; top: number; bottom: number; width: number; height: number };
}
