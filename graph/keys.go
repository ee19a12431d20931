package graph

import "strings"

// Key names one thing an event records or refers to, as kind:id: "lot:FG-1", "batch:B2",
// "shipment:SH-1", "supplier:S", "customer:C" (the trace's node ids).
type Key string

// Kinds of Key.
const (
	KeyLot      = "lot"
	KeyBatch    = "batch"
	KeyShipment = "shipment"
	KeySupplier = "supplier"
	KeyCustomer = "customer"
)

func keyOf(kind, id string) Key { return Key(kind + ":" + id) }

// Kind is the key's kind: "lot", "batch", "shipment", "supplier" or "customer".
func (k Key) Kind() string {
	kind, _, _ := strings.Cut(string(k), ":")
	return kind
}

// ID is the key without its kind.
func (k Key) ID() string {
	_, id, _ := strings.Cut(string(k), ":")
	return id
}

// PartyDescription is how an event describes its supplier or customer.
type PartyDescription struct{ Name, Location, Contact string }

// EventKeys are what one event records and refers to: the one place that knows, for the
// loader's scheduler, the store's lookup before planning and the audit trail.
type EventKeys struct {
	Creates   []Key            // its lot (a receipt); its batch, then its output lots; its shipment
	Uses      []Key            // the lots it consumes or ships, in line order
	Party     Key              // its supplier or customer; "" for a production
	Described PartyDescription // how it describes Party
}

// All is every key: Creates, then Party, then Uses.
func (k EventKeys) All() []Key {
	all := make([]Key, 0, len(k.Creates)+1+len(k.Uses))
	all = append(all, k.Creates...)
	if k.Party != "" {
		all = append(all, k.Party)
	}
	return append(all, k.Uses...)
}

func (r *Receipt) Keys() EventKeys {
	return EventKeys{
		Creates:   []Key{keyOf(KeyLot, string(r.Lot.Code))},
		Party:     keyOf(KeySupplier, string(r.Supplier.ID)),
		Described: PartyDescription{Name: r.Supplier.Name, Location: r.Supplier.Location},
	}
}

func (p *Production) Keys() EventKeys {
	k := EventKeys{Creates: make([]Key, 0, 1+len(p.Outputs)), Uses: make([]Key, 0, len(p.Inputs))}
	k.Creates = append(k.Creates, keyOf(KeyBatch, string(p.Batch.ID)))
	for _, out := range p.Outputs {
		k.Creates = append(k.Creates, keyOf(KeyLot, string(out.Code)))
	}
	for _, in := range p.Inputs {
		k.Uses = append(k.Uses, keyOf(KeyLot, string(in.Lot)))
	}
	return k
}

func (s *Shipment) Keys() EventKeys {
	k := EventKeys{
		Creates:   []Key{keyOf(KeyShipment, string(s.ID))},
		Uses:      make([]Key, 0, len(s.Lines)),
		Party:     keyOf(KeyCustomer, string(s.Customer.ID)),
		Described: PartyDescription{Name: s.Customer.Name, Location: s.Customer.Location, Contact: s.Customer.Contact},
	}
	for _, l := range s.Lines {
		k.Uses = append(k.Uses, keyOf(KeyLot, string(l.Lot)))
	}
	return k
}
