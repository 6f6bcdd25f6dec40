/**
 * Requests a webview page answers with the same request id (`reportRows`/`rows`,
 * `reportRendered`/`rendered`, `echo`/`echoed`): each waits at most a time limit, fails at once when
 * it could not be posted, and fails when the page goes away (hidden or closed). Shared by the task
 * panel and the gallery; one instance per kind of answer, so each resolves with its own type.
 */
const REPLY_TIMEOUT_MS = 10_000;

interface Waiting<T> {
  resolve(value: T): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export class PendingReplies<T> {
  private nextRequestId = 1;
  private readonly waiting = new Map<number, Waiting<T>>();

  /** `page` names the page in errors ("the gallery"). */
  constructor(private readonly page: string) {}

  /** Posts what `send` makes of a new request id (`what` names it in errors); resolves with the answer settle() brings. */
  ask(what: string, send: (requestId: number) => Promise<boolean>): Promise<T> {
    const requestId = this.nextRequestId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(requestId);
        reject(new Error(`${this.page} did not answer ${what} within ${REPLY_TIMEOUT_MS} ms`));
      }, REPLY_TIMEOUT_MS);
      this.waiting.set(requestId, { resolve, reject, timer });
      void send(requestId).then((delivered) => {
        if (delivered) return;
        clearTimeout(timer);
        this.waiting.delete(requestId);
        reject(new Error(`${this.page} could not be sent ${what}`));
      });
    });
  }

  /** The page answered `requestId`; a late answer, or one nobody asked for, is ignored. */
  settle(requestId: number, value: T): void {
    const entry = this.waiting.get(requestId);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.waiting.delete(requestId);
    entry.resolve(value);
  }

  /** The page went away: nothing it was asked will be answered. */
  rejectAll(): void {
    for (const entry of this.waiting.values()) {
      clearTimeout(entry.timer);
      entry.reject(new Error(`${this.page} was hidden or closed before it answered`));
    }
    this.waiting.clear();
  }
}
