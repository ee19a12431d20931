package console

// Result is the answer to a console query.
type Result struct {
	Columns   []string
	Rows      [][]Value
	Truncated bool   // the answer was cut: the rest of the rows were dropped
	CutBy     string // when Truncated: CutByMaxRows or CutByMaxBytes
}

// The limits that can cut a console answer.
const (
	CutByMaxRows  = "max_rows"  // more rows than Limits.MaxRows
	CutByMaxBytes = "max_bytes" // the rows would pass Limits.MaxBytes
)

// Value is one value in a console answer: nil, bool, int64, float64, string, []byte,
// []Value (a list), Map, Node, Relationship, Path, Temporal or Point; never a driver type.
type Value any

// Map is a Cypher map in a console answer, and the properties of a node or relationship.
type Map map[string]Value

// Node is a node in a console answer.
type Node struct {
	ID         string // Neo4j's element id
	Labels     []string
	Properties Map
}

// Relationship is a relationship in a console answer; Start and End are element ids.
type Relationship struct {
	ID         string
	Type       string
	Start      string
	End        string
	Properties Map
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
