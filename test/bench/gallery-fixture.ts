/**
 * The gallery benchmark's workspace: N real 1024×1024 PNGs with our metadata (the AIGC label and
 * the generation record, written by the same code that saves real results) in
 * `<dir>/assets/generated/`, drawn by the simulated cloud's picture maker.
 *
 * Drawing 2,000 pictures takes about a minute, so the folder is kept (bench/tmp/ is git-ignored)
 * and reused while its marker says it was made with the same N and side.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { buildAigcLabel } from '../../src/core/images/aigc-label';
import { addImageMetadata } from '../../src/core/images/metadata';
import { fileStem } from '../../src/core/images/naming';
import type { GenerationRecord } from '../../src/core/images/record';
import { listModels } from '../../src/core/providers/catalog';
import { drawImage } from '../fake-cloud/draw';

export const FIXTURE_OUTPUT_FOLDER = 'assets/generated';

const SUBJECTS = ['a red fox', 'a lighthouse', 'an old tram', 'a paper crane', 'a tea house', 'a snow leopard', '雪中的红狐狸', '江南水乡的小桥', '赛博朋克城市夜景', 'a koi pond'];
const PLACES = ['at dawn', 'in the rain', 'under the stars', 'in autumn', 'on a misty hill', '水墨风格', 'in spring', 'by the sea'];
const STYLES = ['riman', 'shuimo', undefined, 'xieshi', undefined];

/** Prompt, model and time of image i: varied, deterministic, oldest first. */
function recordFor(index: number, modelIds: readonly string[], start: number): GenerationRecord {
  const prompt = `${SUBJECTS[index % SUBJECTS.length]} ${PLACES[Math.floor(index / SUBJECTS.length) % PLACES.length]}, #${index + 1}`;
  return {
    prompt,
    negativePrompt: index % 7 === 0 ? 'blurry, text' : undefined,
    model: modelIds[index % modelIds.length] ?? 'hunyuan-image-job',
    size: '1024:1024',
    style: STYLES[index % STYLES.length],
    seed: 1000 + index,
    requestId: `bench-request-${String(index).padStart(5, '0')}`,
    jobId: index % 2 === 0 ? `bench-job-${String(index).padStart(5, '0')}` : undefined,
    // One image a minute, ending a day before now.
    time: new Date(start + index * 60_000).toISOString(),
  };
}

/** Makes (or reuses) the workspace; returns the path of its output folder. */
export async function ensureGalleryFixture(workspace: string, count: number, side = 1024, log: (line: string) => void = () => {}): Promise<string> {
  const folder = path.join(workspace, FIXTURE_OUTPUT_FOLDER);
  const marker = path.join(workspace, 'fixture.json');
  const wanted = JSON.stringify({ count, side, version: 1 });
  if (existsSync(marker) && readFileSync(marker, 'utf8') === wanted) return folder;

  await rm(workspace, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  const modelIds = listModels().map((model) => model.id);
  const start = Date.now() - 86_400_000 - count * 60_000;
  const started = Date.now();
  for (let index = 0; index < count; index++) {
    const record = recordFor(index, modelIds, start);
    const png = drawImage({ prompt: record.prompt, width: side, height: side, format: 'png', seed: record.seed });
    const bytes = await addImageMetadata(png, { record, label: buildAigcLabel(record) });
    const file = path.join(folder, `${fileStem(record.prompt, new Date(record.time))}.png`);
    await writeFile(file, bytes);
    const time = new Date(record.time);
    await utimes(file, time, time);
    if ((index + 1) % 250 === 0) log(`${index + 1} of ${count} images drawn (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  await writeFile(marker, wanted);
  return folder;
}
