package graph

import (
	"fmt"
	"slices"
	"sort"
	"strings"
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

// Key is the key of the node: "FG-1" of "lot:FG-1".
func (id NodeID) Key() string {
	_, key, _ := strings.Cut(string(id), ":")
	return key
}

// Bounds limit a trace. None is set by default: a walk follows the genealogy to its ends,
// however many levels deep. Depth, when set, counts transformation levels (one level is
// lot→batch→lot); Nodes, when set, caps the lots and batches walked (per direction). Cap is
// the service's safety cap on the lots and batches of one walk (0: SafetyCap); it is the
// server's setting, never the caller's.
type Bounds struct {
	Depth int // 0: no depth bound
	Nodes int // 0: no node bound but the safety cap
	Cap   int // 0: SafetyCap
}

// SafetyCap is the default most lots and batches one walk may reach, so that one request
// cannot take the server down. No trace of a 1M-lot history comes near it: the largest
// forward trace there holds ~122k lots and ~66k batches.
const SafetyCap = 1_000_000

// Cut names the bound that cut a walk short, as the API says it ("cut_by").
type Cut string

const (
	CutNone   Cut = ""           // the walk reached the ends of the genealogy
	CutDepth  Cut = "max_depth"  // the caller's depth bound
	CutNodes  Cut = "max_nodes"  // the caller's node bound
	CutSafety Cut = "safety_cap" // the service's safety cap on answer size
)

// Worse returns the cut to report of two walks of one answer: a bound that cut either cut
// the answer; the node bounds, which also hide how deep the walk went, come first.
func (c Cut) Worse(d Cut) Cut {
	if cutRank[d] > cutRank[c] {
		return d
	}
	return c
}

var cutRank = map[Cut]int{CutNone: 0, CutDepth: 1, CutNodes: 2, CutSafety: 3}

// Validate checks the bounds, naming the API parameters: each is unset (0) or positive.
func (b Bounds) Validate() error {
	var problems []FieldError
	if b.Depth < 0 {
		problems = append(problems, FieldError{Field: "max_depth", Message: "must be a whole number of at least 1"})
	}
	if b.Nodes < 0 {
		problems = append(problems, FieldError{Field: "max_nodes", Message: "must be a whole number of at least 1"})
	}
	if b.Cap < 0 {
		problems = append(problems, FieldError{Field: "safety_cap", Message: "must be a whole number of at least 1"})
	}
	if len(problems) > 0 {
		return &Error{Code: EMALFORMED, Message: "invalid trace bounds", Fields: problems}
	}
	return nil
}

// Hops is the variable-length bound for Depth levels, each two relationships: 0 (an
// unbounded `*0..`) when no depth is set. A depth beyond the cap can never bind (a walk that
// deep reaches more nodes than the cap lets it), so it is unbounded too: the number stays
// small, and the statement's text is made from an int, never from input.
func (b Bounds) Hops() int {
	if b.Depth == 0 || b.Depth >= b.cap() {
		return 0
	}
	return 2 * b.Depth
}

func (b Bounds) cap() int {
	if b.Cap > 0 {
		return b.Cap
	}
	return SafetyCap
}

// Limit is the most lots and batches one walk may reach, and the cut it makes.
func (b Bounds) Limit() (int, Cut) {
	if b.Nodes > 0 && b.Nodes <= b.cap() {
		return b.Nodes, CutNodes
	}
	return b.cap(), CutSafety
}

// CutBy names the bound that cut a walk which reached more than its limit (over) or whose
// nodes have neighbours it did not reach (beyond).
func (b Bounds) CutBy(over, beyond bool) Cut {
	switch {
	case over:
		_, cut := b.Limit()
		return cut
	case beyond && b.Hops() != 0:
		return CutDepth
	case beyond:
		// Without a depth bound or a node cut, every neighbour is reached: seen only if the
		// statement and the bounds disagree, and then the answer must not claim to be whole.
		_, cut := b.Limit()
		return cut
	}
	return CutNone
}

// Node is one lot, batch, supplier or customer in a trace. The part of its kind (Lot, Batch,
// Supplier or Customer) says what is stored of it; all are nil when the trace was read
// without properties.
type Node struct {
	ID       NodeID
	Kind     NodeKind
	Key      string
	Lot      *LotRecord
	Batch    *BatchRecord
	Supplier *Supplier
	Customer *Customer
}

// Edge is one stored relationship between two nodes of a trace, pointing the way it is stored.
// The part of its type says what is stored of it: Receiving (RECEIVED_FROM), Use (CONSUMED_IN,
// PRODUCED) or Shipment (SHIPPED_TO); nil when the trace was read without properties, but for
// a shipment line's ID and Line, which order the edges.
type Edge struct {
	ID        string // the database's element id, to deduplicate
	From, To  NodeID
	Type      EdgeType
	Receiving *Receiving
	Use       *BatchUse
	Shipment  *ShipmentLine
}

// Trace is a lot's genealogy in one direction (or both).
type Trace struct {
	Root      LotCode
	Direction Direction
	Nodes     []Node // sorted by id
	Edges     []Edge // sorted by from, to, type
	// Truncated says a bound cut the trace short: some relationship of a node reached leads to
	// a node that was not. CutBy names the bound ("" when whole).
	Truncated bool
	CutBy     Cut
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

// edgeOrder orders two edges of one type between the same nodes: shipment lines by shipment
// and line, as the text "shipment/00000001" sorts (a shipment id that another one begins sorts
// by the character after it, as it always has); batch lines by line.
func edgeOrder(e Edge) string {
	switch {
	case e.Shipment != nil:
		return fmt.Sprintf("%s/%08d", e.Shipment.ID, e.Shipment.Line)
	case e.Use != nil:
		return fmt.Sprintf("/%08d", e.Use.Line)
	}
	return ""
}

// CompareEdges orders edges as Trace.Edges are: by from, to and type; two shipments of one
// lot to one customer by shipment and line, which unlike element ids are the same in every
// database.
func CompareEdges(a, b Edge) int {
	if a.From != b.From {
		return strings.Compare(string(a.From), string(b.From))
	}
	if a.To != b.To {
		return strings.Compare(string(a.To), string(b.To))
	}
	if a.Type != b.Type {
		return strings.Compare(string(a.Type), string(b.Type))
	}
	if ka, kb := edgeOrder(a), edgeOrder(b); ka != kb {
		return strings.Compare(ka, kb)
	}
	return strings.Compare(a.ID, b.ID)
}

// SortEdges orders edges by CompareEdges.
func SortEdges(edges []Edge) { slices.SortFunc(edges, CompareEdges) }
