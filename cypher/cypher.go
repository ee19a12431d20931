// Package cypher holds every Cypher statement lot-trace runs, one intent per .cypher file,
// embedded into the binary so that a reader finds any query by its name.
//
// Every lookup of lots, batches, suppliers or customers by a list of keys carries a
// `USING INDEX SEEK` hint. Neo4j caches a plan the first time it sees a statement, often while
// the database is nearly empty; without the hint it may then choose to scan an index once per
// key and keep that plan while the history grows (seen in bulk loads and in the plan tests).
package cypher

import (
	"embed"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

//go:embed *.cypher schema/*.cypher
var files embed.FS

// Statement is one named Cypher statement.
type Statement struct {
	Name string // the file name without its extension, e.g. "lot_trace_backward"
	Text string
}

// hopsPlaceholder marks, in a walk's text, the bound of its variable-length pattern.
const hopsPlaceholder = "{{hops}}"

// WithHops returns the statement with its hop bound filled in: hops > 0 bounds the walk
// (`*0..3`), 0 leaves it unbounded (`*0..`). A bound cannot be a Cypher parameter, so it is
// text, made here from an int and never from input. The name is unchanged: the statement is
// still timed and reported by its file's name.
func (s Statement) WithHops(hops int) Statement {
	bound := ""
	if hops > 0 {
		bound = strconv.Itoa(hops)
	}
	s.Text = strings.ReplaceAll(s.Text, hopsPlaceholder, bound)
	return s
}

// load returns the statement in file name; a missing file is a programming error caught by
// the package's tests, so it panics at init rather than failing a request later.
func load(name string) Statement {
	b, err := files.ReadFile(name)
	if err != nil {
		panic("cypher: " + err.Error())
	}
	base := name[strings.LastIndex(name, "/")+1:]
	return Statement{Name: strings.TrimSuffix(base, ".cypher"), Text: string(b)}
}

// Schema returns the schema statements (constraints and indexes) in file-name order. Each
// is idempotent (IF NOT EXISTS), so applying them at every start is safe.
func Schema() []Statement {
	names, err := fs.Glob(files, "schema/*.cypher")
	if err != nil {
		panic("cypher: " + err.Error())
	}
	sort.Strings(names)
	out := make([]Statement, 0, len(names))
	for _, n := range names {
		out = append(out, load(n))
	}
	return out
}

// The statements, one per file. Each file's header lists its parameters and columns.
var (
	ConstraintNames           = load("constraint_names.cypher")
	OrphanConstraintIndexes   = load("orphan_constraint_indexes.cypher")
	DropIndex                 = load("drop_index.cypher")
	HasLots                   = load("has_lots.cypher")
	LookupExisting            = load("lookup_existing.cypher")
	MigrateShipmentLineCopies = load("migrate_shipment_line_copies.cypher")
	RecordSuppliers           = load("record_suppliers.cypher")
	RecordCustomers           = load("record_customers.cypher")
	RecordReceipts            = load("record_receipts.cypher")
	RecordProductions         = load("record_productions.cypher")
	RecordConsumptions        = load("record_consumptions.cypher")
	RecordShipments           = load("record_shipments.cypher")
	TraceBackward             = load("trace_backward.cypher")
	TraceForward              = load("trace_forward.cypher")
	TraceBoth                 = load("trace_both.cypher")
	TraceBackwardKeys         = load("trace_backward_keys.cypher")
	TraceForwardKeys          = load("trace_forward_keys.cypher")
	RecallAffectedKeys        = load("recall_affected_keys.cypher")
	RecallShipmentLines       = load("recall_shipment_lines.cypher")
	TraceNodes                = load("trace_nodes.cypher")
	TraceEdges                = load("trace_edges.cypher")
	KDERows                   = load("kde_rows.cypher")
	RecallSources             = load("recall_sources.cypher")
	LotDetail                 = load("lot_detail.cypher")
	LotsByCustomer            = load("lots_by_customer.cypher")
	LotsBySupplier            = load("lots_by_supplier.cypher")
	LotsByCodePrefix          = load("lots_by_code_prefix.cypher")
	LotsByProduct             = load("lots_by_product.cypher")
	LotsByDate                = load("lots_by_date.cypher")
	LotUsage                  = load("lot_usage.cypher")
	BatchLines                = load("batch_lines.cypher")
	HeldLots                  = load("held_lots.cypher")
	RecallCaseCreate          = load("recall_case_create.cypher")
	RecallScopeAdd            = load("recall_scope_add.cypher")
	RecallHoldsPlace          = load("recall_holds_place.cypher")
	RecallHoldsRelease        = load("recall_holds_release.cypher")
	RecallCaseLock            = load("recall_case_lock.cypher")
	RecallStepAdd             = load("recall_step_add.cypher")
	RecallCaseClose           = load("recall_case_close.cypher")
	RecallCaseRead            = load("recall_case_read.cypher")
	RecallCasesList           = load("recall_cases_list.cypher")
	DatabaseIsEmpty           = load("database_is_empty.cypher")
	AwaitIndexes              = load("await_indexes.cypher")
	GraphCounts               = load("graph_counts.cypher")
)
