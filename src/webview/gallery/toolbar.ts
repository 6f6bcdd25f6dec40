/// <reference lib="dom" />
/**
 * Search box, model filter and sort. The page only asks: every change becomes a `query` message
 * (typing is debounced), the host filters and sorts and answers with `items`.
 */
import { GALLERY_SORTS, type GalleryModelOption, type GalleryQuery, type GalleryStrings, MAX_QUERY_TEXT } from '../../shared/gallery-protocol';
import { button, el, icon } from './dom';

/** Long enough that typing a word sends one query, short enough to feel immediate. */
export const SEARCH_DEBOUNCE_MS = 200;

export class Toolbar {
  readonly element = el('div', 'toolbar');
  private readonly search = el('input', 'search__input');
  private readonly clear: HTMLButtonElement;
  private readonly model = el('select', 'select');
  private readonly sort = el('select', 'select');
  private readonly count = el('p', 'count');
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sent: GalleryQuery | undefined;
  private allModelsLabel = '';

  constructor(
    private readonly onQuery: (query: GalleryQuery) => void,
    /** ArrowDown in the search box: the page moves focus to the grid. */
    private readonly onLeaveDown: () => void,
  ) {
    this.search.type = 'search';
    this.search.maxLength = MAX_QUERY_TEXT;
    this.search.spellcheck = false;
    this.search.autocomplete = 'off';
    this.search.addEventListener('input', () => {
      this.updateClear();
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.emit(), SEARCH_DEBOUNCE_MS);
    });
    this.search.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') this.emit();
      else if (event.key === 'ArrowDown') {
        event.preventDefault();
        this.emit();
        this.onLeaveDown();
      } else if (event.key === 'Escape' && this.search.value) {
        event.preventDefault();
        this.clearText();
      }
    });
    this.clear = button('icon-button search__clear', 'close', '', () => {
      this.clearText();
      this.search.focus();
    }, { iconOnly: true });
    this.model.addEventListener('change', () => this.emit());
    this.sort.addEventListener('change', () => this.emit());

    const searchBox = el('div', 'search');
    searchBox.append(icon('search'), this.search, this.clear);
    const filters = el('div', 'filters');
    filters.append(this.model, this.sort);
    this.count.setAttribute('aria-live', 'polite');
    this.element.append(searchBox, filters, this.count);
  }

  setStrings(strings: GalleryStrings): void {
    this.search.placeholder = strings.searchPlaceholder;
    this.search.setAttribute('aria-label', strings.searchLabel);
    this.clear.title = strings.clearSearch;
    this.clear.setAttribute('aria-label', strings.clearSearch);
    this.model.setAttribute('aria-label', strings.modelFilterLabel);
    this.model.title = strings.modelFilterLabel;
    this.sort.setAttribute('aria-label', strings.sortLabel);
    this.sort.title = strings.sortLabel;
    const labels = { time: strings.sortTime, name: strings.sortName };
    this.sort.replaceChildren(...GALLERY_SORTS.map((sort) => new Option(labels[sort], sort)));
    this.allModelsLabel = strings.allModels;
  }

  /** The models present in the index; the chosen one stays chosen even when it has no image left. */
  setModels(models: readonly GalleryModelOption[]): void {
    const chosen = this.sent?.model ?? this.model.value;
    const options = [new Option(this.allModelsLabel, ''), ...models.map((model) => new Option(model.label, model.id))];
    if (chosen && !models.some((model) => model.id === chosen)) options.push(new Option(chosen, chosen));
    this.model.replaceChildren(...options);
    this.model.value = chosen;
  }

  /** Shows a query (the remembered one from `init`) without sending it back. */
  setQuery(query: GalleryQuery): void {
    clearTimeout(this.timer);
    this.sent = query;
    this.search.value = query.text;
    this.setModels([...this.model.options].slice(1).map((option) => ({ id: option.value, label: option.text })));
    this.model.value = query.model;
    this.sort.value = query.sort;
    this.updateClear();
  }

  setCount(text: string): void {
    this.count.textContent = text;
  }

  /** Clears the search text and the model filter (the "no matches" state's button). */
  clearFilters(): void {
    this.search.value = '';
    this.model.value = '';
    this.updateClear();
    this.emit();
  }

  private clearText(): void {
    this.search.value = '';
    this.updateClear();
    this.emit();
  }

  private updateClear(): void {
    this.clear.hidden = this.search.value === '';
  }

  private emit(): void {
    clearTimeout(this.timer);
    const query: GalleryQuery = {
      text: this.search.value.slice(0, MAX_QUERY_TEXT),
      model: this.model.value,
      sort: this.sort.value === 'name' ? 'name' : 'time',
    };
    if (this.sent && this.sent.text === query.text && this.sent.model === query.model && this.sent.sort === query.sort) return;
    this.sent = query;
    this.onQuery(query);
  }
}
