package api

import (
	"net/url"
	"time"

	"github.com/lot-trace/lot-trace/graph"
)

// productJSON answers PUT and GET /api/v1/products/:id.
type productJSON struct {
	ID          string    `json:"id"`
	Description string    `json:"description,omitempty"`
	FTLCategory string    `json:"ftl_category,omitempty"`
	FTLName     string    `json:"ftl_name,omitempty"` // the FDA's name of the category
	UpdatedAt   time.Time `json:"updated_at"`
}

func productToJSON(p graph.Product) productJSON {
	f, _ := graph.FTLFoodOf(p.FTLCategory)
	return productJSON{ID: string(p.ID), Description: p.Description, FTLCategory: string(p.FTLCategory), FTLName: f.Name, UpdatedAt: p.UpdatedAt.UTC()}
}

// productListJSON answers GET /api/v1/products.
type productListJSON struct {
	Products []productJSON `json:"products"`
}

// ftlListJSON answers GET /api/v1/fsma/foods.
type ftlListJSON struct {
	Foods []ftlFoodJSON `json:"foods"`
}

type ftlFoodJSON struct {
	Category string `json:"category"`
	Name     string `json:"name"`
}

// recordsScopeJSON is a records request's or completeness report's scope.
type recordsScopeJSON struct {
	Products []string   `json:"products"`
	Food     string     `json:"food,omitempty"`
	TLCs     []string   `json:"tlcs"`
	From     *time.Time `json:"from,omitempty"`
	To       *time.Time `json:"to,omitempty"`
}

func recordsScopeToJSON(sc graph.RecordsScope) recordsScopeJSON {
	out := recordsScopeJSON{Products: []string{}, TLCs: []string{}, Food: string(sc.Food)}
	for _, p := range sc.Products {
		out.Products = append(out.Products, string(p))
	}
	for _, l := range sc.TLCs {
		out.TLCs = append(out.TLCs, string(l))
	}
	if !sc.From.IsZero() {
		t := sc.From.UTC()
		out.From = &t
	}
	if !sc.To.IsZero() {
		t := sc.To.UTC()
		out.To = &t
	}
	return out
}

// recordsRequestHeadJSON opens a records request's JSON answer.
type recordsRequestHeadJSON struct {
	ID          string           `json:"id"`
	Scope       recordsScopeJSON `json:"scope"`
	Key         string           `json:"key"`
	GeneratedAt time.Time        `json:"generated_at"`
}

// countsJSON are the rows per CTE.
type countsJSON struct {
	Shipping       int `json:"shipping"`
	Receiving      int `json:"receiving"`
	Transformation int `json:"transformation"`
	Total          int `json:"total"`
}

func countsToJSON(n map[graph.CTE]int) countsJSON {
	c := countsJSON{Shipping: n[graph.CTEShipping], Receiving: n[graph.CTEReceiving], Transformation: n[graph.CTETransformation]}
	c.Total = c.Shipping + c.Receiving + c.Transformation
	return c
}

// lotQuantityJSON is one input of a transformation on its output rows.
type lotQuantityJSON struct {
	Lot      string  `json:"lot"`
	Quantity float64 `json:"quantity"`
	Unit     string  `json:"unit"`
}

// kdeRowJSON is one record (event line) of a records request: the spreadsheet's row.
type kdeRowJSON struct {
	CTE         string            `json:"cte"`
	Role        string            `json:"role,omitempty"`
	EventID     string            `json:"event_id"`
	Line        int               `json:"line,omitempty"`
	Lot         string            `json:"tlc"`
	Product     string            `json:"product"`
	Description string            `json:"description,omitempty"`
	Quantity    float64           `json:"quantity"`
	Unit        string            `json:"unit"`
	Date        *time.Time        `json:"date"`
	Location    string            `json:"location,omitempty"`
	Source      *partyJSON        `json:"source,omitempty"`
	Recipient   *partyJSON        `json:"recipient,omitempty"`
	TLCSource   string            `json:"tlc_source,omitempty"`
	Reference   referenceJSON     `json:"reference"`
	Inputs      []lotQuantityJSON `json:"inputs,omitempty"`
	SupplierLot string            `json:"supplier_lot,omitempty"`
	ExpiresAt   string            `json:"expires_at,omitempty"`
	InScope     bool              `json:"in_scope"`
}

func kdeRowToJSON(r graph.KDERow) kdeRowJSON {
	out := kdeRowJSON{CTE: string(r.CTE), Role: string(r.Role), EventID: r.EventID, Line: r.Line, Lot: string(r.Lot),
		Product: r.Product, Description: r.Description, Quantity: r.Quantity.Amount, Unit: r.Quantity.Unit,
		Location: r.Location, TLCSource: r.TLCSource, Reference: referenceToJSON(r.Reference),
		SupplierLot: r.SupplierLot, ExpiresAt: r.ExpiresAt, InScope: !r.OutsideTrace}
	if !r.Date.IsZero() {
		t := r.Date.UTC()
		out.Date = &t
	}
	if r.CTE == graph.CTEReceiving {
		out.Source = &partyJSON{ID: r.Source.ID, Name: r.Source.Name, Location: r.Source.Location}
	}
	if r.CTE == graph.CTEShipping {
		out.Recipient = &partyJSON{ID: r.Recipient.ID, Name: r.Recipient.Name, Location: r.Recipient.Location}
	}
	for _, in := range r.Inputs {
		out.Inputs = append(out.Inputs, lotQuantityJSON{Lot: string(in.Lot), Quantity: in.Quantity.Amount, Unit: in.Quantity.Unit})
	}
	return out
}

// recordsRequestJSON is one logged records request.
type recordsRequestJSON struct {
	ID          string           `json:"id"`
	Scope       recordsScopeJSON `json:"scope"`
	Format      string           `json:"format"`
	Key         string           `json:"key"`
	Role        string           `json:"role"`
	RequestedAt time.Time        `json:"requested_at"`
	Rows        countsJSON       `json:"rows"`
	Complete    bool             `json:"complete"`
	// DueBy is 24 hours after the request was answered: §1.1455(c)(3) gives the firm that long
	// from the FDA's request, which the log can only approximate by when it was run here.
	DueBy time.Time `json:"due_by"`
}

type recordsRequestListJSON struct {
	Requests []recordsRequestJSON `json:"requests"`
}

func recordsRequestToJSON(q graph.RecordsRequest) recordsRequestJSON {
	return recordsRequestJSON{ID: q.ID, Scope: recordsScopeToJSON(q.Scope), Format: q.Format, Key: q.Key, Role: q.Role,
		RequestedAt: q.RequestedAt.UTC(), Rows: countsToJSON(q.Rows), Complete: q.Complete, DueBy: q.RequestedAt.UTC().Add(24 * time.Hour)}
}

// completenessJSON answers GET /api/v1/fsma/completeness.
type completenessJSON struct {
	Scope       recordsScopeJSON      `json:"scope"`
	GeneratedAt time.Time             `json:"generated_at"`
	Examples    int                   `json:"examples"`
	CTEs        []cteCompletenessJSON `json:"ctes"`
}

type cteCompletenessJSON struct {
	CTE      string        `json:"cte"`
	Records  int           `json:"records"`
	Complete int           `json:"complete"`
	Percent  float64       `json:"percent_complete"`
	Findings []findingJSON `json:"findings"`
}

type findingJSON struct {
	Rule     string          `json:"rule"`
	KDE      string          `json:"kde"`
	Name     string          `json:"name"`
	Role     string          `json:"role,omitempty"`
	Missing  int             `json:"missing"`
	Examples []recordRefJSON `json:"examples"`
}

type recordRefJSON struct {
	EventID string     `json:"event_id"`
	Role    string     `json:"role,omitempty"`
	Line    int        `json:"line,omitempty"`
	Lot     string     `json:"lot"`
	Date    *time.Time `json:"date"`
	Link    string     `json:"link"` // the lot in the API
	View    string     `json:"view"` // the lot in the explorer
}

func completenessToJSON(c *graph.Completeness) completenessJSON {
	out := completenessJSON{Scope: recordsScopeToJSON(c.Scope), GeneratedAt: c.GeneratedAt.UTC(), Examples: c.Examples, CTEs: []cteCompletenessJSON{}}
	for _, cc := range c.CTEs {
		cj := cteCompletenessJSON{CTE: string(cc.CTE), Records: cc.Records, Complete: cc.Complete, Percent: cc.Percent(), Findings: []findingJSON{}}
		for _, f := range cc.Findings {
			fj := findingJSON{Rule: f.Rule.Rule, KDE: f.Rule.KDE, Name: f.Rule.Name, Role: string(f.Rule.Role), Missing: f.Missing, Examples: []recordRefJSON{}}
			for _, r := range f.Examples {
				fj.Examples = append(fj.Examples, recordRefToJSON(r))
			}
			cj.Findings = append(cj.Findings, fj)
		}
		out.CTEs = append(out.CTEs, cj)
	}
	return out
}

func recordRefToJSON(r graph.RecordRef) recordRefJSON {
	out := recordRefJSON{EventID: r.EventID, Role: string(r.Role), Line: r.Line, Lot: string(r.Lot),
		Link: lotLink(r.Lot), View: "/?lot=" + url.QueryEscape(string(r.Lot))}
	if !r.Date.IsZero() {
		t := r.Date.UTC()
		out.Date = &t
	}
	return out
}

// lotLink is the API's address of a lot.
func lotLink(code graph.LotCode) string { return "/api/v1/lots/" + url.PathEscape(string(code)) }
