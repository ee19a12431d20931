package console

// Result is the answer to a console query. Each value in Rows is one of: nil, bool,
// int64, float64, string, []byte, []any, map[string]any, Node, Relationship,
// Path, Temporal or Point; never a driver type.
type Result struct {
	Columns   []string
	Rows      [][]any
	Truncated bool   // the answer was cut: the rest of the rows were dropped
	CutBy     string // when Truncated: CutByMaxRows or CutByMaxBytes
}

// The limits that can cut a console answer.
const (
	CutByMaxRows  = "max_rows"  // more rows than Limits.MaxRows
	CutByMaxBytes = "max_bytes" // the rows would pass Limits.MaxBytes
)

// Node is a node in a console answer.
type Node struct {
	ID         string // Neo4j's element id
	Labels     []string
	Properties map[string]any
}

// Relationship is a relationship in a console answer; Start and End are element ids.
type Relationship struct {
	ID         string
	Type       string
	Start      string
	End        string
	Properties map[string]any
}

// Path is a path in a console answer: its nodes in order and the relationships between
// them.
type Path struct {
	Nodes         []Node
	Relationships []Relationship
}

// Temporal is a Cypher date, time, datetime or duration as ISO 8601 text: the zone-less kinds
// (date, localtime, localdatetime) have no faithful time.Time form.
type Temporal string

// Point is a Cypher spatial point; Z is nil for 2D points.
type Point struct {
	SRID uint32
	X, Y float64
	Z    *float64
}
