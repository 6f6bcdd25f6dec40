/** What the job engine needs from the outside world, as interfaces (implemented in core/images, src/vscode, tests). */
import type { GenerationRecord } from '../images/record';
import type { GenerationRequest, ModelId, ResultImage } from '../providers/types';
import type { CallTarget } from '../tencent/caller';

/**
 * The editor's workspace folder that held a task's output folder when the task started: its URI
 * (as a string) and the name the user knows it by. The core only carries it; the editor's saver
 * refuses to write into a folder the user has since closed.
 */
export interface WorkspaceFolderRef {
  readonly uri: string;
  readonly name: string;
}

export interface SaveImageRequest {
  readonly image: ResultImage;
  /** Absolute folder to save into (created when missing). */
  readonly directory: string;
  /** The workspace folder `directory` belongs to: the image is saved only while it is still open. */
  readonly workspaceFolder?: WorkspaceFolderRef;
  /** The prompt: the file name is derived from it. */
  readonly prompt: string;
  readonly record: GenerationRecord;
  readonly signal?: AbortSignal;
  /** When a URL result stops working (epoch ms, GenerationResult.expiresAt): a 403/404 after it reads "expired". */
  readonly expiresAt?: number;
}

export interface SavedImage {
  readonly path: string;
  readonly bytes: number;
  readonly format: 'png' | 'jpeg' | 'webp' | 'bmp' | 'tiff';
}

/** Downloads (or decodes) one result image and saves it atomically with its metadata. */
export interface ImageSaver {
  save(request: SaveImageRequest): Promise<SavedImage>;
}

/** A submitted async job, written before polling starts so a reload can resume it. */
export interface JournalEntry {
  readonly taskId: string;
  readonly modelId: ModelId;
  readonly jobId: string;
  readonly request: Omit<GenerationRequest, 'referenceImages'>;
  readonly directory: string;
  /**
   * The workspace folder of `directory` when the task started. Journalled because removing the first
   * folder of a workspace restarts the extension host: the resumed task must still know which
   * folder it may save into (absent in entries of older versions, and for folders outside any).
   */
  readonly workspaceFolder?: WorkspaceFolderRef;
  readonly submittedAt: number;
  /** RequestId of the submit call, for support. */
  readonly requestId: string;
  /** Where the job was submitted, so it is queried there (absent in entries of older versions: the settings). */
  readonly target?: CallTarget;
}

/** A job the cloud accepted: its id, when it was sent, and where (its queries go to the same place). */
export interface SubmittedJob {
  readonly jobId: string;
  readonly submittedAt: number;
  readonly target?: CallTarget;
}

/** Persistence for submitted jobs (a VS Code Memento in the extension, memory in tests). */
export interface Journal {
  list(): Promise<readonly JournalEntry[]>;
  put(entry: JournalEntry): Promise<void>;
  remove(taskId: string): Promise<void>;
}
