package graph

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// The fingerprint of an event is the first 16 bytes of the SHA-256 of its canonical encoding,
// in hex. The encoding is version 1: the bytes json.Marshal wrote for the event types as they
// were tagged when fingerprints were first stored. It is written out here, field by field, so
// that renaming a field or a JSON tag cannot change a stored event's fingerprint (which would
// turn every resend of it into a conflict). Field names are literals, their order is fixed in
// this file, and leaves are encoded by the standard library's rules: strings as json.Marshal
// writes them (HTML-escaped, U+2028/U+2029 escaped, invalid UTF-8 as U+FFFD), numbers as
// json.Marshal writes a float64, times as time.Time.MarshalJSON; a nil slice is null and an
// empty one []. TestFingerprintGolden pins the result; TestCanonicalIsTheJSONOfVersion1
// checks it against json.Marshal.

func (r *Receipt) Fingerprint() string    { return fingerprintOf(r.canonical) }
func (p *Production) Fingerprint() string { return fingerprintOf(p.canonical) }
func (s *Shipment) Fingerprint() string   { return fingerprintOf(s.canonical) }

func fingerprintOf(write func(*canon)) string {
	var c canon
	write(&c)
	sum := sha256.Sum256(c.buf.Bytes())
	return hex.EncodeToString(sum[:16])
}

// canon writes a canonical encoding. Its leaves cannot fail for a valid event; an event that
// cannot be encoded (a NaN amount, a time outside years 0-9999) is a programming error, as it
// was with json.Marshal.
type canon struct{ buf bytes.Buffer }

// field writes `"name":` preceded by the separator: '{' for the first field of an object.
func (c *canon) field(first bool, name string) {
	if first {
		c.buf.WriteByte('{')
	} else {
		c.buf.WriteByte(',')
	}
	c.buf.WriteByte('"') // names are plain ASCII literals: nothing to escape
	c.buf.WriteString(name)
	c.buf.WriteString(`":`)
}

func (c *canon) end() { c.buf.WriteByte('}') }

// str writes s as json.Marshal does: directly when it has nothing to escape (printable ASCII
// other than '"', '\\', '<', '>', '&'), else by json.Marshal itself.
func (c *canon) str(s string) {
	for i := 0; i < len(s); i++ {
		if b := s[i]; b < 0x20 || b >= 0x7f || b == '"' || b == '\\' || b == '<' || b == '>' || b == '&' {
			c.leaf(s)
			return
		}
	}
	c.buf.WriteByte('"')
	c.buf.WriteString(s)
	c.buf.WriteByte('"')
}

// leaf writes a string or float64 as json.Marshal does.
func (c *canon) leaf(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic("graph: an event that cannot be fingerprinted: " + err.Error())
	}
	c.buf.Write(b)
}

func (c *canon) time(t time.Time) {
	b, err := t.MarshalJSON()
	if err != nil {
		panic("graph: an event that cannot be fingerprinted: " + err.Error())
	}
	c.buf.Write(b)
}

// list writes n items, null for a nil slice.
func (c *canon) list(isNil bool, n int, item func(i int)) {
	if isNil {
		c.buf.WriteString("null")
		return
	}
	c.buf.WriteByte('[')
	for i := range n {
		if i > 0 {
			c.buf.WriteByte(',')
		}
		item(i)
	}
	c.buf.WriteByte(']')
}

func (c *canon) quantity(q Quantity) {
	c.field(true, "amount")
	c.leaf(q.Amount)
	c.field(false, "unit")
	c.str(q.Unit)
	c.end()
}

func (c *canon) reference(r Reference) {
	c.field(true, "type")
	c.str(r.Type)
	c.field(false, "number")
	c.str(r.Number)
	c.end()
}

func (c *canon) newLot(l NewLot) {
	c.field(true, "code")
	c.str(string(l.Code))
	c.field(false, "product")
	c.str(l.Product)
	c.field(false, "description")
	c.str(l.Description)
	c.field(false, "quantity")
	c.quantity(l.Quantity)
	c.field(false, "supplier_lot")
	c.str(l.SupplierLot)
	c.field(false, "expires_at")
	c.str(l.ExpiresAt)
	c.end()
}

func (c *canon) lotQuantities(ls []LotQuantity) {
	c.list(ls == nil, len(ls), func(i int) {
		c.field(true, "lot")
		c.str(string(ls[i].Lot))
		c.field(false, "quantity")
		c.quantity(ls[i].Quantity)
		c.end()
	})
}

func (r *Receipt) canonical(c *canon) {
	c.field(true, "lot")
	c.newLot(r.Lot)
	c.field(false, "supplier")
	c.field(true, "id")
	c.str(string(r.Supplier.ID))
	c.field(false, "name")
	c.str(r.Supplier.Name)
	c.field(false, "location")
	c.str(r.Supplier.Location)
	c.end()
	c.field(false, "received_at")
	c.time(r.ReceivedAt)
	c.field(false, "location")
	c.str(r.Location)
	c.field(false, "tlc_source")
	c.str(r.TLCSource)
	c.field(false, "reference")
	c.reference(r.Reference)
	c.end()
}

func (p *Production) canonical(c *canon) {
	c.field(true, "batch")
	c.field(true, "id")
	c.str(string(p.Batch.ID))
	c.field(false, "line")
	c.str(p.Batch.Line)
	c.end()
	c.field(false, "produced_at")
	c.time(p.ProducedAt)
	c.field(false, "location")
	c.str(p.Location)
	c.field(false, "tlc_source")
	c.str(p.TLCSource)
	c.field(false, "reference")
	c.reference(p.Reference)
	c.field(false, "inputs")
	c.lotQuantities(p.Inputs)
	c.field(false, "outputs")
	c.list(p.Outputs == nil, len(p.Outputs), func(i int) { c.newLot(p.Outputs[i]) })
	c.end()
}

func (s *Shipment) canonical(c *canon) {
	c.field(true, "id")
	c.str(string(s.ID))
	c.field(false, "customer")
	c.field(true, "id")
	c.str(string(s.Customer.ID))
	c.field(false, "name")
	c.str(s.Customer.Name)
	c.field(false, "location")
	c.str(s.Customer.Location)
	c.field(false, "contact")
	c.str(s.Customer.Contact)
	c.end()
	c.field(false, "shipped_at")
	c.time(s.ShippedAt)
	c.field(false, "from")
	c.str(s.From)
	c.field(false, "reference")
	c.reference(s.Reference)
	c.field(false, "lines")
	c.lotQuantities(s.Lines)
	c.end()
}
