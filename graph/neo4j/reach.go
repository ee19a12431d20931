package neo4j

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/lot-trace/lot-trace/cypher"
	"github.com/lot-trace/lot-trace/graph"
)

// TraceKeys walks a lot's genealogy like Trace but answers with keys only.
func (s *Store) TraceKeys(ctx context.Context, code graph.LotCode, dir graph.Direction, bounds graph.Bounds) (*graph.Reach, error) {
	if err := dir.Validate(); err != nil {
		return nil, fmt.Errorf("graph.TraceKeys %s: %w", code, err)
	}
	if err := bounds.Validate(); err != nil {
		return nil, fmt.Errorf("graph.TraceKeys %s: %w", code, err)
	}
	result, err := s.read(ctx, func(tx driver.ManagedTransaction) (any, error) {
		acc := newReachAccumulator()
		for _, d := range []graph.Direction{graph.Backward, graph.Forward} {
			if dir != d && dir != graph.Both {
				continue
			}
			n, err := reachKeys(ctx, tx, keysStatement(d, false), []string{string(code)}, bounds, acc)
			if err != nil {
				return nil, err
			}
			if n == 0 {
				return nil, graph.Errorf(graph.ENOTFOUND, "lot %s not found", code)
			}
		}
		return acc.reach(), nil
	})
	if err != nil {
		return nil, classify(fmt.Sprintf("graph.TraceKeys %s", code), err)
	}
	return result.(*graph.Reach), nil
}

// reachAccumulator gathers what the keys walks reach.
type reachAccumulator struct {
	lots, batches, suppliers, customers map[string]bool
	shipments                           map[string]graph.ShipmentLine // by shipment id and line
	cut                                 graph.Cut                     // the worst cut of the walks
}

func newReachAccumulator() *reachAccumulator {
	return &reachAccumulator{lots: map[string]bool{}, batches: map[string]bool{}, suppliers: map[string]bool{},
		customers: map[string]bool{}, shipments: map[string]graph.ShipmentLine{}}
}

// keysStatement is the keys walk of a direction; a recall's affected side also needs each
// shipment line, not just the customers.
func keysStatement(dir graph.Direction, shipmentLines bool) cypher.Statement {
	switch {
	case dir == graph.Backward:
		return cypher.TraceBackwardKeys
	case shipmentLines:
		return cypher.RecallAffectedKeys
	default:
		return cypher.TraceForwardKeys
	}
}

// reachKeys runs one keys walk and adds what it finds to acc; it returns how many lots and
// batches it reached (0: no start lot exists). The walk answers in one row; when its node
// cap cut it, the statement's `over` says so, and `beyond` when any bound did.
func reachKeys(ctx context.Context, tx driver.ManagedTransaction, st cypher.Statement, codes []string, bounds graph.Bounds, acc *reachAccumulator) (int, error) {
	text := strings.ReplaceAll(st.Text, "{{hops}}", hopsText(bounds))
	limit, _ := bounds.Limit()
	res, err := tx.Run(ctx, text, map[string]any{"codes": codes, "limit": limit})
	if err != nil {
		return 0, err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return 0, err
	}
	v := rec.Values
	lots, batches := stringList(v[0]), stringList(v[1])
	for _, l := range lots {
		acc.lots[l] = true
	}
	for _, b := range batches {
		acc.batches[b] = true
	}
	acc.cut = acc.cut.Worse(bounds.CutBy(v[4] == true, v[2] == true))
	parties := v[3].([]any)
	switch st.Name {
	case cypher.TraceBackwardKeys.Name:
		for _, p := range parties {
			acc.suppliers[str(p)] = true
		}
	case cypher.TraceForwardKeys.Name:
		for _, p := range parties {
			acc.customers[str(p)] = true
		}
	default:
		for _, p := range parties {
			line := p.([]any)
			l := graph.ShipmentLine{Lot: graph.LotCode(str(line[0])), ID: graph.ShipmentID(str(line[1])), Line: int(toInt(line[2])),
				Customer: graph.Customer{ID: graph.CustomerID(str(line[3]))}, Quantity: graph.Quantity{Amount: toFloat(line[4]), Unit: str(line[5])}}
			l.ShippedAt, _ = line[6].(time.Time)
			acc.customers[string(l.Customer.ID)] = true
			acc.shipments[fmt.Sprintf("%s\x00%d", l.ID, l.Line)] = l
		}
	}
	return len(lots) + len(batches), nil
}

func (acc *reachAccumulator) reach() *graph.Reach {
	r := &graph.Reach{Lots: sortedKeys(acc.lots), Batches: sortedKeys(acc.batches), Suppliers: sortedKeys(acc.suppliers),
		Customers: sortedKeys(acc.customers), Shipments: make([]graph.ShipmentLine, 0, len(acc.shipments)),
		Truncated: acc.cut != graph.CutNone, CutBy: acc.cut}
	for _, l := range acc.shipments {
		r.Shipments = append(r.Shipments, l)
	}
	graph.SortShipmentLines(r.Shipments)
	return r
}

// RecallKeys finds the lot's source batches and walks back from their inputs and forward
// from their outputs, in one read transaction.
func (s *Store) RecallKeys(ctx context.Context, code graph.LotCode, bounds graph.Bounds) (*graph.RecallKeys, error) {
	if err := bounds.Validate(); err != nil {
		return nil, fmt.Errorf("graph.RecallKeys %s: %w", code, err)
	}
	result, err := s.read(ctx, func(tx driver.ManagedTransaction) (any, error) {
		sources, err := findRecallSources(ctx, tx, code)
		if err != nil {
			return nil, err
		}
		rc := &graph.RecallKeys{Lot: code, SourceBatches: sources.Batches}
		back, fwd := newReachAccumulator(), newReachAccumulator()
		if len(sources.Inputs) > 0 {
			if _, err := reachKeys(ctx, tx, keysStatement(graph.Backward, false), sources.Inputs, bounds, back); err != nil {
				return nil, err
			}
		}
		if _, err := reachKeys(ctx, tx, keysStatement(graph.Forward, true), sources.Outputs, bounds, fwd); err != nil {
			return nil, err
		}
		rc.Ingredients, rc.Affected = back.reach(), fwd.reach()
		return rc, nil
	})
	if err != nil {
		return nil, classify(fmt.Sprintf("graph.RecallKeys %s", code), err)
	}
	return result.(*graph.RecallKeys), nil
}

// hopsText is the text of the walk's hop bound in a statement: "" (an unbounded `*0..`) or an int.
func hopsText(b graph.Bounds) string {
	if h := b.Hops(); h > 0 {
		return strconv.Itoa(h)
	}
	return ""
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
