// What the demo needs from either VS Code it can start (the desktop one, or the offline runtime in
// the browser): how to reach it and how it may end by itself. Each registers its own stop with the
// cleanup as soon as it has started a process.
import type { Cleanup } from './cleanup';
import type { Sandbox } from './sandbox';

export interface EditorLaunch {
  readonly repo: string;
  readonly sandbox: Sandbox;
  /** The packaged extension, installed into the sandbox's extensions folder. */
  readonly vsix: string;
  /** The editor's environment: the user's, plus the demo credentials. */
  readonly environment: NodeJS.ProcessEnv;
  readonly cleanup: Cleanup;
}

export interface Ending {
  /** False when it died (the demo then exits non-zero); true when the user closed it. */
  readonly expected: boolean;
  readonly message: string;
}

export interface Editor {
  /** What the user sees, for the "ready" lines (e.g. "VS Code in the browser"). */
  readonly name: string;
  /** The address to open; undefined when the editor opened its own window. */
  readonly url?: string;
  /** Resolves if the editor ends by itself; never once the cleanup has begun stopping it. */
  readonly ended: Promise<Ending>;
}
