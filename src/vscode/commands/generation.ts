/**
 * Running one generation from a command: the checks that come before a task exists, the task, and
 * what happens once it settles (Markdown links, the error notification). Every generate command and
 * the panel's "Regenerate" end here.
 *
 *   validate (nothing sent) -> credentials (a non-blocking "Set Credentials" offer that continues the
 *   same generation) -> output folder (a save dialog when no folder is open) -> engine.start
 *   -> the panel shows it -> settled: links inserted, errors shown -> GenerateOutcome
 */
import * as vscode from 'vscode';
import type { GenerationEngine } from '../../core/jobs/engine';
import type { TaskSnapshot, TaskState } from '../../core/jobs/task';
import { getProvider } from '../../core/providers/catalog';
import type { GenerationRequest } from '../../core/providers/types';
import { missingCredentialsError } from '../../core/tencent/error-catalog';
import type { CredentialStore } from '../credentials';
import type { StudioLog } from '../log';
import type { MarkdownLinkAnchor } from '../markdown-link';
import { chooseOutput } from '../output-folder';
import { readSettings, type StudioSettings } from '../settings';
import { locationToUri, uriToLocation, type WorkspaceImageSaver, workspaceFolderRef } from '../workspace-saver';
import { asStudioError, describeError, localized, showStudioError } from './messages';

/** What a generate command resolves to (tests and other extensions rely on it). */
export interface GenerateOutcome {
  readonly taskId?: string;
  /** 'refused': failed before a task existed; 'dismissed': the user closed an input box or quick pick. */
  readonly state: TaskState | 'refused' | 'dismissed';
  /** Workspace-relative paths of the saved images. */
  readonly files: string[];
  readonly errorCode?: string;
}

export const DISMISSED: GenerateOutcome = Object.freeze({ state: 'dismissed', files: [] });

export function refused(errorCode: string): GenerateOutcome {
  return { state: 'refused', files: [], errorCode };
}

export interface GenerationPlan {
  readonly request: GenerationRequest;
  /** The file the prompt (or the image) came from: its workspace folder receives the results. */
  readonly origin?: vscode.Uri;
  /** Where the images' Markdown links go; set only for a Markdown selection with links on 'auto'. */
  readonly anchor?: MarkdownLinkAnchor;
  /** Save into this location instead of choosing (Regenerate keeps the first task's folder). */
  readonly directory?: string;
}

export interface GeneratorOptions {
  readonly engine: GenerationEngine;
  readonly saver: WorkspaceImageSaver;
  readonly credentials: CredentialStore;
  readonly log: StudioLog;
  readonly settings: () => StudioSettings;
  /** Opens (or reveals) the task panel without taking the focus from the editor. */
  readonly revealPanel: () => void;
  /** Folders chosen in a save dialog, so the panel may show their images too. */
  readonly rememberFolder: (folder: vscode.Uri) => void;
}

/** Workspace-relative when inside a workspace folder, else the full path. */
export function displayPath(location: string): string {
  return vscode.workspace.asRelativePath(locationToUri(location), false);
}

export function filesOf(snapshot: TaskSnapshot): string[] {
  return snapshot.files.map((file) => displayPath(file.path));
}

export class Generator {
  constructor(private readonly options: GeneratorOptions) {}

  /** Runs `plan` to its end. Owns `plan.anchor` from here on and disposes of it when done. */
  async generate(plan: GenerationPlan): Promise<GenerateOutcome> {
    let handedOver = false;
    try {
      try {
        getProvider(plan.request.modelId).validate(plan.request);
      } catch (error) {
        return this.refuse(error);
      }
      if (!(await this.options.credentials.get())) {
        handedOver = true;
        this.offerCredentials(plan);
        this.options.log.warn('Generation refused: no credentials (nothing was sent)');
        return refused(missingCredentialsError().code);
      }
      return await this.startAndSettle(plan);
    } finally {
      if (!handedOver) plan.anchor?.dispose();
    }
  }

  /**
   * The warning for missing credentials. Not awaited: the command has answered already. Choosing
   * "Set Credentials" runs that flow and, once keys are stored, the same generation.
   */
  private offerCredentials(plan: GenerationPlan): void {
    const setCredentials = vscode.l10n.t('Set Credentials');
    const error = missingCredentialsError();
    void Promise.resolve(vscode.window.showWarningMessage(localized(error.explanation), setCredentials))
      .then(async (choice) => {
        if (choice !== setCredentials || !(await this.options.credentials.promptAndStore())) return;
        this.options.log.info('Credentials stored; continuing the generation that asked for them');
        await this.startAndSettle(plan);
      })
      .catch((caught: unknown) => this.options.log.error(`Continuing after Set Credentials failed: ${describeError(asStudioError(caught))}`))
      .finally(() => plan.anchor?.dispose());
  }

  private async startAndSettle(plan: GenerationPlan): Promise<GenerateOutcome> {
    const { engine, saver, log } = this.options;
    let directory = plan.directory;
    let forgetStem: (() => void) | undefined;
    if (directory === undefined) {
      let choice;
      try {
        // The folder's own setting: in a multi-root workspace each folder may name its own.
        choice = await chooseOutput(plan.origin, (folder) => readSettings(folder.uri).outputFolder, plan.request.prompt);
      } catch (error) {
        return this.refuse(error);
      }
      if (!choice) return DISMISSED;
      directory = uriToLocation(choice.directory);
      if (choice.preferredStem) {
        this.options.rememberFolder(choice.directory);
        forgetStem = saver.preferStem(directory, plan.request.prompt, choice.preferredStem);
      }
    }
    // A folder that is closed while the task runs must not receive its image (workspace-saver.ts).
    const workspaceFolder = workspaceFolderRef(vscode.workspace.getWorkspaceFolder(locationToUri(directory)));
    try {
      let task;
      try {
        task = engine.start(plan.request, { directory, workspaceFolder });
      } catch (error) {
        return this.refuse(error);
      }
      log.info(`Task ${task.id} queued: ${plan.request.modelId}, ${Array.from(plan.request.prompt).length} characters of prompt, into ${directory}`);
      this.options.revealPanel();
      const snapshot = await task.settled;
      if (snapshot.state === 'saved' && plan.anchor) await this.insertLinks(plan, snapshot);
      if (snapshot.state === 'failed' && snapshot.error) {
        // The notification goes away; the log keeps what the user was told, for them and for support.
        log.warn(`Task ${task.id} failed; shown to the user: ${describeError(snapshot.error)}`);
        showStudioError(snapshot.error);
      }
      return { taskId: task.id, state: snapshot.state, files: filesOf(snapshot), errorCode: snapshot.error?.code };
    } finally {
      forgetStem?.();
    }
  }

  private async insertLinks(plan: GenerationPlan, snapshot: TaskSnapshot): Promise<void> {
    const images = snapshot.files.map((file) => locationToUri(file.path));
    const inserted = await plan.anchor!.insert(images, plan.request.prompt);
    if (!inserted) {
      this.options.log.info(`Task ${snapshot.id}: the Markdown link was not inserted (the text around the selection changed or the file was closed)`);
      void vscode.window.showInformationMessage(
        vscode.l10n.t('The image was saved, but the text around the selection changed, so no link was inserted. Use "Insert Markdown Link" in the task panel.'),
      );
    }
  }

  private refuse(error: unknown): GenerateOutcome {
    const studioError = asStudioError(error);
    this.options.log.warn(`Generation refused before anything was sent: ${studioError.code} ${studioError.message}`);
    showStudioError(studioError);
    return refused(studioError.code);
  }
}
