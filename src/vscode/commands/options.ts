/**
 * "Generate Image with Options…": quick picks for model, size, style, count and negative prompt,
 * each offering only what the chosen model supports (the catalog says what that is). The last
 * choices are remembered in globalState and preselected next time; choices passed as the command's
 * argument are not asked (tests, keybindings).
 */
import * as vscode from 'vscode';
import { getModel, isModelId, listModels } from '../../core/providers/catalog';
import type { GenerationRequest, ModelId, ModelSpec } from '../../core/providers/types';
import type { StudioSettings } from '../settings';
import { localized } from './messages';

export interface GenerateOptions {
  readonly modelId?: string;
  readonly resolution?: string;
  readonly style?: string;
  readonly count?: number;
  readonly negativePrompt?: string;
  readonly prompt?: string;
}

/** The choices of one run; `style: ''` means the model's default (or none). */
interface Choices {
  readonly modelId: ModelId;
  readonly resolution: string;
  readonly style?: string;
  readonly count: number;
  readonly negativePrompt?: string;
}

const MEMORY_KEY = 'imageStudio.lastOptions';

interface Item<T> extends vscode.QuickPickItem {
  readonly value: T;
}

/** One single-choice quick pick with `active` preselected; undefined when the user closes it. */
function pickOne<T>(title: string, step: number, items: readonly Item<T>[], active: T | undefined): Promise<T | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<Item<T>>();
    pick.title = title;
    pick.step = step;
    pick.totalSteps = 5;
    pick.ignoreFocusOut = true;
    pick.items = items;
    const preselected = items.find((item) => item.value === active);
    if (preselected) pick.activeItems = [preselected];
    let settled = false;
    pick.onDidAccept(() => {
      settled = true;
      resolve(pick.selectedItems[0]?.value ?? pick.activeItems[0]?.value);
      pick.hide();
    });
    pick.onDidHide(() => {
      if (!settled) resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}

const defaultMark = (isDefault: boolean): string | undefined => (isDefault ? vscode.l10n.t('default') : undefined);

/** Models a text prompt can drive (style transfer needs an image: that is "Stylize Image"). */
function textModels(): readonly ModelSpec[] {
  return listModels().filter((spec) => !spec.referenceImages.required);
}

async function chooseModel(given: string | undefined, remembered: string | undefined): Promise<ModelId | undefined> {
  if (given !== undefined) return given as ModelId; // an unknown id is refused by validation, naming the known ones
  const items = textModels().map((spec) => ({ label: localized(spec.label), description: spec.submitAction, detail: vscode.l10n.t('Prompt up to {0} characters', spec.promptLimit), value: spec.id }));
  return pickOne<ModelId>(vscode.l10n.t('Model'), 1, items, remembered as ModelId | undefined);
}

async function chooseResolution(spec: ModelSpec, given: string | undefined, remembered: string | undefined): Promise<string | undefined> {
  if (given !== undefined) return given;
  if (spec.resolutions.length <= 1) return spec.defaultResolution;
  const items = spec.resolutions.map((resolution) => ({
    label: resolution === 'origin' ? vscode.l10n.t('Same as the input image') : resolution.replace(':', ' × '),
    description: defaultMark(resolution === spec.defaultResolution),
    value: resolution,
  }));
  return pickOne(vscode.l10n.t('Size'), 2, items, remembered && spec.resolutions.includes(remembered) ? remembered : spec.defaultResolution);
}

async function chooseStyle(spec: ModelSpec, given: string | undefined, remembered: string | undefined): Promise<string | undefined> {
  if (given !== undefined) return given;
  if (spec.styles.length === 0) return '';
  const none: Item<string> = { label: spec.defaultStyle ? vscode.l10n.t('Model default') : vscode.l10n.t('None'), description: spec.defaultStyle, value: '' };
  const items = [none, ...spec.styles.map((style) => ({ label: localized(style.label), description: style.code, value: style.code }))];
  return pickOne(vscode.l10n.t('Style'), 3, items, remembered !== undefined && spec.styles.some((s) => s.code === remembered) ? remembered : '');
}

async function chooseCount(spec: ModelSpec, given: number | undefined, remembered: number | undefined): Promise<number | undefined> {
  if (given !== undefined) return given;
  const { min, max } = spec.count;
  if (min === max) return min;
  const items = Array.from({ length: max - min + 1 }, (_, i) => min + i).map((count) => ({ label: String(count), description: defaultMark(count === spec.count.default), value: count }));
  return pickOne(vscode.l10n.t('Number of images'), 4, items, remembered !== undefined && remembered >= min && remembered <= max ? remembered : spec.count.default);
}

async function chooseNegativePrompt(spec: ModelSpec, given: string | undefined, remembered: string | undefined): Promise<string | undefined | null> {
  if (given !== undefined) return given;
  if (spec.negativePromptLimit === undefined) return '';
  const value = await vscode.window.showInputBox({
    title: vscode.l10n.t('Negative prompt (optional)'),
    prompt: vscode.l10n.t('What the image should not contain; up to {0} characters. Leave empty for none.', spec.negativePromptLimit),
    value: remembered ?? '',
    ignoreFocusOut: true,
  });
  return value === undefined ? null : value;
}

/**
 * Asks what `given` leaves open. Undefined when the user closed a picker. The returned request has
 * no prompt yet; settings fill what the pickers do not decide (seed, watermark, MPS model).
 */
export async function pickGenerationOptions(given: GenerateOptions, memory: vscode.Memento, settings: StudioSettings): Promise<Omit<GenerationRequest, 'prompt'> | undefined> {
  const last = memory.get<Partial<Choices>>(MEMORY_KEY) ?? {};
  const modelId = await chooseModel(given.modelId, last.modelId ?? settings.model);
  if (modelId === undefined) return undefined;
  const spec = isModelId(modelId) ? getModel(modelId) : undefined;
  if (!spec) return { modelId }; // validation names the known models
  const resolution = await chooseResolution(spec, given.resolution, last.modelId === modelId ? last.resolution : settings.resolution);
  if (resolution === undefined) return undefined;
  const style = await chooseStyle(spec, given.style, last.modelId === modelId ? last.style : settings.style);
  if (style === undefined) return undefined;
  const count = await chooseCount(spec, given.count, last.count ?? settings.count);
  if (count === undefined) return undefined;
  const negativePrompt = await chooseNegativePrompt(spec, given.negativePrompt, last.negativePrompt ?? settings.negativePrompt);
  if (negativePrompt === null) return undefined;
  const choices: Choices = { modelId, resolution, style, count, negativePrompt };
  await memory.update(MEMORY_KEY, choices);
  return {
    modelId,
    resolution,
    style: style === '' ? undefined : style,
    count,
    negativePrompt: negativePrompt?.trim() ? negativePrompt : undefined,
    seed: settings.seed,
    watermark: settings.watermark,
    mpsModelName: settings.mpsModelName,
    mpsModelVersion: settings.mpsModelVersion,
  };
}

/** The request of "Generate Image from Selection" and "Generate Image…": the settings as they are. */
export function requestFromSettings(settings: StudioSettings, prompt: string): GenerationRequest {
  return {
    modelId: settings.model,
    prompt,
    negativePrompt: settings.negativePrompt,
    resolution: settings.resolution,
    style: settings.style,
    count: settings.count,
    seed: settings.seed,
    watermark: settings.watermark,
    mpsModelName: settings.mpsModelName,
    mpsModelVersion: settings.mpsModelVersion,
  };
}
