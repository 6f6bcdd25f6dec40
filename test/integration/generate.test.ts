// Generating from the editor against the simulated cloud: real files in the test workspace, real
// Markdown edits, real metadata; and the refusals that must send nothing.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readImageMetadata } from '../../src/core/images/metadata';
import type { GenerateOutcome } from '../../src/vscode/commands/generation';
import { outputDirectoryIn } from '../../src/vscode/output-folder';
import { useFakeCloud } from './support/cloud';
import { canTakeScreenshots, takeScreenshot } from './support/screenshot';
import { updateWorkspaceSettings } from './support/settings';
import { closeAllEditors, listFiles, openEditor, readFileBytes, readFileText, removeAll, writeFile } from './support/workspace';

const OUTPUT = 'assets/generated';
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];

function generate(command: string, ...args: unknown[]): Thenable<GenerateOutcome> {
  return vscode.commands.executeCommand<GenerateOutcome>(`imageStudio.${command}`, ...args);
}

/** Every file the output folder holds, hidden ones (a leftover `.part`) included. */
async function outputFiles(): Promise<string[]> {
  return listFiles(OUTPUT);
}

describe('generate from a Markdown selection', () => {
  const fake = useFakeCloud({ jobSeconds: 0.3 });

  beforeEach(async () => {
    await closeAllEditors();
    await removeAll(OUTPUT);
    fake.cloud.setFaults([]);
  });
  after(closeAllEditors);

  it('saves a real PNG into assets/generated with the AIGC label and the prompt, and links it after the selection in one undoable edit', async () => {
    const prompt = '雪中的红狐狸 at dawn';
    const original = `# Ideas\n\n${prompt}\n\nThe end.\n`;
    await writeFile('notes/ideas.md', original);
    const editor = await openEditor('notes/ideas.md', prompt);

    const outcome = await generate('generateFromSelection');

    assert.equal(outcome.state, 'saved', `outcome: ${JSON.stringify(outcome)}`);
    assert.equal(outcome.files.length, 1);
    const [file] = outcome.files;
    assert.match(file!, /^assets\/generated\/雪中的红狐狸-at-dawn-\d{8}-\d{6}\.png$/);
    assert.deepEqual(await outputFiles(), [file!.slice(OUTPUT.length + 1)], 'exactly the one image, no temporary file left behind');

    const bytes = await readFileBytes(file!);
    assert.deepEqual([...bytes.subarray(0, 4)], PNG_MAGIC);
    const metadata = await readImageMetadata(bytes);
    assert.equal(metadata.format, 'png');
    assert.equal(metadata.label?.Label, '1', 'the GB 45438-2025 implicit label marks it as AI-generated');
    assert.equal(metadata.record?.prompt, prompt);
    assert.equal(metadata.record?.model, 'hunyuan-image-job');
    assert.ok(metadata.record?.jobId, 'the record names the cloud job');

    // The link: relative to notes/, URL-encoded (CJK), on the line after the selection.
    const name = file!.split('/').pop()!;
    const target = `../assets/generated/${encodeURIComponent(name)}`;
    assert.match(target, /^\.\.\/assets\/generated\/%E9%9B%AA/, 'the CJK file name is URL-encoded in the link');
    const link = `![${prompt}](${target})`;
    assert.equal(editor.document.getText(), original.replace(`${prompt}\n`, `${prompt}\n${link}\n`));
    assert.equal(editor.document.getText(editor.selection), prompt, 'the selection does not grow over the link');

    if (canTakeScreenshots()) await takeScreenshot('generate-from-selection');

    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), original, 'one undo removes the inserted link');
  });

  it('saves and links every image of a task that makes two', async () => {
    const prompt = 'two lighthouses on a cliff';
    const original = `${prompt}\n`;
    await writeFile('two.md', original);
    const editor = await openEditor('two.md', prompt);

    const outcome = await generate('generateWithOptions', { modelId: 'hunyuan-image-job', resolution: '1024:1024', style: '', count: 2, negativePrompt: '' });

    assert.equal(outcome.state, 'saved', `outcome: ${JSON.stringify(outcome)}`);
    assert.equal(outcome.files.length, 2);
    assert.notEqual(outcome.files[0], outcome.files[1]);
    assert.deepEqual(await outputFiles(), outcome.files.map((f) => f.slice(OUTPUT.length + 1)).sort());
    for (const file of outcome.files) assert.equal((await readImageMetadata(await readFileBytes(file))).record?.prompt, prompt);
    const links = outcome.files.map((file) => `![${prompt}](${file.split('/').map(encodeURIComponent).join('/')})`);
    assert.equal(editor.document.getText(), `${prompt}\n${links.join('\n')}\n`);
  });

  it('takes the prompt from the selection at the moment the command ran, not one made while it started', async () => {
    const first = 'a paper boat on a pond';
    const second = 'a kite over the dunes';
    await writeFile('notes/two-ideas.md', `${first}\n${second}\n`);
    const editor = await openEditor('notes/two-ideas.md', first);

    // The command is handed to the extension at once; the user selects the next line before it has
    // done anything (on a first command the studio is still loading then).
    const running = generate('generateFromSelection');
    editor.selection = new vscode.Selection(1, 0, 1, second.length);
    const outcome = await running;

    assert.equal(outcome.state, 'saved', `outcome: ${JSON.stringify(outcome)}`);
    assert.equal((await readImageMetadata(await readFileBytes(outcome.files[0]!))).record?.prompt, first);
    const link = `![${first}](../${outcome.files[0]!.split('/').map(encodeURIComponent).join('/')})`;
    assert.equal(editor.document.getText(), `${first}\n${link}\n${second}\n`, 'the link follows the line it was made from');
  });

  it('a moderation refusal fails the task with the cloud code and saves nothing', async () => {
    fake.cloud.setFaults(['moderation-text']);
    await writeFile('refused.md', 'something the reviewer refuses\n');
    const editor = await openEditor('refused.md', 'something the reviewer refuses');

    const outcome = await generate('generateFromSelection');

    assert.equal(outcome.state, 'failed');
    assert.equal(outcome.errorCode, 'OperationDenied.TextIllegalDetected');
    assert.deepEqual(outcome.files, []);
    assert.deepEqual(await outputFiles(), []);
    assert.equal(editor.document.getText(), 'something the reviewer refuses\n', 'no link for a failed task');
  });

  it('an over-long prompt is refused with Client.PromptTooLong and nothing is sent', async () => {
    const before = fake.cloud.stats().requests;
    const outcome = await generate('generate', 'x'.repeat(1025));

    assert.equal(outcome.state, 'refused');
    assert.equal(outcome.errorCode, 'Client.PromptTooLong');
    assert.equal(outcome.taskId, undefined, 'no task was queued');
    assert.deepEqual(fake.cloud.stats().requests, before, 'no request reached the cloud');
    assert.deepEqual(await outputFiles(), []);
  });

  it('an output folder that cannot be created fails the task with a specific error and leaves nothing behind', async () => {
    await writeFile('blocker', 'a file where the output folder should be\n');
    const restore = await updateWorkspaceSettings({ outputFolder: 'blocker/images' });
    try {
      const outcome = await generate('generate', 'a harbour in the fog');
      assert.equal(outcome.state, 'failed', `outcome: ${JSON.stringify(outcome)}`);
      assert.equal(outcome.errorCode, 'Client.FolderUnavailable');
      assert.deepEqual(outcome.files, []);
      assert.equal(await readFileText('blocker'), 'a file where the output folder should be\n');
    } finally {
      await restore();
      await removeAll('blocker');
    }
  });

  it('resolves the output folder inside the workspace folder and refuses one that leaves it', () => {
    const folder = vscode.workspace.workspaceFolders![0]!;
    assert.equal(outputDirectoryIn(folder, 'assets/generated').toString(), vscode.Uri.joinPath(folder.uri, 'assets', 'generated').toString());
    assert.equal(outputDirectoryIn(folder, './a/../b\\c').toString(), vscode.Uri.joinPath(folder.uri, 'b', 'c').toString());
    assert.equal(outputDirectoryIn(folder, '.').toString(), folder.uri.toString());
    for (const escape of ['../outside', 'a/../../outside', '/etc', 'C:\\Windows', 'file:///tmp']) {
      assert.throws(() => outputDirectoryIn(folder, escape), (error: { code?: string }) => error.code === 'Client.OutputFolderOutside', escape);
    }
  });
});

describe('generate without credentials', () => {
  const fake = useFakeCloud({ credentials: 'none' });

  before(async () => {
    await vscode.commands.executeCommand('imageStudio.clearCredentials', { confirmed: true });
    await closeAllEditors();
    await removeAll(OUTPUT);
  });

  it('is refused with Client.MissingCredentials at once, and nothing is sent', async () => {
    const outcome = await generate('generate', 'a lighthouse at night');

    assert.equal(outcome.state, 'refused');
    assert.equal(outcome.errorCode, 'Client.MissingCredentials');
    assert.deepEqual(fake.cloud.stats().requests, {}, 'no request reached the cloud');
    assert.deepEqual(await outputFiles(), []);
  });
});
