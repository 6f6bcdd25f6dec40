// Style transfer (aiart ImageToImage) on workspace images, against the simulated cloud.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readImageMetadata } from '../../src/core/images/metadata';
import type { GenerateOutcome } from '../../src/vscode/commands/generation';
import { makePng } from '../unit/image-fixtures';
import { useFakeCloud } from './support/cloud';
import { listFiles, readFileBytes, removeAll, workspaceUri, writeFile } from './support/workspace';

const OUTPUT = 'assets/generated';

/** A real (tiny, single-frame) GIF: header, screen descriptor, one 1×1 image, trailer. */
const GIF = Uint8Array.from([
  ...Buffer.from('GIF89a'), 0x40, 0x00, 0x40, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff,
  0x2c, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
]);

function stylize(image: vscode.Uri, options: { style?: string; strength?: number }): Thenable<GenerateOutcome> {
  return vscode.commands.executeCommand<GenerateOutcome>('imageStudio.stylizeImage', image, options);
}

describe('stylize an image', () => {
  const fake = useFakeCloud({ jobSeconds: 0.2 });

  beforeEach(() => removeAll(OUTPUT));

  it('saves a new image from a PNG in the workspace', async () => {
    const source = await writeFile('pictures/photo.png', makePng(320, 240));

    const outcome = await stylize(source, { style: '201', strength: 0.6 });

    assert.equal(outcome.state, 'saved', `outcome: ${JSON.stringify(outcome)}`);
    assert.equal(outcome.files.length, 1);
    assert.ok(outcome.files[0]!.startsWith(`${OUTPUT}/`), outcome.files[0]);
    assert.deepEqual(await listFiles(OUTPUT), [outcome.files[0]!.slice(OUTPUT.length + 1)]);
    const metadata = await readImageMetadata(await readFileBytes(outcome.files[0]!));
    assert.equal(metadata.record?.model, 'aiart-image-to-image');
    assert.equal(metadata.record?.style, '201');
    assert.equal(metadata.label?.Label, '1');
    assert.equal(fake.cloud.stats().submits.ImageToImage, 1);
    // The source is untouched.
    assert.equal(Buffer.compare(Buffer.from(await readFileBytes('pictures/photo.png')), makePng(320, 240)), 0);
  });

  it('refuses a GIF with a clear code, and sends nothing', async () => {
    const source = await writeFile('pictures/anim.gif', GIF);
    const before = fake.cloud.stats().requests;

    const outcome = await stylize(source, { style: '201', strength: 0.6 });

    assert.equal(outcome.state, 'refused');
    assert.equal(outcome.errorCode, 'Client.ImageFormatUnsupported');
    assert.deepEqual(fake.cloud.stats().requests, before, 'no request reached the cloud');
    assert.deepEqual(await listFiles(OUTPUT), []);
  });

  it('reports a missing file as unreadable, and sends nothing', async () => {
    const before = fake.cloud.stats().requests;
    const outcome = await stylize(workspaceUri('pictures/missing.png'), { style: '201', strength: 0.6 });
    assert.equal(outcome.state, 'refused');
    assert.equal(outcome.errorCode, 'Client.ImageUnreadable');
    assert.deepEqual(fake.cloud.stats().requests, before);
  });
});
