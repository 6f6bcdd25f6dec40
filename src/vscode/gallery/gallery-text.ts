/**
 * The gallery page's words (it has no localisation of its own) and the mapping from index entries
 * to the items it renders: model and style labels from the catalog in the user's language.
 */
import * as vscode from 'vscode';
import { entryTime, type GalleryEntry } from '../../core/gallery/entry';
import { getModel } from '../../core/providers/catalog';
import type { ModelSpec } from '../../core/providers/types';
import type { GalleryItem, GalleryModelOption, GalleryStrings } from '../../shared/gallery-protocol';
import { prefersChinese } from '../commands/messages';

export function galleryStrings(): GalleryStrings {
  return {
    searchPlaceholder: vscode.l10n.t('Search prompts'),
    searchLabel: vscode.l10n.t('Search images by prompt'),
    modelFilterLabel: vscode.l10n.t('Filter by model'),
    allModels: vscode.l10n.t('All models'),
    sortLabel: vscode.l10n.t('Sort'),
    sortTime: vscode.l10n.t('Newest first'),
    sortName: vscode.l10n.t('Name'),
    gridLabel: vscode.l10n.t('Generated images'),
    // The page fills in the numbers: the placeholders pass through l10n unchanged.
    countAll: vscode.l10n.t('{0} images', '{0}'),
    countMatched: vscode.l10n.t('{0} of {1} images', '{0}', '{1}'),
    loading: vscode.l10n.t('Loading images…'),
    noMatches: vscode.l10n.t('No images match the search.'),
    clearSearch: vscode.l10n.t('Clear Search'),
    emptyTitle: vscode.l10n.t('No images yet'),
    emptyHintSetCredentials: vscode.l10n.t('Set your Tencent Cloud credentials to start generating images.'),
    emptyHintGenerate: vscode.l10n.t('Images you generate are saved in the output folder and appear here.'),
    setCredentials: vscode.l10n.t('Set Credentials'),
    generate: vscode.l10n.t('Generate Image'),
    details: vscode.l10n.t('Details'),
    closeDetails: vscode.l10n.t('Close Details'),
    noRecord: vscode.l10n.t('This image has no generation record.'),
    prompt: vscode.l10n.t('Prompt'),
    negativePrompt: vscode.l10n.t('Negative prompt'),
    model: vscode.l10n.t('Model'),
    size: vscode.l10n.t('Size'),
    dimensions: vscode.l10n.t('Dimensions'),
    style: vscode.l10n.t('Style'),
    seed: vscode.l10n.t('Seed'),
    time: vscode.l10n.t('Time'),
    fileSize: vscode.l10n.t('File size'),
    file: vscode.l10n.t('File'),
    requestId: vscode.l10n.t('RequestId'),
    jobId: vscode.l10n.t('JobId'),
    aigcLabel: vscode.l10n.t('AI-generated label'),
    aigcPresent: vscode.l10n.t('Present'),
    aigcAbsent: vscode.l10n.t('Not found'),
    open: vscode.l10n.t('Open'),
    reveal: vscode.l10n.t('Reveal in Explorer'),
    insertLink: vscode.l10n.t('Insert Markdown Link'),
    copyPrompt: vscode.l10n.t('Copy Prompt'),
    copyPath: vscode.l10n.t('Copy Path'),
    regenerate: vscode.l10n.t('Regenerate'),
    regenerateWithEdits: vscode.l10n.t('Regenerate with Edits…'),
    useAsReference: vscode.l10n.t('Use as Reference (Image to Image)'),
    delete: vscode.l10n.t('Delete'),
    thumbnailFailed: vscode.l10n.t('The image could not be loaded.'),
    gridHint: vscode.l10n.t('Arrow keys move, Enter opens, Space shows details, Delete deletes.'),
  };
}

export function specOf(modelId: string): ModelSpec | undefined {
  try {
    return getModel(modelId);
  } catch {
    return undefined;
  }
}

function modelLabel(modelId: string): string {
  const spec = specOf(modelId);
  if (!spec) return modelId;
  return prefersChinese() ? spec.label.zh : spec.label.en;
}

function styleLabel(modelId: string, style: string): string {
  const option = specOf(modelId)?.styles.find((candidate) => candidate.code === style);
  if (!option) return style;
  return prefersChinese() ? option.label.zh : option.label.en;
}

export function modelOptions(models: readonly string[]): GalleryModelOption[] {
  return models.map((id) => ({ id, label: modelLabel(id) }));
}

/** One entry as the page shows it; `src` is the webview URI of the file, `thumb` that of its cached thumbnail. */
export function toGalleryItem(entry: GalleryEntry, src: string, thumb?: string): GalleryItem {
  const { record } = entry;
  return {
    id: entry.id,
    src,
    ...(thumb !== undefined && { thumb }),
    name: entry.name,
    relPath: entry.relPath,
    folderName: entry.folderName,
    time: Math.max(0, entryTime(entry)),
    bytes: entry.size,
    width: entry.width,
    height: entry.height,
    format: entry.format,
    prompt: record?.prompt,
    negativePrompt: record?.negativePrompt,
    model: record?.model,
    modelLabel: record && modelLabel(record.model),
    size: record?.size,
    style: record?.style === undefined ? undefined : styleLabel(record.model, record.style),
    seed: record?.seed,
    requestId: record?.requestId,
    jobId: record?.jobId,
    hasAigcLabel: entry.hasAigcLabel,
  };
}
