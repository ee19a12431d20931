package graph

import (
	"strings"
	"time"
)

// KDERule is one Key Data Element that a record of a CTE must hold (21 CFR 1.1340–1.1350,
// as ../shared/FSMA204.md summarises them), and how a spreadsheet row shows it missing.
type KDERule struct {
	CTE  CTE
	Role LineRole // transformations: which lines the rule is about; "" for the other CTEs
	KDE  string   // its key, as the store's completeness statements name it
	Name string
	Rule string // the paragraph of 21 CFR Part 1 that requires it
	// Missing reports whether the row lacks the KDE. The store's completeness_*.cypher decide
	// the same in Neo4j (test/fsma_completeness_test.go checks they agree, row by row).
	Missing func(KDERow) bool
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

func noQuantity(r KDERow) bool { return r.Quantity.Amount <= 0 || blank(r.Quantity.Unit) }
func noReference(r KDERow) bool {
	return blank(r.Reference.Type) || blank(r.Reference.Number)
}

// KDERules are every rule the completeness report checks, by CTE in the FDA template's order.
var KDERules = []KDERule{
	{CTEShipping, "", "tlc", "Traceability lot code", "§1.1340(a)(1)", func(r KDERow) bool { return blank(string(r.Lot)) }},
	{CTEShipping, "", "quantity_unit", "Quantity and unit of measure", "§1.1340(a)(2)", noQuantity},
	{CTEShipping, "", "description", "Product description", "§1.1340(a)(3)", func(r KDERow) bool { return blank(r.Description) }},
	{CTEShipping, "", "recipient_location", "Location of the immediate subsequent recipient", "§1.1340(a)(4)", func(r KDERow) bool { return blank(r.Recipient.Location) }},
	{CTEShipping, "", "location", "Location shipped from", "§1.1340(a)(5)", func(r KDERow) bool { return blank(r.Location) }},
	{CTEShipping, "", "date", "Date shipped", "§1.1340(a)(6)", func(r KDERow) bool { return r.Date.IsZero() }},
	{CTEShipping, "", "tlc_source", "TLC source or TLC source reference", "§1.1340(a)(7)", func(r KDERow) bool { return blank(r.TLCSource) }},
	{CTEShipping, "", "reference", "Reference document type and number", "§1.1340(a)(8)", noReference},

	{CTEReceiving, "", "tlc", "Traceability lot code", "§1.1345(a)(1)", func(r KDERow) bool { return blank(string(r.Lot)) }},
	{CTEReceiving, "", "quantity_unit", "Quantity and unit of measure", "§1.1345(a)(2)", noQuantity},
	{CTEReceiving, "", "description", "Product description", "§1.1345(a)(3)", func(r KDERow) bool { return blank(r.Description) }},
	{CTEReceiving, "", "source_location", "Location of the immediate previous source", "§1.1345(a)(4)", func(r KDERow) bool { return blank(r.Source.Location) }},
	{CTEReceiving, "", "location", "Location where received", "§1.1345(a)(5)", func(r KDERow) bool { return blank(r.Location) }},
	{CTEReceiving, "", "date", "Date received", "§1.1345(a)(6)", func(r KDERow) bool { return r.Date.IsZero() }},
	{CTEReceiving, "", "tlc_source", "TLC source or TLC source reference", "§1.1345(a)(7)", func(r KDERow) bool { return blank(r.TLCSource) }},
	{CTEReceiving, "", "reference", "Reference document type and number", "§1.1345(a)(8)", noReference},

	{CTETransformation, RoleInput, "tlc", "Traceability lot code of the food used", "§1.1350(a)(2)(i)(A)", func(r KDERow) bool { return blank(string(r.Lot)) }},
	{CTETransformation, RoleInput, "description", "Product description of the food used", "§1.1350(a)(2)(i)(B)", func(r KDERow) bool { return blank(r.Description) }},
	{CTETransformation, RoleInput, "quantity_unit", "Quantity and unit of measure used from the lot", "§1.1350(a)(2)(i)(C)", noQuantity},
	{CTETransformation, RoleOutput, "inputs", "Foods used in the transformation", "§1.1350(a)(2)(i)", func(r KDERow) bool { return len(r.Inputs) == 0 }},
	{CTETransformation, RoleOutput, "tlc", "New traceability lot code", "§1.1350(a)(2)(ii)(A)", func(r KDERow) bool { return blank(string(r.Lot)) }},
	{CTETransformation, RoleOutput, "tlc_source", "Transformation location (TLC source) or TLC source reference", "§1.1350(a)(2)(ii)(B)", func(r KDERow) bool { return blank(r.TLCSource) && blank(r.Location) }},
	{CTETransformation, RoleOutput, "date", "Date the transformation was completed", "§1.1350(a)(2)(ii)(C)", func(r KDERow) bool { return r.Date.IsZero() }},
	{CTETransformation, RoleOutput, "description", "Product description of the new food", "§1.1350(a)(2)(ii)(D)", func(r KDERow) bool { return blank(r.Description) }},
	{CTETransformation, RoleOutput, "quantity_unit", "Quantity and unit of measure of the new food", "§1.1350(a)(2)(ii)(E)", noQuantity},
	{CTETransformation, RoleOutput, "reference", "Reference document type and number", "§1.1350(a)(2)(ii)(F)", noReference},
}

// KDERuleOf returns the rule of a CTE (and transformation role) by its key.
func KDERuleOf(cte CTE, role LineRole, kde string) (KDERule, bool) {
	for _, r := range KDERules {
		if r.CTE == cte && r.Role == role && r.KDE == kde {
			return r, true
		}
	}
	return KDERule{}, false
}

// MissingKDEs lists the keys of the rules the row breaks, in KDERules order: what the store's
// completeness statements report for the same record.
func MissingKDEs(r KDERow) []string {
	var out []string
	for _, rule := range KDERules {
		if rule.CTE == r.CTE && rule.Role == r.Role && rule.Missing(r) {
			out = append(out, rule.KDE)
		}
	}
	return out
}

// RecordRef names one record (one event line) of a finding, for a person to find it.
type RecordRef struct {
	CTE     CTE
	Role    LineRole
	EventID string
	Line    int
	Lot     LotCode
	Date    time.Time
}

// Finding is one rule and the records that break it: all counted, the first few named.
type Finding struct {
	Rule     KDERule
	Missing  int
	Examples []RecordRef
}

// CTECompleteness is the completeness of one CTE's records: how many there are, how many
// hold every required KDE, and a finding for each rule (broken or not).
type CTECompleteness struct {
	CTE      CTE
	Records  int
	Complete int
	Findings []Finding
}

// Percent is the share of the CTE's records that hold every KDE; 100 when there are none.
func (c CTECompleteness) Percent() float64 {
	if c.Records == 0 {
		return 100
	}
	return 100 * float64(c.Complete) / float64(c.Records)
}

// Completeness is the KDE completeness report of a scope: per CTE (in the template's order).
type Completeness struct {
	Scope       RecordsScope
	CTEs        []CTECompleteness
	Examples    int // the most records named per finding
	GeneratedAt time.Time
}

// DefaultCompletenessExamples is how many offending records a finding names by default.
const DefaultCompletenessExamples = 20

// NewCompleteness starts an empty report of the scope: every CTE and every rule, no records.
func NewCompleteness(scope RecordsScope, examples int, now time.Time) *Completeness {
	c := &Completeness{Scope: scope, Examples: examples, GeneratedAt: now}
	for _, cte := range RecordsCTEs {
		cc := CTECompleteness{CTE: cte}
		for _, r := range KDERules {
			if r.CTE == cte {
				cc.Findings = append(cc.Findings, Finding{Rule: r})
			}
		}
		c.CTEs = append(c.CTEs, cc)
	}
	return c
}

func (c *Completeness) cte(cte CTE) *CTECompleteness {
	for i := range c.CTEs {
		if c.CTEs[i].CTE == cte {
			return &c.CTEs[i]
		}
	}
	return nil
}

// SetRecords sets how many records of the CTE the scope holds; records without a gap are
// the rest once every offending record has been added.
func (c *Completeness) SetRecords(cte CTE, n int) {
	if cc := c.cte(cte); cc != nil {
		cc.Records = n
		cc.Complete += n
	}
}

// Add counts one record that lacks the KDEs named (keys of KDERules of its CTE and role); the
// first Examples of each finding are kept. Records arrive in the store's order (by date).
func (c *Completeness) Add(rec RecordRef, missing []string) {
	cc := c.cte(rec.CTE)
	if cc == nil || len(missing) == 0 {
		return
	}
	cc.Complete--
	for _, kde := range missing {
		for i := range cc.Findings {
			f := &cc.Findings[i]
			if f.Rule.Role == rec.Role && f.Rule.KDE == kde {
				f.Missing++
				if len(f.Examples) < c.Examples {
					f.Examples = append(f.Examples, rec)
				}
			}
		}
	}
}
