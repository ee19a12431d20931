// The graph on screen: Cytoscape with a layered left-to-right dagre layout, styled by kind
// and, in recall mode, by role.

import cytoscape, { type Core, type ElementDefinition, type StylesheetJson } from 'cytoscape';
import dagre from 'cytoscape-dagre';
import type { Role } from './graph';
import { layered } from './layout';

cytoscape.use(dagre);

/** PALETTE is shared with the legend and the summary, so that colours mean one thing. */
export const PALETTE = {
  supplier: { fill: '#ede4f7', line: '#5b3f8c' },
  lot: { fill: '#dcebfa', line: '#245ea3' },
  batch: { fill: '#fff1c9', line: '#8a6400' },
  customer: { fill: '#d7f0df', line: '#22693f' },
  complained: { fill: '#b00020', line: '#4a000d', text: '#ffffff' },
  source: { fill: '#f57c00', line: '#6b3500', text: '#111111' },
  ingredient: { fill: '#fde68a', line: '#7c5a00', text: '#111111' },
  affected: { fill: '#fbcfe8', line: '#9d174d', text: '#111111' },
  customerRole: { fill: '#5b21b6', line: '#2e1065', text: '#ffffff' },
} as const;

const roleColour = (r: Role) => (r === 'customer' ? PALETTE.customerRole : PALETTE[r]);

const STYLE: StylesheetJson = [
  {
    selector: 'node',
    style: {
      label: 'data(label)',
      'text-wrap': 'wrap',
      'text-max-width': '250px',
      'text-valign': 'center',
      'text-halign': 'center',
      'font-family': 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      'font-size': 12,
      color: '#111111',
      width: 'data(w)',
      height: 'data(h)',
      'border-width': 1.5,
      'min-zoomed-font-size': 6, // below, a label is unreadable, and skipping it draws faster
    },
  },
  { selector: 'node.supplier', style: { shape: 'cut-rectangle', 'background-color': PALETTE.supplier.fill, 'border-color': PALETTE.supplier.line } },
  { selector: 'node.lot', style: { shape: 'round-rectangle', 'background-color': PALETTE.lot.fill, 'border-color': PALETTE.lot.line } },
  { selector: 'node.batch', style: { shape: 'round-hexagon', 'background-color': PALETTE.batch.fill, 'border-color': PALETTE.batch.line } },
  { selector: 'node.customer', style: { shape: 'ellipse', 'background-color': PALETTE.customer.fill, 'border-color': PALETTE.customer.line } },
  { selector: 'node.other', style: { shape: 'round-rectangle', 'background-color': '#f3f4f6', 'border-color': '#4b5563' } }, // console answers
  {
    selector: 'node.more',
    style: {
      // Large, so that it reads in the overview of a graph large enough to be folded.
      shape: 'round-rectangle', 'background-color': '#f3f4f6', 'border-color': '#4b5563', 'font-size': 26,
      'text-max-width': '400px', 'border-style': 'dashed', 'border-width': 4, color: '#1f2937', 'font-weight': 'bold',
    },
  },
  { selector: 'node.root', style: { 'border-width': 4, 'border-color': '#0b1f44', 'font-weight': 'bold' } },
  ...(['complained', 'source', 'ingredient', 'affected', 'customer'] as Role[]).map((r) => ({
    selector: `node.role-${r}`,
    style: { 'background-color': roleColour(r).fill, 'border-color': roleColour(r).line, color: roleColour(r).text, 'border-width': 3 },
  })),
  { selector: 'node.role-complained', style: { 'border-width': 5, 'font-weight': 'bold' } },
  { selector: 'node.role-none', style: { opacity: 0.45 } },
  {
    // A recall's run: in its side's recall colour, dashed, so that it reads as folded.
    selector: 'node.run',
    style: { 'font-size': 14, 'font-weight': 'bold', 'text-max-width': '290px', 'border-style': 'dashed', 'border-width': 4, shape: 'round-rectangle' },
  },
  {
    selector: 'edge',
    style: {
      width: 1.5,
      'curve-style': 'bezier',
      'line-color': '#7b8494',
      'target-arrow-color': '#7b8494',
      'target-arrow-shape': 'triangle',
      'arrow-scale': 0.9,
      label: 'data(label)',
      'font-size': 11,
      color: '#1f2937',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.9,
      'text-background-padding': '2px',
      'text-rotation': 'autorotate',
      'min-zoomed-font-size': 5,
    },
  },
  { selector: 'edge.quiet', style: { label: '' } },
  { selector: 'edge.fast', style: { 'curve-style': 'straight' } },
  { selector: 'edge.shipped_to', style: { 'line-color': '#2f7d4f', 'target-arrow-color': '#2f7d4f' } },
  { selector: 'edge.received_from', style: { 'line-color': '#6b4f9a', 'target-arrow-color': '#6b4f9a' } },
  { selector: 'edge.dim', style: { opacity: 0.35 } },
  { selector: 'edge.more-edge', style: { 'line-style': 'dashed', 'line-color': '#9ca3af', 'target-arrow-color': '#9ca3af' } },
  {
    selector: 'node:selected, node.focus',
    style: { 'underlay-color': '#1d4ed8', 'underlay-opacity': 0.3, 'underlay-padding': 7, 'underlay-shape': 'round-rectangle' },
  },
];

/** DAGRE_MAX_NODES is the largest graph that dagre lays out; above, its crossing reduction
 * takes seconds, and the linear layered layout of layout.ts takes over. */
export const DAGRE_MAX_NODES = 150;
/** READABLE_ZOOM keeps the 12 px labels at 9 px or more on screen. */
const READABLE_ZOOM = 0.75;
/** OVERVIEW_ZOOM is the smallest zoom at which a recall's backbone opens. */
const OVERVIEW_ZOOM = 0.5;
/** EDGE_LABEL_ZOOM is the zoom from which a large graph shows its edges' quantities. */
const EDGE_LABEL_ZOOM = 0.6;

/** placeLayered sets the position of every node element from the layered layout, sized as
 * the style will draw it (data w and h, plus the border). */
function placeLayered(elements: ElementDefinition[], aspect: number): void {
  const nodes = elements.filter((e) => e.group === 'nodes');
  const at = layered(
    nodes.map((e) => ({ id: e.data.id!, width: Number(e.data.w) + 4, height: Number(e.data.h) + 4 })),
    elements.filter((e) => e.group === 'edges').map((e) => ({ source: e.data.source as string, target: e.data.target as string })),
    { aspect },
  );
  for (const e of nodes) e.position = at.get(e.data.id!);
}

export interface Handlers {
  select(id: string | null): void;
  reroot(id: string): void;
  expand(id: string): void; // a folded level ("more:-3") or a recall's run ("run:up:deep")
}

/** GraphView owns the Cytoscape instance. */
export class GraphView {
  readonly cy: Core;
  readonly timing = { add: 0, layout: 0 };
  private large = false;

  constructor(container: HTMLElement, on: Handlers) {
    this.cy = cytoscape({
      container,
      style: STYLE,
      minZoom: 0.03,
      maxZoom: 3,
      boxSelectionEnabled: false,
      autoungrabify: true,
      textureOnViewport: true,
      selectionType: 'single',
    });
    this.cy.on('tap', 'node', (ev) => {
      const n = ev.target;
      if (n.hasClass('more')) on.expand(n.id());
      else on.select(n.id());
    });
    this.cy.on('tap', (ev) => {
      if (ev.target === this.cy) on.select(null);
    });
    this.cy.on('dbltap', 'node.lot', (ev) => on.reroot(ev.target.id()));
    this.cy.on('zoom', () => {
      if (!this.large) return;
      const quiet = this.cy.zoom() < EDGE_LABEL_ZOOM;
      const edges = this.cy.edges();
      if (edges.nonempty() && edges[0].hasClass('quiet') !== quiet) this.cy.batch(() => edges.toggleClass('quiet', quiet));
    });
  }

  /** show replaces the graph and lays it out; it returns the milliseconds it took. */
  show(elements: ElementDefinition[], rootId: string, overview = false): number {
    const t0 = performance.now();
    const nodeCount = elements.reduce((n, e) => n + (e.group === 'nodes' ? 1 : 0), 0);
    const small = nodeCount <= DAGRE_MAX_NODES;
    if (!small) {
      placeLayered(elements, this.cy.width() / Math.max(1, this.cy.height()));
      // Measuring hundreds of edge labels costs more than drawing the rest of the graph, and
      // at the overview's zoom they are too small to read: they appear on zooming in.
      // Straight edges also skip the control points of bezier curves.
      for (const e of elements) if (e.group === 'edges') e.classes = `${e.classes ?? ''} quiet fast`;
    }
    this.large = !small;
    this.cy.batch(() => {
      this.cy.elements().remove();
      this.cy.add(elements);
    });
    this.timing.add = performance.now() - t0;
    if (nodeCount === 0) return 0;
    if (small) {
      const options = { name: 'dagre', rankDir: 'LR', nodeSep: 14, rankSep: 44, edgeSep: 8, fit: true, padding: 24, animate: false };
      this.cy.layout(options as cytoscape.LayoutOptions).run();
    } else {
      this.fitTo(elements);
    }
    this.timing.layout = performance.now() - t0 - this.timing.add;
    // Keep a small genealogy readable: rather than shrink its labels away, centre on the
    // traced lot and let the person pan or press Fit. A large one opens as an overview.
    // A recall's backbone is small by design: show it whole, a little smaller if need be.
    const zoom = Math.min(1.2, Math.max(this.cy.zoom(), small ? (overview ? OVERVIEW_ZOOM : READABLE_ZOOM) : 0));
    if (zoom !== this.cy.zoom()) {
      this.cy.zoom(zoom);
      const root = this.cy.getElementById(rootId);
      if (zoom > 1 || root.empty() || overview) this.cy.center();
      else this.cy.center(root);
    }
    return performance.now() - t0;
  }

  /** fitTo fits the view to the nodes' boxes, from their positions and sizes: cy.fit would
   * measure every label first, a third of the first render of a large graph. */
  private fitTo(elements: ElementDefinition[]): void {
    let [x1, y1, x2, y2] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const e of elements) {
      if (e.group !== 'nodes' || !e.position) continue;
      const w = Number(e.data.w) / 2 + 2;
      const h = Number(e.data.h) / 2 + 2;
      x1 = Math.min(x1, e.position.x - w);
      x2 = Math.max(x2, e.position.x + w);
      y1 = Math.min(y1, e.position.y - h);
      y2 = Math.max(y2, e.position.y + h);
    }
    const pad = 24;
    const zoom = Math.max(this.cy.minZoom(), Math.min(this.cy.maxZoom(), (this.cy.width() - 2 * pad) / (x2 - x1), (this.cy.height() - 2 * pad) / (y2 - y1)));
    this.cy.viewport({ zoom, pan: { x: (this.cy.width() - zoom * (x1 + x2)) / 2, y: (this.cy.height() - zoom * (y1 + y2)) / 2 } });
  }

  /** focus marks one node (or none) as the selected one and brings it into view. */
  focus(id: string | null, pan = false): void {
    this.cy.$('node.focus').removeClass('focus');
    this.cy.$(':selected').unselect();
    if (!id) return;
    const n = this.cy.getElementById(id);
    if (n.empty()) return;
    n.addClass('focus');
    if (pan) this.cy.animate({ center: { eles: n }, duration: 200 });
  }

  fit(): void {
    this.cy.fit(undefined, 24);
  }

  /** png renders the whole graph, at most 8,000 pixels a side. */
  png(): Blob {
    return this.cy.png({ full: true, scale: 2, maxWidth: 8000, maxHeight: 8000, bg: '#ffffff', output: 'blob' });
  }

  nodeCount(): number {
    return this.cy.nodes().not('.more').length;
  }

  edgeCount(): number {
    return this.cy.edges().not('.more-edge').length;
  }

  /** pagePosition is where a node's centre is on the page, in CSS pixels (for tests). */
  pagePosition(id: string): { x: number; y: number } | null {
    const n = this.cy.getElementById(id);
    if (n.empty()) return null;
    const box = this.cy.container()!.getBoundingClientRect();
    const p = n.renderedPosition();
    return { x: box.left + p.x, y: box.top + p.y };
  }

  /** highlighted lists the keys of the drawn nodes with a recall role, sorted. */
  highlighted(role: Role): string[] {
    return this.cy
      .nodes(`.role-${role}`)
      .not('.more')
      .map((n) => n.data('key') as string)
      .sort();
  }
}
