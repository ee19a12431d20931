package console

import (
	"slices"
	"strings"
)

// PlanOperator is one operator of the plan Neo4j makes for a query (EXPLAIN), with its
// children: the whole tree, every branch of a UNION, an Apply or a join included.
type PlanOperator struct {
	Operator string // Neo4j's operator type, "Expand(All)@neo4j" (the part after @ names the database)
	Details  string // the operator's Details argument: "db.labels() :: (label :: STRING)"
	Children []PlanOperator
}

// ReadOperators are the plan operators a console query may use: the operators Neo4j 5.26
// plans for reading the graph (scans, seeks, expands, filters, projections, aggregations,
// sorts, limits, unions, the Apply family, subqueries) and ProcedureCall, whose procedure
// must be one of ReadOnlyProcedures. Any other operator refuses the query, so that an operator
// this list does not know (LoadCSV, a write, a command, one a later Neo4j adds) is never run.
var ReadOperators = map[string]bool{
	"ProduceResults": true, "EmptyResult": true, "Argument": true, "ArgumentTracker": true,
	// Scans and seeks.
	"AllNodesScan": true, "NodeByLabelScan": true, "NodeByIdSeek": true, "NodeByElementIdSeek": true,
	"NodeIndexScan": true, "NodeIndexSeek": true, "NodeIndexSeekByRange": true, "NodeUniqueIndexSeek": true,
	"NodeUniqueIndexSeekByRange": true, "NodeIndexContainsScan": true, "NodeIndexEndsWithScan": true,
	"MultiNodeIndexSeek": true, "IntersectionNodeByLabelsScan": true, "UnionNodeByLabelsScan": true,
	"SubtractionNodeByLabelsScan": true, "NodeCountFromCountStore": true, "RelationshipCountFromCountStore": true,
	"DirectedAllRelationshipsScan": true, "UndirectedAllRelationshipsScan": true,
	"DirectedRelationshipTypeScan": true, "UndirectedRelationshipTypeScan": true,
	"DirectedUnionRelationshipTypesScan": true, "UndirectedUnionRelationshipTypesScan": true,
	"DirectedRelationshipByIdSeek": true, "UndirectedRelationshipByIdSeek": true,
	"DirectedRelationshipByElementIdSeek": true, "UndirectedRelationshipByElementIdSeek": true,
	"DirectedRelationshipIndexScan": true, "UndirectedRelationshipIndexScan": true,
	"DirectedRelationshipIndexSeek": true, "UndirectedRelationshipIndexSeek": true,
	"DirectedRelationshipIndexSeekByRange": true, "UndirectedRelationshipIndexSeekByRange": true,
	"DirectedRelationshipUniqueIndexSeek": true, "UndirectedRelationshipUniqueIndexSeek": true,
	"DirectedRelationshipUniqueIndexSeekByRange": true, "UndirectedRelationshipUniqueIndexSeekByRange": true,
	"DirectedRelationshipIndexContainsScan": true, "UndirectedRelationshipIndexContainsScan": true,
	"DirectedRelationshipIndexEndsWithScan": true, "UndirectedRelationshipIndexEndsWithScan": true,
	// Expands and paths.
	"Expand(All)": true, "Expand(Into)": true, "OptionalExpand(All)": true, "OptionalExpand(Into)": true,
	"VarLengthExpand(All)": true, "VarLengthExpand(Into)": true, "VarLengthExpand(Pruning)": true,
	"VarLengthExpand(Pruning,BFS,All)": true, "VarLengthExpand(Pruning,BFS,Into)": true,
	"ShortestPath": true, "StatefulShortestPath(All)": true, "StatefulShortestPath(Into)": true,
	"Repeat(Trail)": true, "Repeat(Walk)": true, "Trail": true, "NullifyMetadata": true, "ProjectEndpoints": true,
	"TriadicSelection": true, "TriadicBuild": true, "TriadicFilter": true,
	// Rows: filters, projections, aggregations, order, limits.
	"Filter": true, "Projection": true, "CacheProperties": true, "Unwind": true, "Optional": true,
	"Distinct": true, "OrderedDistinct": true, "EagerAggregation": true, "OrderedAggregation": true,
	"Sort": true, "PartialSort": true, "Top": true, "PartialTop": true, "Limit": true, "ExhaustiveLimit": true,
	"Skip": true, "Eager": true,
	// Combining: unions, joins, products and the Apply family (subqueries, EXISTS, COUNT, COLLECT).
	"Union": true, "OrderedUnion": true, "CartesianProduct": true, "NodeHashJoin": true, "ValueHashJoin": true,
	"NodeLeftOuterHashJoin": true, "NodeRightOuterHashJoin": true,
	"Apply": true, "SemiApply": true, "AntiSemiApply": true, "LetSemiApply": true, "LetAntiSemiApply": true,
	"SelectOrSemiApply": true, "SelectOrAntiSemiApply": true, "LetSelectOrSemiApply": true,
	"LetSelectOrAntiSemiApply": true, "ConditionalApply": true, "AntiConditionalApply": true,
	"RollUpApply": true,
	// Checked further: the procedure must be one of ReadOnlyProcedures.
	"ProcedureCall": true,
}

// maxPlanOperators bounds the walk; the text's nesting bound keeps real plans far smaller.
const maxPlanOperators = 100000

// CheckPlan refuses a plan unless every operator in it, at any depth, is one of
// ReadOperators, and every procedure it calls is one of ReadOnlyProcedures. It is what
// decides whether the console runs a query: it sees the query as Neo4j parsed it, escapes
// decoded and subqueries planned. trailStored says the database holds audit entries: the
// operators that reach nodes of any label are then refused too (checkProtected).
func CheckPlan(root PlanOperator, trailStored bool) error {
	stack := []*PlanOperator{&root}
	for seen := 0; len(stack) > 0; seen++ {
		if seen == maxPlanOperators {
			return Refusedf("the plan has more than %d operators", maxPlanOperators)
		}
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if err := checkOperator(p.Operator, p.Details, trailStored); err != nil {
			return err
		}
		for i := range p.Children {
			stack = append(stack, &p.Children[i])
		}
	}
	return nil
}

// checkOperator refuses one plan operator ("LoadCSV@neo4j") unless ReadOperators allows it
// and it cannot reach the audit trail (checkProtected).
func checkOperator(operator, details string, trailStored bool) error {
	name := operator
	if at := strings.LastIndex(operator, "@"); at >= 0 {
		name = operator[:at]
	}
	switch {
	case name == "LoadCSV":
		return Refusedf("LOAD CSV reads files and URLs (plan operator LoadCSV)")
	case strings.HasPrefix(name, "Show"), strings.HasPrefix(name, "Terminate"):
		return Refusedf("SHOW and TERMINATE commands are not available in the console (plan operator %s)", name)
	case !ReadOperators[name]:
		return Refusedf("plan operator %s is not one the console allows", name)
	case checkProtected(name, details, trailStored) != nil:
		return checkProtected(name, details, trailStored)
	case name == "ProcedureCall":
		proc, _, ok := strings.Cut(details, "(")
		proc = strings.TrimSpace(proc)
		if !ok || !slices.Contains(ReadOnlyProcedures, proc) {
			return Refusedf("procedure %s is not allowed (allowed: %s)", proc, strings.Join(ReadOnlyProcedures, ", "))
		}
	}
	return nil
}
