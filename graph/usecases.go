package graph

import "context"

// The use cases the reports answer: what to read and how to put it together, here in the
// domain rather than in the handlers. Each declares the little it needs of the store.

// RecallReportSource is what a recall report reads.
type RecallReportSource interface {
	Recall(ctx context.Context, code LotCode, bounds Bounds) (*Recall, error)
	LotUsage(ctx context.Context, codes []LotCode) ([]LotUsage, error)
}

// RecallReport is a recall with what the recall letter and the regulator need of it: the
// affected customers and the mass balance of every lot in it.
type RecallReport struct {
	Recall    *Recall
	Customers []CustomerRecall // by customer id
	Balance   []LotBalance     // every lot of the recall, by code
	Rule      BalanceRule
}

// RecallReportFor walks the recall of code within bounds and balances every lot it reached
// (ingredients, source batches and affected) under rule.
func RecallReportFor(ctx context.Context, src RecallReportSource, code LotCode, bounds Bounds, rule BalanceRule) (*RecallReport, error) {
	recall, err := src.Recall(ctx, code, bounds)
	if err != nil {
		return nil, err
	}
	usage, err := src.LotUsage(ctx, LotCodes(recall.Traces()...))
	if err != nil {
		return nil, err
	}
	return &RecallReport{Recall: recall, Customers: RecallCustomers(recall), Balance: MassBalances(usage, rule), Rule: rule}, nil
}

// MassBalanceSource is what the mass balance of a trace reads: which lots the trace reached
// (the keys walk, not every property) and how each was used.
type MassBalanceSource interface {
	TraceKeys(ctx context.Context, code LotCode, dir Direction, bounds Bounds) (*Reach, error)
	LotUsage(ctx context.Context, codes []LotCode) ([]LotUsage, error)
}

// MassBalance is the balance of every lot a trace reached.
type MassBalance struct {
	Root      LotCode
	Direction Direction
	Rule      BalanceRule
	Lots      []LotBalance // by lot code
	Reached   int          // lots, batches, suppliers and customers the trace reached
	Truncated bool         // a bound cut the trace short
	CutBy     Cut
}

// MassBalanceFor traces code in dir within bounds and balances every lot reached under rule.
func MassBalanceFor(ctx context.Context, src MassBalanceSource, code LotCode, dir Direction, bounds Bounds, rule BalanceRule) (*MassBalance, error) {
	reached, err := src.TraceKeys(ctx, code, dir, bounds)
	if err != nil {
		return nil, err
	}
	codes := make([]LotCode, len(reached.Lots))
	for i, l := range reached.Lots {
		codes[i] = LotCode(l)
	}
	usage, err := src.LotUsage(ctx, codes)
	if err != nil {
		return nil, err
	}
	return &MassBalance{Root: code, Direction: dir, Rule: rule, Lots: MassBalances(usage, rule),
		Reached: reached.Size(), Truncated: reached.Truncated, CutBy: reached.CutBy}, nil
}

// ExposureSource is what the exposure of a lot reads: its forward trace.
type ExposureSource interface {
	Trace(ctx context.Context, code LotCode, dir Direction, bounds Bounds) (*Trace, error)
}

// ExposureFor traces code forward within bounds and allocates the lot over everything it
// went into and every shipment that carried it.
func ExposureFor(ctx context.Context, src ExposureSource, code LotCode, bounds Bounds) (*Exposure, error) {
	trace, err := src.Trace(ctx, code, Forward, bounds)
	if err != nil {
		return nil, err
	}
	return Exposures(trace), nil
}
