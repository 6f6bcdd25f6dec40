/**
 * The composition root of the VS Code layer (bundled as dist/studio.js, loaded on the first
 * command): settings, credentials, the log, the engine with its Memento journal, the task panel,
 * the status bar, the gallery (built when first opened) and the command handlers. src/extension.ts
 * forwards every command and the gallery view's resolution here.
 */
import * as vscode from 'vscode';
import type { TaskEvent } from '../core/jobs/engine';
import type { TaskSnapshot } from '../core/jobs/task';
import type { CommandName } from '../extension';
import { checkConnectionCommand } from './connection';
import { clearCredentialsCommand, CredentialStore, setCredentialsCommand } from './credentials';
import { EngineHost } from './engine-host';
import { DISMISSED, type GenerateOutcome, Generator, displayPath, filesOf } from './commands/generation';
import { asStudioError, describeError, showStudioError } from './commands/messages';
import { type GenerateOptions, pickGenerationOptions, requestFromSettings } from './commands/options';
import { askPrompt, linkAnchorFor, selectionPrompt } from './commands/prompts';
import { planStylize, type StylizeOptions } from './commands/stylize';
import { StudioTaskActions } from './commands/task-actions';
import { Gallery } from './gallery/gallery';
import { StudioLog } from './log';
import { MementoJournal } from './memento-journal';
import { outputDirectoryIn } from './output-folder';
import { onDidChangeSettings, readSettings, type StudioSettings } from './settings';
import { TaskStatusBar } from './status-bar';
import { TaskPanel } from './task-panel';
import { openWalkthrough } from './walkthrough';
import { locationToUri, uriToLocation } from './workspace-saver';

/** The active editor and its selections at the moment a command was invoked. */
export interface EditorAtInvocation {
  readonly editor: vscode.TextEditor;
  readonly selections: readonly vscode.Selection[];
}

export interface Studio extends vscode.Disposable {
  /** `invokedIn`: the editor when the command was invoked (the prompt commands read its selection). */
  run(command: CommandName, args: unknown[], invokedIn?: EditorAtInvocation): Promise<unknown>;
  restoreTaskPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void>;
  /** VS Code resolved the gallery view (`imageStudio.gallery`): the user opened it. */
  resolveGallery(view: vscode.WebviewView): void;
}

/** What `showTasks` resolves to, newest first. */
export interface TaskSummary {
  readonly id: string;
  readonly state: TaskSnapshot['state'];
  readonly prompt: string;
  readonly modelId: string;
  readonly files: string[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** One line per task transition, with the ids support asks for; never the prompt, never secrets. */
function transitionLine({ task }: TaskEvent): string {
  const ids = [task.jobId && `JobId ${task.jobId}`, task.requestId && `RequestId ${task.requestId}`].filter(Boolean).join(', ');
  const error = task.error ? ` ${task.error.code}: ${task.error.message}` : '';
  const files = task.state === 'saved' ? ` -> ${task.files.map((file) => file.path).join(', ')}` : '';
  return `Task ${task.id} (${task.modelId}) ${task.state}${ids ? ` [${ids}]` : ''}${error}${files}`;
}

class StudioImpl implements Studio {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly log = new StudioLog();
  private settings: StudioSettings;
  private readonly credentials: CredentialStore;
  private readonly host: EngineHost;
  private readonly panel: TaskPanel;
  private readonly generator: Generator;
  /** Folders chosen in save dialogs (no workspace folder open): the panel may show images from them. */
  private readonly extraFolders = new Map<string, vscode.Uri>();
  /** Built on first use (see gallery()). */
  private galleryInstance: Gallery | undefined;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.settings = readSettings();
    this.credentials = new CredentialStore(context.secrets);
    this.host = new EngineHost({
      credentials: () => this.credentials.get(),
      journal: new MementoJournal(context.workspaceState),
      log: this.log,
      settings: this.settings,
      currentSettings: () => readSettings(),
      storage: context.globalStorageUri,
    });
    const { engine } = this.host;
    const actions = new StudioTaskActions({
      engine,
      regenerate: (taskId) => this.regenerate(taskId),
      stylize: (image) => this.stylize(image, {}),
    });
    this.panel = new TaskPanel({ extensionUri: context.extensionUri, engine, actions, log: this.log, localResourceRoots: () => this.resourceRoots() });
    this.generator = new Generator({
      engine,
      saver: this.host.saver,
      credentials: this.credentials,
      log: this.log,
      settings: () => this.settings,
      revealPanel: () => this.panel.reveal(true),
      rememberFolder: (folder) => this.extraFolders.set(folder.toString(), folder),
    });
    const unsubscribe = engine.subscribe((event) => {
      if (event.type === 'state') this.log.info(transitionLine(event));
    });
    this.disposables.push(
      { dispose: unsubscribe },
      this.panel,
      new TaskStatusBar(engine),
      actions,
      this.credentials,
      onDidChangeSettings(() => this.applySettings()),
      // Trusting the workspace lets its endpoint, output folder and proxy settings count (settings.ts).
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.applySettings()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('http.proxy') || event.affectsConfiguration('http.noProxy')) this.applySettings();
      }),
    );
    this.log.info(`AIGC Image Studio ready: model ${this.settings.model}, endpoint ${this.settings.endpoint ?? '(service domains)'}, region ${this.settings.region}`);
    void this.resume();
  }

  async run(command: CommandName, args: unknown[], invokedIn?: EditorAtInvocation): Promise<unknown> {
    // Settings as they are now: a change event may still be on its way when a command runs right
    // after a settings edit (and a task must not go to an endpoint the user has just replaced).
    try {
      this.applySettings();
      return await this.dispatch(command, args, invokedIn);
    } catch (error) {
      // A command must never fail silently: show it, log it, and answer like a refusal.
      const studioError = asStudioError(error);
      this.log.error(`Command ${command} failed: ${describeError(studioError)}`);
      showStudioError(studioError);
      return command.startsWith('generate') || command === 'stylizeImage' ? { state: 'refused', files: [], errorCode: studioError.code } : undefined;
    }
  }

  restoreTaskPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    return this.panel.restore(panel, state);
  }

  resolveGallery(view: vscode.WebviewView): void {
    this.gallery().resolve(view);
  }

  /**
   * Arguments that replace the credential dialogs are honoured only while the extension runs under
   * its tests: otherwise any other extension could overwrite the user's keys without asking, and a
   * key binding with arguments would leave a SecretKey in keybindings.json.
   */
  private automationArguments(args: unknown[]): unknown[] {
    return this.context.extensionMode === vscode.ExtensionMode.Test ? args : [];
  }

  dispose(): void {
    this.galleryInstance?.dispose();
    for (const disposable of this.disposables.splice(0).reverse()) disposable.dispose();
    // Running jobs stay in the journal: the next session resumes them.
    this.host.dispose();
    this.log.dispose();
  }

  private dispatch(command: CommandName, args: unknown[], invokedIn: EditorAtInvocation | undefined): Promise<unknown> {
    switch (command) {
      case 'generateFromSelection':
        return this.generateFromSelection(invokedIn);
      case 'generate':
        return this.generate(typeof args[0] === 'string' ? args[0] : undefined, invokedIn);
      case 'generateWithOptions':
        return this.generateWithOptions(isObject(args[0]) ? (args[0] as GenerateOptions) : {}, invokedIn);
      case 'stylizeImage':
        // From the explorer: (clicked uri, all selected uris); the options object only from callers.
        return this.stylize(args[0] instanceof vscode.Uri ? args[0] : undefined, isObject(args[1]) ? (args[1] as StylizeOptions) : {});
      case 'setCredentials':
        return setCredentialsCommand(this.credentials, this.automationArguments(args));
      case 'clearCredentials':
        return clearCredentialsCommand(this.credentials, this.automationArguments(args));
      case 'checkConnection':
        return checkConnectionCommand(this.host.caller, this.settings, this.log, this.credentials);
      case 'showTasks':
        this.panel.reveal(false);
        return Promise.resolve(this.taskSummaries());
      case 'cancelAll':
        return Promise.resolve(this.host.engine.cancelAll());
      case 'cancelTask':
        return Promise.resolve(typeof args[0] === 'string' && this.host.engine.cancel(args[0]));
      case 'openGallery':
        return this.gallery().open();
      case 'refreshGallery':
        return this.gallery().refresh();
      case 'openOutputFolder':
        return this.gallery().openOutputFolder();
      case 'openWalkthrough':
        return openWalkthrough(this.context.extension.id);
      case 'galleryForTests':
        // The tests' way to the extension's own gallery; nobody else gets its internals.
        return Promise.resolve(this.context.extensionMode === vscode.ExtensionMode.Test ? this.gallery().testHandle() : undefined);
    }
  }

  /** The gallery's index, watchers and view host, built on first use. */
  private gallery(): Gallery {
    this.galleryInstance ??= new Gallery({
      context: this.context,
      engine: this.host.engine,
      credentials: this.credentials,
      log: this.log,
      settings: () => this.settings,
      generate: (request, directory) => this.generator.generate({ request, directory: uriToLocation(directory) }),
      stylize: (image) => this.stylize(image, {}),
    });
    return this.galleryInstance;
  }

  /** Starts at once with the current settings; only an empty selection asks for a prompt. */
  private async generateFromSelection(invokedIn: EditorAtInvocation | undefined): Promise<GenerateOutcome> {
    const selection = selectionPrompt(invokedIn);
    if (selection.text === '') return this.generate(undefined, invokedIn);
    return this.generator.generate({
      request: requestFromSettings(this.settings, selection.text),
      origin: selection.editor?.document.uri,
      anchor: linkAnchorFor(selection, selection.text, this.settings),
    });
  }

  /** An input box prefilled with the selection (skipped when the prompt is given). */
  private async generate(given: string | undefined, invokedIn: EditorAtInvocation | undefined): Promise<GenerateOutcome> {
    const selection = selectionPrompt(invokedIn);
    const prompt = given ?? (await askPrompt(selection.text));
    if (prompt === undefined) return DISMISSED;
    return this.generator.generate({
      request: requestFromSettings(this.settings, prompt),
      origin: selection.editor?.document.uri ?? vscode.window.activeTextEditor?.document.uri,
      anchor: linkAnchorFor(selection, prompt, this.settings),
    });
  }

  private async generateWithOptions(given: GenerateOptions, invokedIn: EditorAtInvocation | undefined): Promise<GenerateOutcome> {
    const selection = selectionPrompt(invokedIn);
    const prompt = given.prompt ?? (selection.text !== '' ? selection.text : await askPrompt(''));
    if (prompt === undefined) return DISMISSED;
    const options = await pickGenerationOptions(given, this.context.globalState, this.settings);
    if (!options) return DISMISSED;
    return this.generator.generate({
      request: { ...options, prompt },
      origin: selection.editor?.document.uri,
      anchor: linkAnchorFor(selection, prompt, this.settings),
    });
  }

  private async stylize(image: vscode.Uri | undefined, given: StylizeOptions): Promise<GenerateOutcome> {
    const plan = await planStylize(image, given, this.context.globalState, this.settings);
    if (!plan) return DISMISSED;
    // Saved next to the other outputs of the folder the image is in.
    return this.generator.generate({ request: plan.request, origin: plan.image });
  }

  /** The same request into the same folder, with a new random seed. */
  private async regenerate(taskId: string): Promise<GenerateOutcome> {
    const task = this.host.engine.get(taskId);
    if (!task) return DISMISSED;
    return this.generator.generate({ request: { ...task.request, seed: undefined }, directory: task.directory });
  }

  private taskSummaries(): TaskSummary[] {
    return this.host.engine
      .list()
      .map((task) => ({ id: task.id, state: task.state, prompt: task.request.prompt, modelId: task.modelId, files: filesOf(task) }))
      .reverse();
  }

  private applySettings(): void {
    this.settings = readSettings();
    this.host.update(this.settings);
  }

  /** Jobs submitted before a window reload: polled again and saved (the panel shows them). */
  private async resume(): Promise<void> {
    try {
      const tasks = await this.host.engine.resume();
      if (tasks.length > 0) {
        this.log.info(`Resumed ${tasks.length} job(s) from before the reload`);
        this.panel.reveal(true);
      }
      for (const task of tasks) {
        void task.settled.then((snapshot) => {
          if (snapshot.state === 'failed' && snapshot.error) showStudioError(snapshot.error);
          if (snapshot.state === 'saved') this.log.info(`Resumed task ${snapshot.id} saved ${snapshot.files.map((file) => displayPath(file.path)).join(', ')}`);
        });
      }
    } catch (error) {
      this.log.error(`Could not resume journalled jobs: ${describeError(asStudioError(error))}`);
    }
  }

  /** What the panel's webview may load: media/, every workspace folder's output folder, folders tasks saved into. */
  private resourceRoots(): vscode.Uri[] {
    const roots = new Map<string, vscode.Uri>([[this.context.extensionUri.toString(), vscode.Uri.joinPath(this.context.extensionUri, 'media')]]);
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      try {
        const directory = outputDirectoryIn(folder, readSettings(folder.uri, () => undefined).outputFolder);
        roots.set(directory.toString(), directory);
      } catch {
        // An output folder outside the workspace is refused when saving; nothing to show from it.
      }
    }
    for (const task of this.host.engine.list()) {
      const directory = locationToUri(task.directory);
      roots.set(directory.toString(), directory);
    }
    for (const [key, folder] of this.extraFolders) roots.set(key, folder);
    return [...roots.values()];
  }
}

export function createStudio(context: vscode.ExtensionContext): Studio {
  return new StudioImpl(context);
}
