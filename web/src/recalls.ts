// The Recalls tab: the list of recall cases, opening one from recall mode, and a case page
// with a checklist per customer (notify, confirm with quantities), the clocks, the
// effectiveness bars, the holds (release) and closing, and the case file to download.

import { addStep, caseFileURL, closeCase, getCase, listCases, openCase, releaseLots, type CaseKind, type CustomerProgress, type RecallCase } from './api';
import { fill, h } from './dom';

/** clock writes seconds as h:mm:ss; null (not yet) as "not yet". */
export function clock(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return 'not yet';
  const s = Math.round(seconds);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${Math.floor(s / 3600)}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** percent writes a share (0.5) as a whole percentage ("50 %"). */
export const percent = (share: number): string => `${Math.round(share * 100)} %`;

/** confirmUnit is the unit a customer's confirmation is asked in: what they were shipped. */
export const confirmUnit = (p: CustomerProgress): string => p.unit ?? p.shipped[0]?.unit ?? '';

const when = (t?: string): string => (t ? t.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC') : '—');

export interface RecallsHooks {
  /** download fetches a case file with the API key (or follows the link without one). */
  download(a: HTMLAnchorElement, ev: Event): void;
  /** shown tells the page which case is open (for the address bar). */
  shown(id: string | null): void;
}

export class RecallsView {
  constructor(
    private readonly root: HTMLElement,
    private readonly hooks: RecallsHooks,
  ) {}

  /** list shows the cases, newest first, with the kind and state filters. */
  async list(filter: { kind?: string; state?: string } = {}): Promise<void> {
    this.hooks.shown(null);
    const status = h('p', { class: 'status', role: 'status' }, 'Loading the recall cases…');
    fill(this.root, this.filters(filter), status);
    try {
      const cases = await listCases(filter);
      const rows = cases.map((c) =>
        h(
          'tr',
          {},
          h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => void this.show(c.id) }, c.id)),
          h('td', {}, c.kind),
          h('td', {}, c.state),
          h('td', {}, c.lots.join(', ')),
          h('td', {}, c.reason),
          h('td', {}, when(c.opened_at)),
          h('td', { class: 'num' }, c.customers),
          h('td', { class: 'num' }, c.active_holds),
        ),
      );
      status.replaceWith(
        cases.length === 0
          ? h('p', { class: 'hint' }, 'No recall case yet: open one from the explorer in Recall mode.')
          : h(
              'table',
              { class: 'lots cases', id: 'case-list' },
              h('caption', {}, `${cases.length} recall case${cases.length === 1 ? '' : 's'}`),
              h('thead', {}, h('tr', {}, ...['Case', 'Kind', 'State', 'Lots', 'Reason', 'Opened', 'Customers', 'Held lots'].map((t) => h('th', {}, t)))),
              h('tbody', {}, ...rows),
            ),
      );
    } catch (err) {
      status.textContent = (err as Error).message;
      status.classList.add('error');
    }
  }

  private filters(filter: { kind?: string; state?: string }): HTMLElement {
    const select = (name: string, options: string[], value?: string) =>
      h('label', {}, `${name[0].toUpperCase()}${name.slice(1)} `, h('select', { name }, ...['', ...options].map((o) => h('option', { value: o, selected: o === (value ?? '') }, o || 'any'))));
    const form = h('form', { class: 'case-filters', onsubmit: (ev: Event) => {
      ev.preventDefault();
      const data = new FormData(form);
      void this.list({ kind: String(data.get('kind') || '') || undefined, state: String(data.get('state') || '') || undefined });
    } }, select('kind', ['real', 'mock'], filter.kind), select('state', ['open', 'closed'], filter.state), h('button', { type: 'submit' }, 'List'));
    return h('div', {}, h('h2', {}, 'Recall cases'), form);
  }

  /** openForm offers to open a case on the lot (from the explorer's recall mode). */
  openForm(lot: string): void {
    const error = h('p', { class: 'status error', role: 'alert' });
    const form = h(
      'form',
      { id: 'open-case-form', class: 'open-case' },
      h('h2', {}, 'Open a recall case'),
      h('label', {}, 'Lots ', h('input', { name: 'lots', type: 'text', value: lot, spellcheck: false, required: true })),
      h('label', {}, 'Kind ', h('select', { name: 'kind' }, h('option', { value: 'real' }, 'real: hold every affected lot'), h('option', { value: 'mock' }, 'mock: an exercise, holds nothing'))),
      h('label', {}, 'Reason ', h('input', { name: 'reason', type: 'text', required: true, size: 50 })),
      h('button', { type: 'submit' }, 'Open case'),
      error,
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const data = new FormData(form);
      const lots = String(data.get('lots')).split(',').map((s) => s.trim()).filter(Boolean);
      openCase(lots, String(data.get('kind')) as CaseKind, String(data.get('reason'))).then(
        (c) => this.render(c),
        (err: Error) => (error.textContent = err.message),
      );
    });
    fill(this.root, form);
    form.querySelector<HTMLInputElement>('input[name="reason"]')!.focus();
  }

  /** show reads a case and draws its page. */
  async show(id: string): Promise<void> {
    try {
      this.render(await getCase(id));
    } catch (err) {
      fill(this.root, h('p', { class: 'status error', role: 'alert' }, (err as Error).message), h('button', { type: 'button', class: 'ghost', onclick: () => void this.list() }, 'All cases'));
    }
  }

  /** act runs a change to the case and draws the answer, or says why it was refused. */
  private act(run: () => Promise<RecallCase>): void {
    const status = this.root.querySelector<HTMLElement>('#case-status');
    if (status) status.textContent = 'Saving…';
    run().then(
      (c) => this.render(c),
      (err: Error) => {
        if (!status) return;
        status.textContent = err.message;
        status.classList.add('error');
      },
    );
  }

  private render(c: RecallCase): void {
    this.hooks.shown(c.id);
    const open = c.state === 'open';
    const t = c.timeline;
    const e = c.effectiveness;
    const bar = (label: string, share: number, id: string) =>
      h('div', { class: 'bar-row' }, h('span', {}, label), h('progress', { id, max: 1, value: share }), h('span', {}, percent(share)));
    const file = (format: 'html' | 'xlsx', label: string) => {
      const a = h('a', { class: 'button', id: `case-file-${format}`, href: caseFileURL(c.id, format), target: format === 'html' ? '_blank' : undefined, rel: 'noopener' }, label);
      a.addEventListener('click', (ev) => this.hooks.download(a, ev));
      return a;
    };
    fill(
      this.root,
      h('button', { type: 'button', class: 'ghost', onclick: () => void this.list() }, '← All cases'),
      h('h2', { id: 'case-title' }, `Recall case ${c.id} `, h('span', { class: `badge ${c.kind}` }, c.kind), ' ', h('span', { class: `badge ${c.state}`, id: 'case-state' }, c.state)),
      h('p', {}, `Lots ${c.lots.join(', ')} · opened ${when(c.opened_at)} by ${c.opened_by} · ${c.reason}`),
      c.conclusion ? h('p', {}, `Closed ${when(c.closed_at)} by ${c.closed_by}: ${c.conclusion}`) : null,
      h('p', { id: 'case-status', class: 'status', role: 'status' }),
      h('div', { class: 'actions' }, file('html', 'Case file (print)'), file('xlsx', 'Case file (XLSX)')),
      h(
        'section',
        { class: 'clocks', 'aria-label': 'Clocks' },
        h('h3', {}, 'Clocks'),
        h(
          'dl',
          { id: 'case-clocks' },
          h('dt', {}, 'Complete trace'),
          h('dd', {}, clock(t.to_trace_complete_s)),
          h('dt', {}, 'Every customer notified'),
          h('dd', {}, clock(t.to_all_notified_s)),
          h('dt', {}, 'Closed'),
          h('dd', {}, clock(t.to_close_s)),
          c.kind === 'mock' ? h('dt', {}, `Mock recall (target ${clock(t.mock_target_s)})`) : null,
          c.kind === 'mock' ? h('dd', { id: 'mock-result', class: `result ${t.mock_result}` }, t.mock_result ?? '') : null,
        ),
      ),
      h(
        'section',
        { class: 'effectiveness', 'aria-label': 'Effectiveness' },
        h('h3', {}, 'Effectiveness'),
        bar(`Customers confirmed (${e.confirmed} of ${e.customers})`, e.confirmed_share, 'bar-confirmed'),
        bar('Quantity accounted for', e.accounted_share, 'bar-accounted'),
      ),
      this.checklist(c, open),
      this.holds(c),
      open ? this.closeForm(c) : null,
    );
  }

  private checklist(c: RecallCase, open: boolean): HTMLElement {
    const rows = c.effectiveness.per_customer.map((p) => {
      const number = (name: string, value?: number) => h('input', { name, type: 'number', min: 0, step: 'any', value: value ?? 0, 'aria-label': `${name.replace('_', ' ')} at ${p.customer}`, disabled: !open });
      const confirm = h(
        'form',
        { class: 'confirm' },
        number('on_hand', p.on_hand),
        number('returned', p.returned),
        number('destroyed', p.destroyed),
        h('input', { name: 'unit', type: 'text', size: 5, value: confirmUnit(p), 'aria-label': `unit at ${p.customer}`, disabled: !open }),
        h('button', { type: 'submit', disabled: !open }, p.confirmed_at ? 'Confirm again' : 'Confirm'),
      );
      confirm.addEventListener('submit', (ev) => {
        ev.preventDefault();
        const d = new FormData(confirm);
        this.act(() =>
          addStep(c.id, {
            kind: 'customer_confirmed',
            customer: p.customer,
            on_hand: Number(d.get('on_hand')),
            returned: Number(d.get('returned')),
            destroyed: Number(d.get('destroyed')),
            unit: String(d.get('unit')),
          }),
        );
      });
      return h(
        'tr',
        { 'data-customer': p.customer },
        h('td', {}, `${p.name || p.customer} `, h('span', { class: 'hint' }, p.customer), p.contact ? h('div', { class: 'hint' }, p.contact) : null),
        h('td', {}, p.shipped.map((q) => `${q.quantity} ${q.unit}`).join(', ')),
        h(
          'td',
          {},
          p.notified_at
            ? h('span', { class: 'done' }, `✓ ${when(p.notified_at)}`)
            : h('button', { type: 'button', class: 'notify', disabled: !open, onclick: () => this.act(() => addStep(c.id, { kind: 'customer_notified', customer: p.customer })) }, 'Notified'),
        ),
        h('td', {}, p.confirmed_at ? h('span', { class: 'done' }, `✓ ${when(p.confirmed_at)}`) : null, confirm),
      );
    });
    return h(
      'section',
      { 'aria-label': 'Customers' },
      h('h3', {}, `Customers (${c.effectiveness.notified} notified, ${c.effectiveness.confirmed} confirmed of ${c.effectiveness.customers})`),
      h(
        'table',
        { class: 'lots checklist', id: 'case-customers' },
        h('thead', {}, h('tr', {}, ...['Customer', 'Shipped', 'Notified', 'Confirmed: on hand, returned, destroyed'].map((x) => h('th', {}, x)))),
        h('tbody', {}, ...rows),
      ),
    );
  }

  private holds(c: RecallCase): HTMLElement {
    const reason = h('input', { type: 'text', id: 'release-reason', placeholder: 'Why release (admins)', size: 30 });
    const rows = c.holds.map((hold) =>
      h(
        'tr',
        {},
        h('td', {}, hold.lot),
        h('td', {}, hold.enforced ? 'enforced' : 'recorded (mock)'),
        h('td', {}, when(hold.placed_at)),
        h(
          'td',
          {},
          hold.active
            ? h('button', { type: 'button', class: 'ghost', onclick: () => this.act(() => releaseLots(c.id, [hold.lot], reason.value)) }, 'Release')
            : `released ${when(hold.released_at)} by ${hold.released_by}: ${hold.release_reason}`,
        ),
      ),
    );
    return h(
      'section',
      { 'aria-label': 'Holds' },
      h('h3', {}, `Holds (${c.holds.filter((x) => x.active).length} held)`),
      h('table', { class: 'lots', id: 'case-holds' }, h('thead', {}, h('tr', {}, ...['Lot', 'Hold', 'Placed', 'State'].map((x) => h('th', {}, x)))), h('tbody', {}, ...rows)),
      c.holds.some((x) => x.active) ? h('p', {}, reason) : null,
    );
  }

  private closeForm(c: RecallCase): HTMLElement {
    const form = h(
      'form',
      { id: 'close-form', class: 'close-case' },
      h('h3', {}, 'Close the case (admins)'),
      h('label', {}, 'Conclusion ', h('input', { name: 'conclusion', type: 'text', size: 60, required: true })),
      h('button', { type: 'submit' }, 'Close case'),
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.act(() => closeCase(c.id, String(new FormData(form).get('conclusion'))));
    });
    return form;
  }
}
