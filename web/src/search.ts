// Finding the lot: the search box with suggestions, and the customer + product + date form.

import { findLots, type LotQuery, type LotSummary } from './api';
import { h } from './dom';
import { formatNumber } from './graph';

const DEBOUNCE_MS = 180;

/** setupSearch makes the lot code box an accessible combobox over GET /api/v1/lots?q=. */
export function setupSearch(form: HTMLFormElement, input: HTMLInputElement, list: HTMLUListElement, pick: (code: string) => void): void {
  let timer = 0;
  let pending: AbortController | null = null;
  let options: LotSummary[] = [];
  let active = -1;

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const choose = (code: string) => {
    close();
    input.value = code;
    pick(code);
  };
  const highlight = (i: number) => {
    active = i;
    [...list.children].forEach((li, j) => li.setAttribute('aria-selected', String(j === i)));
    if (i >= 0) {
      input.setAttribute('aria-activedescendant', `suggestion-${i}`);
      list.children[i]?.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };
  const show = (lots: LotSummary[]) => {
    options = lots;
    list.replaceChildren(
      ...lots.map((l, i) =>
        h(
          'li',
          { id: `suggestion-${i}`, role: 'option', 'aria-selected': 'false', onmousedown: (ev: Event) => (ev.preventDefault(), choose(l.code)) },
          h('span', { class: 'code' }, l.code),
          h('span', { class: 'meta' }, `${l.product} · ${l.origin_at.slice(0, 10)}`),
        ),
      ),
    );
    if (lots.length === 0) return close();
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    highlight(-1);
  };

  input.addEventListener('input', () => {
    window.clearTimeout(timer);
    const q = input.value.trim();
    if (!q) return close();
    timer = window.setTimeout(async () => {
      pending?.abort();
      pending = new AbortController();
      try {
        show(await findLots({ q, limit: 12 }, pending.signal));
      } catch (err) {
        if ((err as Error).name !== 'AbortError') close();
      }
    }, DEBOUNCE_MS);
  });
  input.addEventListener('keydown', (ev) => {
    const open = !list.hidden && options.length > 0;
    if (ev.key === 'ArrowDown' && open) highlight((active + 1) % options.length);
    else if (ev.key === 'ArrowUp' && open) highlight(active <= 0 ? options.length - 1 : active - 1);
    else if (ev.key === 'Escape' && open) close();
    else if (ev.key === 'Enter' && open && active >= 0) choose(options[active].code);
    else return;
    ev.preventDefault();
  });
  input.addEventListener('blur', () => window.setTimeout(close, 100));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    window.clearTimeout(timer);
    pending?.abort();
    const code = input.value.trim();
    if (code) choose(code);
  });
}

/** setupFind wires the "customer + product + date" form that lists candidate lots. */
export function setupFind(toggle: HTMLButtonElement, section: HTMLElement, form: HTMLFormElement, results: HTMLElement, pick: (code: string) => void): void {
  toggle.addEventListener('click', () => {
    const open = section.hidden;
    section.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    if (open) form.querySelector('input')?.focus();
  });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    const field = (k: string) => String(data.get(k) ?? '').trim();
    const query: LotQuery = { customer: field('customer'), product: field('product'), from: field('from'), to: nextDay(field('to')), limit: 100 };
    results.replaceChildren(h('p', { class: 'hint' }, 'Searching…'));
    try {
      const lots = await findLots(query);
      results.replaceChildren(lotTable(lots, pick));
    } catch (err) {
      results.replaceChildren(h('p', { class: 'error', role: 'alert' }, (err as Error).message));
    }
  });
}

/** nextDay turns the inclusive "made until" date into the API's exclusive bound. */
export function nextDay(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function lotTable(lots: LotSummary[], pick: (code: string) => void): HTMLElement {
  if (lots.length === 0) return h('p', {}, 'No lot matches. Customer IDs and product codes must match exactly.');
  return h(
    'table',
    { class: 'lots' },
    h('caption', {}, lots.length === 100 ? 'The 100 newest matching lots' : `${lots.length} matching ${lots.length === 1 ? 'lot' : 'lots'}`),
    h('thead', {}, h('tr', {}, ...['Lot', 'Product', 'Made or received', 'Quantity', ''].map((t) => h('th', { scope: 'col' }, t)))),
    h(
      'tbody',
      {},
      ...lots.map((l) =>
        h(
          'tr',
          {},
          h('td', { class: 'code' }, l.code),
          h('td', {}, l.description ? `${l.product} (${l.description})` : l.product),
          h('td', {}, l.origin_at.slice(0, 10)),
          h('td', { class: 'num' }, `${formatNumber(l.quantity)} ${l.unit}`),
          h('td', {}, h('button', { type: 'button', 'aria-label': `Trace ${l.code}`, onclick: () => pick(l.code) }, 'Trace')),
        ),
      ),
    ),
  );
}
