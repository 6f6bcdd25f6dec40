/// <reference lib="dom" />
// Small DOM builders of the gallery page. Text goes in through textContent only: prompts and
// metadata are data from files other people may have committed, never markup.
import type { CodiconName } from '../../shared/codicons';

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A codicon, hidden from screen readers (the control it sits in carries the label). */
export function icon(name: CodiconName): HTMLElement {
  const node = el('i', `codicon codicon-${name}`);
  node.setAttribute('aria-hidden', 'true');
  return node;
}

/** A button with a codicon and, unless `iconOnly`, its label as text; `iconOnly` puts the label in title and aria-label. */
export function button(className: string, iconName: CodiconName, label: string, onClick: () => void, { iconOnly = false } = {}): HTMLButtonElement {
  const node = el('button', className);
  node.type = 'button';
  node.append(icon(iconName));
  if (iconOnly) {
    node.title = label;
    node.setAttribute('aria-label', label);
  } else {
    node.append(el('span', undefined, label));
  }
  node.addEventListener('click', onClick);
  return node;
}
