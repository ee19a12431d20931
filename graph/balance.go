package graph

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// MassBalanceMethod documents the mass balance; the API answers it with every balance.
const MassBalanceMethod = "For each lot: in = the quantity received or produced; out = consumed " +
	"(every batch that used it, inside the trace or not) + shipped (every shipment line); " +
	"remaining = in - out, the book stock, to be checked against a stock count; accounted_pct " +
	"= out / in x 100. Status: balanced when accounted_pct is within the tolerance; over when " +
	"above it; below it, open (book stock remains: the lot may still be in store) unless the " +
	"lots are declared closed (closed=true: used up, as in a mock recall of a finished period), " +
	"then short. not_comparable when some use is recorded in another unit. A lot is flagged " +
	"when over, short or not_comparable, and whenever more left than arrived (out > in), " +
	"which records alone can prove wrong whatever the tolerance."

// LotUsage is what the records say about one lot's quantities: how much there was, and its
// consumption and shipping totals over all of its relationships, per unit.
type LotUsage struct {
	Lot      LotCode
	Product  string
	Origin   EventKind // received or produced
	Quantity Quantity
	Consumed []Quantity // one total per unit, normally only the lot's own
	Shipped  []Quantity
}

// Tolerance is the band of accounted percentages taken as balanced, e.g. 95 to 105.
type Tolerance struct {
	Low, High float64
}

// DefaultTolerance is the band practitioners accept when justified (see FSMA204.md).
var DefaultTolerance = Tolerance{Low: 95, High: 105}

// Validate checks the band, naming the API parameters.
func (t Tolerance) Validate() error {
	var problems []FieldError
	if !(t.Low >= 0 && t.Low <= 100) {
		problems = append(problems, FieldError{Field: "tolerance_low", Message: "must be a percentage from 0 to 100"})
	}
	if !(t.High >= 100 && t.High <= 1000) {
		problems = append(problems, FieldError{Field: "tolerance_high", Message: "must be a percentage from 100 to 1000"})
	}
	if len(problems) > 0 {
		return &Error{Code: EMALFORMED, Message: "invalid mass balance tolerance", Fields: problems}
	}
	return nil
}

// ParseTolerance reads a band written "95-105".
func ParseTolerance(s string) (Tolerance, error) {
	lo, hi, ok := strings.Cut(strings.TrimSpace(s), "-")
	low, errLow := strconv.ParseFloat(strings.TrimSpace(lo), 64)
	high, errHigh := strconv.ParseFloat(strings.TrimSpace(hi), 64)
	if !ok || errLow != nil || errHigh != nil {
		return Tolerance{}, Errorf(EMALFORMED, "tolerance %q is not LOW-HIGH, e.g. 95-105", s)
	}
	t := Tolerance{Low: low, High: high}
	return t, t.Validate()
}

// BalanceStatus is a lot's mass balance verdict.
type BalanceStatus string

const (
	Balanced      BalanceStatus = "balanced"
	Open          BalanceStatus = "open"
	Short         BalanceStatus = "short"
	Over          BalanceStatus = "over"
	NotComparable BalanceStatus = "not_comparable"
)

// LotBalance is one lot's mass balance; quantities are in the lot's unit.
type LotBalance struct {
	Lot                 LotCode
	Product             string
	Origin              EventKind
	Quantity            Quantity // received or produced
	Consumed, Shipped   float64
	Remaining           float64
	AccountedPct        float64
	Status              BalanceStatus
	MoreLeftThanArrived bool
	Flagged             bool
	Note                string // what made it not comparable
}

// BalanceRule is how balances are judged: the tolerance and whether the lots are used up.
type BalanceRule struct {
	Tolerance Tolerance
	Closed    bool
}

func allFinite(xs []float64) bool {
	for _, x := range xs {
		if !finite(x) {
			return false
		}
	}
	return true
}

// MassBalances judges each lot's usage by the rule (see MassBalanceMethod), in lot order.
func MassBalances(usage []LotUsage, rule BalanceRule) []LotBalance {
	out := make([]LotBalance, 0, len(usage))
	for _, u := range usage {
		b := LotBalance{Lot: u.Lot, Product: u.Product, Origin: u.Origin, Quantity: u.Quantity}
		var others []string
		for _, list := range []struct {
			dst  *float64
			what string
			qs   []Quantity
		}{{&b.Consumed, "consumed", u.Consumed}, {&b.Shipped, "shipped", u.Shipped}} {
			for _, q := range list.qs {
				if q.Unit == u.Quantity.Unit {
					*list.dst += q.Amount
				} else {
					others = append(others, fmt.Sprintf("%s %g %s", list.what, q.Amount, q.Unit))
				}
			}
		}
		left := b.Consumed + b.Shipped
		b.Remaining = u.Quantity.Amount - left
		if u.Quantity.Amount > 0 {
			b.AccountedPct = left * 100 / u.Quantity.Amount
		}
		// A relative epsilon: sums of decimal quantities are not exact in binary.
		b.MoreLeftThanArrived = left > u.Quantity.Amount*(1+1e-9)
		switch {
		case len(others) > 0:
			b.Status, b.Note = NotComparable, "recorded in another unit than the lot's "+u.Quantity.Unit+": "+strings.Join(others, ", ")
		case b.AccountedPct > rule.Tolerance.High:
			b.Status = Over
		case b.AccountedPct >= rule.Tolerance.Low:
			b.Status = Balanced
		case rule.Closed:
			b.Status = Short
		default:
			b.Status = Open
		}
		if numbers := []float64{b.Consumed, b.Shipped, b.Remaining, b.AccountedPct}; !allFinite(numbers) {
			// Only quantities stored before they were bounded (see ingest.MinQuantity) get here,
			// such as a lot of 1e-320 kg of which 50 kg were used.
			b.Status, b.Note = NotComparable, "the recorded quantities are too far apart to compute a percentage; the figures are capped at the largest number"
			b.Consumed, b.Shipped, b.Remaining, b.AccountedPct = saturate(b.Consumed), saturate(b.Shipped), saturate(b.Remaining), saturate(b.AccountedPct)
		}
		b.Flagged = b.MoreLeftThanArrived || (b.Status != Balanced && b.Status != Open)
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Lot < out[j].Lot })
	return out
}
