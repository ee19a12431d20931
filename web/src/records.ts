// The "Records request" tab: answer the FDA's request for the records of some products or
// foods over a date range (21 CFR 1.1455(c)(3)) — the records per CTE, the XLSX to send, and
// the completeness of those records, each gap linking to its lot.

import { byId, fill, h } from './dom';
import { saveDownload, type Download } from './download';
import { getCompleteness, getFoods, parseProducts, recordsURL, type Completeness, type RecordsScope } from './fsma';

const CTE_NAMES = { shipping: 'Shipping', receiving: 'Receiving', transformation: 'Transformation' } as const;

/** RecordsHook lets the end-to-end tests read what the page shows. */
export interface RecordsHook {
  checks: number;
  report: Completeness | null;
  error: string;
  downloads: Download[];
}

declare global {
  interface Window {
    __lotTraceRecords?: RecordsHook;
  }
}

export class RecordsPage {
  private readonly form = byId<HTMLFormElement>('records-form');
  private readonly food = byId<HTMLSelectElement>('records-food');
  private readonly status = byId('records-status');
  private readonly counts = byId('records-counts');
  private readonly gaps = byId('records-gaps');
  private readonly download = byId<HTMLButtonElement>('records-xlsx');
  private readonly hook: RecordsHook = { checks: 0, report: null, error: '', downloads: [] };
  private loaded = false;
  private running: AbortController | null = null;

  constructor() {
    window.__lotTraceRecords = this.hook;
    this.form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void this.check();
    });
    this.download.addEventListener('click', () => void this.save());
  }

  /** shown is called when the tab opens: the food list is read the first time. */
  shown(): void {
    if (this.loaded) return;
    this.loaded = true;
    void getFoods()
      .then((foods) => {
        this.food.append(...foods.map((f) => h('option', { value: f.category }, f.name)));
      })
      .catch((err: Error) => this.fail(err));
  }

  private scope(): RecordsScope {
    const data = new FormData(this.form);
    return {
      products: parseProducts(String(data.get('products') ?? '')),
      food: String(data.get('food') ?? ''),
      from: String(data.get('from') ?? ''),
      to: String(data.get('to') ?? ''),
    };
  }

  private fail(err: Error): void {
    this.hook.error = err.message;
    this.status.textContent = err.message;
    this.status.classList.add('error');
  }

  /** check shows the records per CTE and the completeness of the scope. */
  private async check(): Promise<void> {
    const s = this.scope();
    this.status.classList.remove('error');
    this.hook.error = '';
    if (!s.products.length && !s.food) {
      this.fail(new Error('Name some products or a food first.'));
      return;
    }
    this.running?.abort();
    const running = (this.running = new AbortController());
    this.status.textContent = 'Reading the records…';
    try {
      const report = await getCompleteness(s, running.signal);
      if (running.signal.aborted) return;
      this.hook.report = report;
      this.render(report);
      const total = report.ctes.reduce((n, c) => n + c.records, 0);
      this.status.textContent = `${total.toLocaleString('en')} records in scope.`;
      this.download.disabled = false;
    } catch (err) {
      if (!running.signal.aborted) this.fail(err as Error);
    } finally {
      this.hook.checks++;
    }
  }

  private render(r: Completeness): void {
    fill(
      this.counts,
      h(
        'table',
        { class: 'records-counts' },
        h('caption', {}, 'Records per critical tracking event'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'CTE'), h('th', { scope: 'col' }, 'Records'), h('th', { scope: 'col' }, 'Complete'), h('th', { scope: 'col' }, '% complete'))),
        h(
          'tbody',
          {},
          ...r.ctes.map((c) =>
            h('tr', { 'data-cte': c.cte }, h('th', { scope: 'row' }, CTE_NAMES[c.cte]), h('td', { class: 'records' }, c.records.toLocaleString('en')), h('td', {}, c.complete.toLocaleString('en')), h('td', {}, c.percent_complete.toFixed(1))),
          ),
        ),
      ),
    );
    const findings = r.ctes.flatMap((c) => c.findings.filter((f) => f.missing > 0).map((f) => ({ cte: c.cte, f })));
    fill(
      this.gaps,
      h('h3', {}, 'Completeness'),
      findings.length === 0
        ? h('p', { class: 'hint complete' }, 'Every record holds every required Key Data Element.')
        : h(
            'ul',
            { class: 'findings' },
            ...findings.map(({ cte, f }) =>
              h(
                'li',
                { class: 'finding', 'data-rule': f.rule },
                h('p', {}, h('strong', {}, `${CTE_NAMES[cte]} ${f.rule}`), ` ${f.name}: missing on ${f.missing.toLocaleString('en')} ${f.missing === 1 ? 'record' : 'records'}`),
                h(
                  'ul',
                  { class: 'gap-records' },
                  ...f.examples.map((e) => h('li', {}, h('a', { href: e.view, class: 'gap-lot' }, e.lot), ` ${e.event_id}${e.line ? ` line ${e.line}` : ''}${e.date ? ` · ${e.date.slice(0, 10)}` : ' · no date'}`)),
                  f.missing > f.examples.length ? h('li', { class: 'hint' }, `and ${f.missing - f.examples.length} more`) : null,
                ),
              ),
            ),
          ),
    );
  }

  /** save downloads the records as the FDA's XLSX. */
  private async save(): Promise<void> {
    const s = this.scope();
    try {
      this.status.textContent = 'Writing the spreadsheet…';
      const d = await saveDownload(recordsURL(s, 'xlsx'), 'fsma-records.xlsx');
      this.hook.downloads.push(d);
      this.status.textContent = `Saved ${d.name}.`;
    } catch (err) {
      this.fail(err as Error);
    }
  }
}
