package neo4j

import (
	"sort"

	"github.com/lot-trace/lot-trace/graph"
)

// traceBuilder assembles a trace from the rows of the trace queries: nodes by id, edges by
// element id, and the element ids of every lot and batch reached, to tell which edges lead out
// of the trace.
type traceBuilder struct {
	nodes   map[graph.NodeID]graph.Node
	edges   map[string]graph.Edge
	reached map[string]graph.NodeID // database element id → node id, for lots and batches reached
	pending []pendingEdge           // trace edges whose ends are resolved once every row is read
	over    bool                    // a walk reached more nodes than its limit
	beyond  bool                    // an edge of a node reached leads to a node that was not
	cut     graph.Cut               // the worst cut of the walks run so far
}

// pendingEdge is a PRODUCED or CONSUMED_IN relationship seen from one end.
type pendingEdge struct {
	id               string
	typ              graph.EdgeType
	startEID, endEID string
	props            map[string]any // as stored
}

func newTraceBuilder() *traceBuilder {
	return &traceBuilder{nodes: map[graph.NodeID]graph.Node{}, edges: map[string]graph.Edge{}, reached: map[string]graph.NodeID{}}
}

func (b *traceBuilder) addNode(elementID string, n graph.Node) {
	if elementID != "" {
		b.reached[elementID] = n.ID
	}
	if _, ok := b.nodes[n.ID]; !ok {
		b.nodes[n.ID] = n
	}
}

func (b *traceBuilder) addEdge(e graph.Edge) {
	if _, ok := b.edges[e.ID]; !ok {
		b.edges[e.ID] = e
	}
}

// resolve turns the pending lot–batch edges into edges of the trace. An edge with an end that
// was not reached leads beyond a bound, so the trace is truncated there.
func (b *traceBuilder) resolve() {
	for _, p := range b.pending {
		from, okFrom := b.reached[p.startEID]
		to, okTo := b.reached[p.endEID]
		if !okFrom || !okTo {
			b.beyond = true
			continue
		}
		b.addEdge(edgeOf(p.id, from, to, p.typ, p.props))
	}
	b.pending = nil
}

// endWalk notes how the bounds cut the walk whose rows were just read.
func (b *traceBuilder) endWalk(bounds graph.Bounds) {
	b.resolve()
	b.cut = b.cut.Worse(bounds.CutBy(b.over, b.beyond))
	b.over, b.beyond = false, false
}

func (b *traceBuilder) build(root graph.LotCode, dir graph.Direction) *graph.Trace {
	b.resolve()
	t := &graph.Trace{Root: root, Direction: dir, Truncated: b.cut != graph.CutNone, CutBy: b.cut,
		Nodes: make([]graph.Node, 0, len(b.nodes)), Edges: make([]graph.Edge, 0, len(b.edges))}
	for _, n := range b.nodes {
		t.Nodes = append(t.Nodes, n)
	}
	for _, e := range b.edges {
		t.Edges = append(t.Edges, e)
	}
	sort.Slice(t.Nodes, func(i, j int) bool { return t.Nodes[i].ID < t.Nodes[j].ID })
	graph.SortEdges(t.Edges)
	return t
}
