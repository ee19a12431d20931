package neo4j

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/lot-trace/lot-trace/cypher"
	"github.com/lot-trace/lot-trace/graph"
)

// PutProduct stores the product, replacing its description and category; created says it was
// not stored before.
func (s *Store) PutProduct(ctx context.Context, p graph.Product) (bool, error) {
	return writeTx(ctx, s, fmt.Sprintf("graph.PutProduct %s", p.ID), func(t txn) (bool, error) {
		params := map[string]any{"id": string(p.ID), "description": orNull(p.Description),
			"ftl_category": orNull(string(p.FTLCategory)), "now": p.UpdatedAt.UTC()}
		created, _, err := single(ctx, t, cypher.ProductPut, params, func(r *row) bool { return r.Bool("created") })
		return created, err
	})
}

// Product reads one product; an unknown one is ENOTFOUND.
func (s *Store) Product(ctx context.Context, id graph.ProductID) (graph.Product, error) {
	op := fmt.Sprintf("graph.Product %s", id)
	type found struct {
		p  graph.Product
		ok bool
	}
	f, err := readTx(ctx, s, op, func(t txn) (found, error) {
		p, ok, err := single(ctx, t, cypher.ProductGet, map[string]any{"id": string(id)}, func(r *row) graph.Product {
			return productOf(r.Map("product"))
		})
		return found{p, ok}, err
	})
	if err == nil && !f.ok {
		err = graph.Errorf(graph.ENOTFOUND, "product %s not found", id)
	}
	return f.p, err
}

// Products lists the products, by id, at most limit.
func (s *Store) Products(ctx context.Context, limit int) ([]graph.Product, error) {
	return readTx(ctx, s, "graph.Products", func(t txn) ([]graph.Product, error) {
		return collect(ctx, t, cypher.ProductsList, map[string]any{"limit": limit}, func(r *row) graph.Product {
			return productOf(r.Map("product"))
		})
	})
}

func productOf(m map[string]any) graph.Product {
	return graph.Product{ID: graph.ProductID(str(m["id"])), Description: str(m["description"]),
		FTLCategory: graph.FTLCategory(str(m["ftl_category"])), UpdatedAt: timeOf(m["updated_at"])}
}

// orNull stores an empty text as no property at all.
func orNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Sentinels stand for an open end of a records range, so that the statements always seek
// the date indexes by range.
var (
	earliest = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	latest   = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
)

// scopeParams are the parameters of the records_* and completeness_* statements.
func scopeParams(sc graph.RecordsScope) map[string]any {
	products := make([]string, len(sc.Products))
	for i, p := range sc.Products {
		products[i] = string(p)
	}
	tlcs := make([]string, len(sc.TLCs))
	for i, c := range sc.TLCs {
		tlcs[i] = string(c)
	}
	from, to := earliest, latest
	if !sc.From.IsZero() {
		from = sc.From.UTC()
	}
	if !sc.To.IsZero() {
		to = sc.To.UTC()
	}
	return map[string]any{"products": products, "food": string(sc.Food), "tlcs": tlcs,
		"all":  len(products) == 0 && sc.Food == "" && len(tlcs) == 0,
		"open": sc.From.IsZero() && sc.To.IsZero(), "from": from, "to": to}
}

// recordsStatements are the records request's statements by CTE.
var recordsStatements = map[graph.CTE]cypher.Statement{
	graph.CTEReceiving:      cypher.RecordsReceiving,
	graph.CTETransformation: cypher.RecordsTransformation,
	graph.CTEShipping:       cypher.RecordsShipping,
}

// recordsByLotStatements find the records from the lots named, for a request that names lots
// only: a few lots over any range, without scanning the dates.
var recordsByLotStatements = map[graph.CTE]cypher.Statement{
	graph.CTEReceiving:      cypher.RecordsReceivingByLot,
	graph.CTETransformation: cypher.RecordsTransformationByLot,
	graph.CTEShipping:       cypher.RecordsShippingByLot,
}

// StreamRecords reads the records of one CTE that an FDA records request's scope holds,
// oldest first, and hands each to yield as it arrives (the rows of kde_rows, made by the same
// constructors); OutsideTrace says a transformation line's own lot is outside the scope. An
// error from yield ends the stream and is returned as it is. The driver retries a transient
// failure only until yield has been handed a row.
func (s *Store) StreamRecords(ctx context.Context, sc graph.RecordsScope, cte graph.CTE, yield func(graph.KDERow) error) error {
	statements := recordsStatements
	if len(sc.Products) == 0 && sc.Food == "" && len(sc.TLCs) > 0 {
		statements = recordsByLotStatements
	}
	st, ok := statements[cte]
	if !ok {
		return graph.Errorf(graph.EINTERNAL, "graph.StreamRecords: no CTE %q", cte)
	}
	return streamTx(ctx, s, "graph.StreamRecords "+string(cte), func(t txn, guard *streamGuard) error {
		return each(ctx, t, st, scopeParams(sc), func(r *row) error {
			kr, err := kdeRowOf(r, nil)
			if err != nil {
				return err
			}
			kr.OutsideTrace = !r.Bool("in_scope")
			if r.err != nil {
				return r.err
			}
			guard.started = true
			if err := yield(kr); err != nil {
				return sinkError{err}
			}
			return nil
		})
	})
}

// completenessStatements are the completeness report's statements by CTE.
var completenessStatements = map[graph.CTE]cypher.Statement{
	graph.CTEReceiving:      cypher.CompletenessReceiving,
	graph.CTETransformation: cypher.CompletenessTransformation,
	graph.CTEShipping:       cypher.CompletenessShipping,
}

// Completeness reports, for every CTE, how many records the scope holds and which of them
// lack a Key Data Element (graph.KDERules), naming up to examples of each finding. Neo4j
// checks the records and returns only those with a gap, so the service holds the report,
// never the records. An empty scope (no product, food or lot) is the whole history; no dates,
// every date, a missing one too. The three CTEs are read at once, each in its own
// transaction (events are only ever added, so they agree but for events added meanwhile).
func (s *Store) Completeness(ctx context.Context, sc graph.RecordsScope, examples int, now time.Time) (*graph.Completeness, error) {
	params := scopeParams(sc)
	counting := cypher.CompletenessCounts
	if params["all"] == true && params["open"] == true {
		counting = cypher.CompletenessCountsAll // the whole history: Neo4j's counts, no scan
	}
	counts, err := readTx(ctx, s, "graph.Completeness", func(t txn) (map[graph.CTE]int64, error) {
		counts, _, err := single(ctx, t, counting, params, func(r *row) map[graph.CTE]int64 {
			return map[graph.CTE]int64{graph.CTEReceiving: r.Int("receiving"), graph.CTETransformation: r.Int("transformation"), graph.CTEShipping: r.Int("shipping")}
		})
		return counts, err
	})
	if err != nil {
		return nil, err
	}
	c := graph.NewCompleteness(sc, examples, now)
	errs := make([]error, len(c.CTEs))
	var wg sync.WaitGroup
	for i := range c.CTEs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cte := c.CTEs[i].CTE
			part, err := readTx(ctx, s, "graph.Completeness "+string(cte), func(t txn) (*graph.Completeness, error) {
				part := graph.NewCompleteness(sc, examples, now) // afresh on a retry
				part.SetRecords(cte, int(counts[cte]))
				return part, each(ctx, t, completenessStatements[cte], params, func(r *row) error {
					ref := graph.RecordRef{CTE: cte, Role: graph.LineRole(r.Str("role")), EventID: r.Str("event"),
						Line: int(r.Int("line")), Lot: graph.LotCode(r.Str("lot")), Date: timeOf(r.value("date"))}
					if missing := r.Strs("missing"); r.err == nil {
						part.Add(ref, missing)
					}
					return nil
				})
			})
			if errs[i] = err; err == nil {
				c.CTEs[i] = part.CTEs[i]
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, nil
}

// LogRecordsRequest records one records request answered.
func (s *Store) LogRecordsRequest(ctx context.Context, q graph.RecordsRequest) error {
	_, err := writeTx(ctx, s, "graph.LogRecordsRequest", func(t txn) (struct{}, error) {
		products := make([]string, len(q.Scope.Products))
		for i, p := range q.Scope.Products {
			products[i] = string(p)
		}
		tlcs := make([]string, len(q.Scope.TLCs))
		for i, c := range q.Scope.TLCs {
			tlcs[i] = string(c)
		}
		req := map[string]any{"id": q.ID, "products": products, "food": orNull(string(q.Scope.Food)), "tlcs": tlcs,
			"from": timeOrNull(q.Scope.From), "to": timeOrNull(q.Scope.To), "format": q.Format, "key": q.Key, "role": q.Role,
			"requested_at": q.RequestedAt.UTC(), "complete": q.Complete,
			"rows_shipping": q.Rows[graph.CTEShipping], "rows_receiving": q.Rows[graph.CTEReceiving],
			"rows_transformation": q.Rows[graph.CTETransformation]}
		_, err := consume(ctx, t, cypher.RecordsRequestLog, map[string]any{"request": req})
		return struct{}{}, err
	})
	return err
}

// RecordsRequests lists the records requests logged, newest first, at most limit.
func (s *Store) RecordsRequests(ctx context.Context, limit int) ([]graph.RecordsRequest, error) {
	return readTx(ctx, s, "graph.RecordsRequests", func(t txn) ([]graph.RecordsRequest, error) {
		return collect(ctx, t, cypher.RecordsRequests, map[string]any{"limit": limit}, func(r *row) graph.RecordsRequest {
			m := r.Map("request")
			q := graph.RecordsRequest{ID: str(m["id"]), Format: str(m["format"]), Key: str(m["key"]), Role: str(m["role"]),
				RequestedAt: timeOf(m["requested_at"]), Complete: m["complete"] == true,
				Rows: map[graph.CTE]int{graph.CTEShipping: int(toInt(m["rows_shipping"])),
					graph.CTEReceiving: int(toInt(m["rows_receiving"])), graph.CTETransformation: int(toInt(m["rows_transformation"]))}}
			q.Scope.Food = graph.FTLCategory(str(m["food"]))
			q.Scope.From, q.Scope.To = timeOf(m["from"]), timeOf(m["to"])
			for _, p := range listOf(m["products"]) {
				q.Scope.Products = append(q.Scope.Products, graph.ProductID(str(p)))
			}
			for _, c := range listOf(m["tlcs"]) {
				q.Scope.TLCs = append(q.Scope.TLCs, graph.LotCode(str(c)))
			}
			return q
		})
	})
}

func listOf(v any) []any {
	l, _ := v.([]any)
	return l
}

func timeOrNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}
