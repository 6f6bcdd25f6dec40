/**
 * The `ready` handshake's gate, shared by the task panel and the gallery: whenReady() hands out its
 * promise, which resolves once the page has said `ready` and has been sent what it shows.
 *
 * When the page goes away (hidden, reloaded) the gate starts over, but only if it had opened: a gate
 * nobody got through yet is kept, because callers already wait on it and the page's next `ready`
 * must let them through. (Replacing it left them waiting forever on a gate nothing would open.)
 */
export class ReadyGate {
  private current = ReadyGate.closed();

  /** Resolves once open() is called (on this gate, or the one it started over as). */
  get promise(): Promise<void> {
    return this.current.promise;
  }

  open(): void {
    this.current.opened = true;
    this.current.release();
  }

  /** The page went away: later callers wait for its next `ready`; callers still waiting keep waiting. */
  reset(): void {
    if (this.current.opened) this.current = ReadyGate.closed();
  }

  private static closed(): { promise: Promise<void>; release: () => void; opened: boolean } {
    let release!: () => void;
    const promise = new Promise<void>((resolve) => (release = resolve));
    return { promise, release, opened: false };
  }
}
