// What the demo has started, in order, so that stopping undoes it in reverse: VS Code before the
// sandbox it uses is deleted, and the simulated cloud last (VS Code's extension may still talk to it
// while it shuts down).
export class Cleanup {
  private readonly steps: { readonly what: string; readonly run: () => unknown }[] = [];
  private ran = false;

  /** True once run() has started: startup steps check it so nothing new starts while the demo stops. */
  get closed(): boolean {
    return this.ran;
  }

  /** Registers an undo step; resolves the function that unregisters it (for work that ended by itself). */
  add(what: string, run: () => unknown): () => void {
    const step = { what, run };
    if (this.ran) {
      // Started while the demo was already stopping: undo it at once.
      void Promise.resolve().then(run);
      return () => undefined;
    }
    this.steps.push(step);
    return () => {
      const at = this.steps.indexOf(step);
      if (at >= 0) this.steps.splice(at, 1);
    };
  }

  /** Runs every step, newest first; a failing step is reported and the others still run. */
  async run(): Promise<void> {
    this.ran = true;
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step.run();
      } catch (error) {
        console.error(`[demo] could not stop ${step.what}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
