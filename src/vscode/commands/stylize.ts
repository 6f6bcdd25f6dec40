/**
 * "Stylize Image": aiart ImageToImage on an image file. The style (code with its Chinese and
 * English names) and the strength are asked unless given; the file is read through
 * vscode.workspace.fs and the catalog's validation checks its format, size and dimensions before
 * anything is sent (a GIF, say, is refused with a message naming the accepted formats).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { getModel } from '../../core/providers/catalog';
import type { GenerationRequest, ModelId } from '../../core/providers/types';
import type { StudioSettings } from '../settings';
import { localValidationError } from './messages';

export const STYLE_TRANSFER_MODEL: ModelId = 'aiart-image-to-image';

export interface StylizeOptions {
  readonly style?: string;
  readonly strength?: number;
}

const MEMORY_KEY = 'imageStudio.lastStylize';
const STRENGTHS = [0.5, 0.6, 0.7, 0.8, 1.0];

interface Item<T> extends vscode.QuickPickItem {
  readonly value: T;
}

async function chooseImage(): Promise<vscode.Uri | undefined> {
  const [chosen] =
    (await vscode.window.showOpenDialog({
      title: vscode.l10n.t('Choose an image to stylize'),
      canSelectMany: false,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      filters: { [vscode.l10n.t('Images')]: ['png', 'jpg', 'jpeg', 'webp', 'bmp', 'tif', 'tiff'] },
    })) ?? [];
  return chosen;
}

async function chooseStyle(remembered: string | undefined): Promise<string | undefined> {
  const spec = getModel(STYLE_TRANSFER_MODEL);
  const items: Item<string>[] = spec.styles.map((style) => ({
    // Both names: the documented style list is Chinese, and users search in either language.
    label: vscode.env.language.toLowerCase().startsWith('zh') ? style.label.zh : style.label.en,
    description: `${style.code} · ${vscode.env.language.toLowerCase().startsWith('zh') ? style.label.en : style.label.zh}`,
    value: style.code,
  }));
  const active = items.find((item) => item.value === (remembered ?? spec.defaultStyle));
  const picked = await vscode.window.showQuickPick(active ? [active, ...items.filter((item) => item !== active)] : items, {
    title: vscode.l10n.t('Style'),
    placeHolder: vscode.l10n.t('Choose the style to apply'),
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  return picked?.value;
}

async function chooseStrength(remembered: number | undefined): Promise<number | undefined> {
  const custom = vscode.l10n.t('Other value…');
  const items: Item<number | undefined>[] = [
    ...STRENGTHS.map((value) => ({ label: value.toFixed(1), description: value === remembered ? vscode.l10n.t('last used') : undefined, value })),
    { label: custom, value: undefined },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Strength'),
    placeHolder: vscode.l10n.t('How strongly the style replaces the original (above 0, at most 1)'),
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (picked.value !== undefined) return picked.value;
  const typed = await vscode.window.showInputBox({
    title: vscode.l10n.t('Strength'),
    prompt: vscode.l10n.t('A number above 0 and at most 1'),
    value: remembered?.toString() ?? '0.6',
    validateInput: (value) => {
      const number = Number(value);
      return Number.isFinite(number) && number > 0 && number <= 1 ? undefined : vscode.l10n.t('Enter a number above 0 and at most 1, e.g. 0.6.');
    },
  });
  return typed === undefined ? undefined : Number(typed);
}

/**
 * The request for stylizing `image` (asking what is not given). Undefined when the user closed a
 * dialog; throws a StudioError when the file cannot be read.
 */
export async function planStylize(
  image: vscode.Uri | undefined,
  given: StylizeOptions,
  memory: vscode.Memento,
  settings: StudioSettings,
): Promise<{ image: vscode.Uri; request: GenerationRequest } | undefined> {
  const source = image ?? (await chooseImage());
  if (!source) return undefined;
  const last = memory.get<StylizeOptions>(MEMORY_KEY) ?? {};
  const style = given.style ?? (await chooseStyle(last.style));
  if (style === undefined) return undefined;
  const strength = given.strength ?? (await chooseStrength(last.strength));
  if (strength === undefined) return undefined;
  await memory.update(MEMORY_KEY, { style, strength });
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(source);
  } catch (error) {
    throw localValidationError(
      'Client.ImageUnreadable',
      vscode.l10n.t('The image {0} could not be read: {1}', path.posix.basename(source.path), error instanceof Error ? error.message : String(error)),
      vscode.l10n.t('Check that the file exists and can be read, then try again.'),
    );
  }
  const name = path.posix.basename(source.path);
  return {
    image: source,
    request: {
      modelId: STYLE_TRANSFER_MODEL,
      // Style transfer needs no prompt; the style and strength say what the user asked for.
      prompt: '',
      referenceImages: [{ bytes, name }],
      style,
      strength,
      watermark: settings.watermark,
    },
  };
}
