package graph

import (
	"fmt"
	"strings"
	"time"
)

// FTLCategory is a food's category on the FDA's Food Traceability List (21 CFR 1.1300): the
// foods whose records FSMA 204 governs. The empty category is a product not on the list.
type FTLCategory string

// FTLFood is one entry of the Food Traceability List: our code for it and the FDA's name.
type FTLFood struct {
	Category FTLCategory
	Name     string // as the FDA's list names it
}

// FoodTraceabilityList is the FDA's Food Traceability List, in the FDA's order and words
// (fda.gov, "Food Traceability List"). It is the one table of categories: the API, the CSV
// import and the explorer validate against it.
var FoodTraceabilityList = []FTLFood{
	{"cheese_fresh_soft", "Cheese (made from pasteurized milk), fresh soft or soft unripened"},
	{"cheese_soft_ripened", "Cheese (made from pasteurized milk), soft ripened or semi-soft"},
	{"cheese_unpasteurized", "Cheese (made from unpasteurized milk), other than hard cheese"},
	{"shell_eggs", "Shell eggs"},
	{"nut_butters", "Nut butters"},
	{"cucumbers", "Cucumbers (fresh)"},
	{"herbs", "Herbs (fresh)"},
	{"leafy_greens", "Leafy greens (fresh)"},
	{"leafy_greens_fresh_cut", "Leafy greens (fresh-cut)"},
	{"melons", "Melons (fresh)"},
	{"peppers", "Peppers (fresh)"},
	{"sprouts", "Sprouts (fresh)"},
	{"tomatoes", "Tomatoes (fresh)"},
	{"tropical_tree_fruits", "Tropical tree fruits (fresh)"},
	{"fruits_fresh_cut", "Fruits (fresh-cut)"},
	{"vegetables_fresh_cut", "Vegetables other than leafy greens (fresh-cut)"},
	{"finfish_histamine", "Finfish, histamine-producing species (fresh and frozen)"},
	{"finfish_ciguatoxin", "Finfish, species potentially contaminated with ciguatoxin (fresh and frozen)"},
	{"finfish_other", "Finfish, species not associated with histamine or ciguatoxin (fresh and frozen)"},
	{"smoked_finfish", "Smoked finfish (refrigerated and frozen)"},
	{"crustaceans", "Crustaceans (fresh and frozen)"},
	{"molluscan_shellfish", "Molluscan shellfish, bivalves (fresh and frozen)"},
	{"rte_deli_salads", "Ready-to-eat deli salads (refrigerated)"},
}

// FTLFoodOf returns the list's entry for the category.
func FTLFoodOf(c FTLCategory) (FTLFood, bool) {
	for _, f := range FoodTraceabilityList {
		if f.Category == c {
			return f, true
		}
	}
	return FTLFood{}, false
}

// Validate checks that the category is on the list; field names the parameter or field.
func (c FTLCategory) Validate(field string) error {
	if _, ok := FTLFoodOf(c); ok {
		return nil
	}
	codes := make([]string, len(FoodTraceabilityList))
	for i, f := range FoodTraceabilityList {
		codes[i] = string(f.Category)
	}
	return &Error{Code: EINVALID, Message: "unknown Food Traceability List category",
		Fields: []FieldError{{Field: field, Message: fmt.Sprintf("%q is not on the Food Traceability List; one of %s", c, strings.Join(codes, ", "))}}}
}

// ProductID is our product code, as lots carry it (Lot.product).
type ProductID string

// Product is what we know of a product beyond its lots: its description and, for a food on
// the Food Traceability List, its category.
type Product struct {
	ID          ProductID
	Description string
	FTLCategory FTLCategory // "" for a food not on the list (a bakery's flour)
	UpdatedAt   time.Time
}

// RecordsScope is what an FDA records request (21 CFR 1.1455(c)(3)) names: lots of products,
// of foods on the list, or by traceability lot code (a lot matching any of them is in scope),
// and a time range [From, To] that the records' dates fall in (inclusive).
type RecordsScope struct {
	Products []ProductID
	Food     FTLCategory
	TLCs     []LotCode
	From, To time.Time // zero: open
}

// Validate checks the scope, naming the API parameters: the food must be on the list, the
// range must not end before it starts, and with needLots (a records request, not a report
// on the whole history) some lots must be named.
func (s RecordsScope) Validate(needLots bool) error {
	var problems []FieldError
	if needLots && len(s.Products) == 0 && s.Food == "" && len(s.TLCs) == 0 {
		problems = append(problems, FieldError{Field: "product", Message: "name the records asked for: product, food or tlc (at least one)"})
	}
	if s.Food != "" {
		if err := s.Food.Validate("food"); err != nil {
			problems = append(problems, err.(*Error).Fields...)
		}
	}
	if !s.From.IsZero() && !s.To.IsZero() && s.To.Before(s.From) {
		problems = append(problems, FieldError{Field: "to", Message: "must not be before from"})
	}
	if len(problems) > 0 {
		return &Error{Code: EMALFORMED, Message: "invalid records request", Fields: problems}
	}
	return nil
}

// InRange reports whether a record dated t falls in the scope's range.
func (s RecordsScope) InRange(t time.Time) bool {
	return (s.From.IsZero() || !t.Before(s.From)) && (s.To.IsZero() || !t.After(s.To))
}

// RecordsCTEs are the records request's CTEs, in the order of the FDA's template: shipping,
// receiving, transformation.
var RecordsCTEs = []CTE{CTEShipping, CTEReceiving, CTETransformation}

// RecordsRequest is one records request answered: what it asked for, who asked, when, and
// how many rows it returned, kept so that the 24-hour clock of §1.1455(c)(3) can be shown.
type RecordsRequest struct {
	ID          string
	Scope       RecordsScope
	Format      string
	Key         string // the API key's name
	Role        string
	RequestedAt time.Time
	Rows        map[CTE]int
	Complete    bool // false: the answer was cut short (the client went away, the database failed)
}

// Total is the request's row count over every CTE.
func (r RecordsRequest) Total() int {
	n := 0
	for _, c := range r.Rows {
		n += c
	}
	return n
}
