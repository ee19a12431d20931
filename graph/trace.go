package graph

import (
	"fmt"
	"sort"
)

// Direction says which way a trace walks from its lot.
type Direction string

const (
	Backward Direction = "backward" // to the batches, ingredient lots and suppliers behind the lot
	Forward  Direction = "forward"  // to the batches, lots and customers the lot went into
	Both     Direction = "both"     // the union of the two
)

// NodeKind is the kind of a node in a trace.
type NodeKind string

const (
	KindLot      NodeKind = "lot"
	KindBatch    NodeKind = "batch"
	KindSupplier NodeKind = "supplier"
	KindCustomer NodeKind = "customer"
)

// NodeID identifies a node of any kind: "lot:FG-1", "batch:B2".
type NodeID string

// NewNodeID returns the id of the node of that kind and key.
func NewNodeID(kind NodeKind, key string) NodeID { return NodeID(string(kind) + ":" + key) }

// Bounds limit a trace. Both are validated by the caller: Depth is counted in transformation
// levels (one level is lot→batch→lot), Nodes caps the lots and batches walked.
type Bounds struct {
	Depth int
	Nodes int
}

// Depth and node-count limits of traces.
const (
	DefaultDepth = 25
	MaxDepth     = 100
	DefaultNodes = 50000
	MaxNodes     = 200000
)

// Validate checks the bounds, naming the API parameters.
func (b Bounds) Validate() error {
	var problems []FieldError
	if b.Depth < 1 || b.Depth > MaxDepth {
		problems = append(problems, FieldError{Field: "max_depth", Message: fmt.Sprintf("must be a whole number from 1 to %d", MaxDepth)})
	}
	if b.Nodes < 1 || b.Nodes > MaxNodes {
		problems = append(problems, FieldError{Field: "max_nodes", Message: fmt.Sprintf("must be a whole number from 1 to %d", MaxNodes)})
	}
	if len(problems) > 0 {
		return &Error{Code: EMALFORMED, Message: "invalid trace bounds", Fields: problems}
	}
	return nil
}

// hops is the variable-length bound for Depth levels: each level is two relationships.
func (b Bounds) hops() int { return 2 * b.Depth }

// Node is one lot, batch, supplier or customer in a trace, with its stored properties
// (times as time.Time, dates as neo4j dates; the API converts them).
type Node struct {
	ID         NodeID
	Kind       NodeKind
	Key        string
	Properties map[string]any
}

// Edge is one stored relationship between two nodes of a trace, pointing the way it is stored.
type Edge struct {
	ID         string // the database's element id, to deduplicate
	From, To   NodeID
	Type       string
	Properties map[string]any
}

// Trace is a lot's genealogy in one direction (or both).
type Trace struct {
	Root      LotCode
	Direction Direction
	Nodes     []Node // sorted by id
	Edges     []Edge // sorted by from, to, type
	// Truncated says a bound (depth or node count) cut the trace short: some relationship of
	// a node reached leads to a node that was not.
	Truncated bool
}

// Keys returns the sorted keys of the trace's nodes of one kind.
func (t *Trace) Keys(kind NodeKind) []string {
	keys := []string{}
	for _, n := range t.Nodes {
		if n.Kind == kind {
			keys = append(keys, n.Key)
		}
	}
	sort.Strings(keys)
	return keys
}

// traceBuilder assembles a trace from the rows of the trace queries: nodes by id, edges by
// element id, and the element ids of every lot and batch reached, to tell which edges lead out
// of the trace.
type traceBuilder struct {
	nodes     map[NodeID]Node
	edges     map[string]Edge
	reached   map[string]NodeID // database element id → node id, for lots and batches reached
	pending   []pendingEdge     // trace edges whose ends are resolved once every row is read
	truncated bool
}

// pendingEdge is a PRODUCED or CONSUMED_IN relationship seen from one end.
type pendingEdge struct {
	id, typ          string
	startEID, endEID string
	props            map[string]any
}

func newTraceBuilder() *traceBuilder {
	return &traceBuilder{nodes: map[NodeID]Node{}, edges: map[string]Edge{}, reached: map[string]NodeID{}}
}

func (b *traceBuilder) addNode(elementID string, n Node) {
	if elementID != "" {
		b.reached[elementID] = n.ID
	}
	if _, ok := b.nodes[n.ID]; !ok {
		b.nodes[n.ID] = n
	}
}

func (b *traceBuilder) addEdge(e Edge) {
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
			b.truncated = true
			continue
		}
		b.addEdge(Edge{ID: p.id, From: from, To: to, Type: p.typ, Properties: p.props})
	}
	b.pending = nil
}

func (b *traceBuilder) build(root LotCode, dir Direction) *Trace {
	b.resolve()
	t := &Trace{Root: root, Direction: dir, Truncated: b.truncated,
		Nodes: make([]Node, 0, len(b.nodes)), Edges: make([]Edge, 0, len(b.edges))}
	for _, n := range b.nodes {
		t.Nodes = append(t.Nodes, n)
	}
	for _, e := range b.edges {
		t.Edges = append(t.Edges, e)
	}
	sort.Slice(t.Nodes, func(i, j int) bool { return t.Nodes[i].ID < t.Nodes[j].ID })
	sort.Slice(t.Edges, func(i, j int) bool {
		a, c := t.Edges[i], t.Edges[j]
		if a.From != c.From {
			return a.From < c.From
		}
		if a.To != c.To {
			return a.To < c.To
		}
		if a.Type != c.Type {
			return a.Type < c.Type
		}
		// Two shipments of one lot to one customer: order them by shipment and line, which
		// unlike element ids are the same in every database.
		if ka, kc := edgeOrder(a), edgeOrder(c); ka != kc {
			return ka < kc
		}
		return a.ID < c.ID
	})
	return t
}

func edgeOrder(e Edge) string {
	return fmt.Sprintf("%v/%08v", e.Properties["shipment_id"], e.Properties["line"])
}
