// Package synth generates deterministic synthetic lot histories, shaped like a real bakery,
// as NDJSON events for load tests, benchmarks and demos.
package synth

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/lot-trace/lot-trace/ingest"
)

// Options says which history to generate.
type Options struct {
	// Seed picks the history: the same seed and options give byte-identical output.
	Seed uint64
	// Lots is the target number of lots (received ingredient lots plus produced lots). The
	// history ends with the first production cycle that reaches it, so it overshoots by a
	// few lots at most.
	Lots int
	// HubBatches is how many mixing batches consume the first salt lot: the hub that makes
	// forward traces wide. 0 means automatic: min(5000, about the number of mixing batches).
	// A value larger than the history's mixing batches lengthens the history until the hub
	// has been used that many times.
	HubBatches int
	// Prefix is prepended to every id (lots, batches, suppliers, supplier lots, customers,
	// shipments, reference numbers), so that several histories can share one database.
	Prefix string
}

// Stats counts what Generate wrote.
type Stats struct {
	Receipts      int
	Productions   int
	Shipments     int
	ShipmentLines int
	Lots          int // received lots plus produced lots
	Events        int // lines written
	HubBatches    int // the batches that consumed the hub salt lot
	Feedings      int // feedings of the sourdough starter, each a level of its chain
}

// Generate writes a synthetic bakery history to w as NDJSON, one event a line, in an order
// the service can apply: every lot is created on an earlier line than any line that uses
// it, and times never go backwards. It streams: memory stays flat whatever the size.
func Generate(w io.Writer, opt Options) (Stats, error) {
	if err := opt.validate(); err != nil {
		return Stats{}, err
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	g := newGenerator(bw, opt)
	if err := g.run(); err != nil {
		return g.stats, fmt.Errorf("synth.Generate: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return g.stats, fmt.Errorf("synth.Generate: %w", err)
	}
	return g.stats, nil
}

func (o Options) validate() error {
	var problems []string
	if o.Lots < 1 {
		problems = append(problems, fmt.Sprintf("lots must be at least 1, not %d", o.Lots))
	}
	if o.HubBatches < 0 {
		problems = append(problems, fmt.Sprintf("hub batches must be 0 (automatic) or more, not %d", o.HubBatches))
	}
	// The longest id we make is under 32 characters; the prefix must leave it a valid id.
	if o.Prefix != "" && !ingest.IsIdentifier(o.Prefix+strings.Repeat("0", 32)) {
		problems = append(problems, fmt.Sprintf("prefix %q must be printable, start with no space and leave room for the id (at most 168 characters)", o.Prefix))
	}
	if len(problems) > 0 {
		return errors.New("synth: " + strings.Join(problems, "; "))
	}
	return nil
}

const (
	site = "BAKERY-1"
	// lotsPerCycle sizes the plan. One mixing cycle creates about 7.4 lots (its dough lot,
	// the finished lots of its bakes and its share of receipts); rounding up makes the estimate
	// of mixing batches err low, so that the automatic hub is used up before the target is
	// reached. The history itself stops on the real lot count.
	lotsPerCycle = 8
	// shipDays is how many consecutive days the shipments of one finished lot spread over.
	shipDays = 4
	// maxSplit is the most shipment lines one finished lot is split into; at most shipDays,
	// since each line ships on its own day.
	maxSplit    = 4
	reworkShare = 0.02 // share of bake batches that also consume an earlier finished lot
	repeatShare = 0.10 // share of later shipment lines that go back to the lot's first customer
	maxHub      = 5000
	reworkKeep  = 16 // recent finished lots per recipe that rework may draw from
	// The sourdough starter (mother dough) lives as long as the bakery: every feedEvery bake
	// batches a feeding batch consumes what is left of the previous starter lot with flour and
	// water and makes the next one, so its chain is one level deeper per feeding (a 1M-lot
	// history makes about 400,000 bakes: about 2,950 feedings, its deepest chain). Between
	// feedings, starterShare of the bakes take a little of it, so the deep chain is behind
	// their finished lots too.
	feedEvery    = 135
	starterShare = 0.2
	dayStartHour = 4 // production runs from 04:00 to 22:00; shipments leave from 22:00 to 24:00
	dayHours     = 18
)

// epoch is when every generated history begins.
var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// tenths is a quantity in tenths of its unit. Keeping quantities as integers makes "never
// consume more than the lot holds" exact, with no floating point drift over thousands of uses.
type tenths int64

func (q tenths) ptr() *float64 {
	f := float64(q) / 10
	return &f
}

func wholeUnits(n int) tenths { return tenths(n) * 10 }

// plan is the shape of a history, derived from its size.
type plan struct {
	cyclesPerDay int
	slot         time.Duration // the time one mixing cycle and its bakes take
	hubBatches   int
	suppliers    int
	customers    int
}

func newPlan(opt Options) plan {
	mixing := max(1, opt.Lots/lotsPerCycle)
	// A year of production for mid-size histories; small ones still run a few cycles a day
	// and large ones are capped so that the shipments waiting for a day stay bounded.
	p := plan{cyclesPerDay: min(max(mixing/365, 4), 200)}
	p.slot = dayHours * time.Hour / time.Duration(p.cyclesPerDay)
	p.hubBatches = opt.HubBatches
	if p.hubBatches == 0 {
		p.hubBatches = min(maxHub, mixing)
	}
	// Suppliers and customers grow gently with the size: a bigger bakery has more of both.
	root := int(math.Sqrt(float64(opt.Lots)))
	p.suppliers = min(200, 20+root/6)
	p.customers = min(5000, 50+root*5)
	return p
}

// openLot is the lot of an ingredient now being drawn from. Only one lot per ingredient is
// open at a time, which keeps the generator's memory independent of the history's length.
type openLot struct {
	code    string
	left    tenths
	hubUses int // for a hub lot, the batches still to consume it; 0 for an ordinary lot
}

// Starter quantities: a feeding makes starterQty and carries starterCarry of the previous lot
// into the next; bakes draw 1 to 2 kg each, never from the part kept for the next feeding.
const (
	starterQty   tenths = 1000 // 100 kg
	starterCarry tenths = 100  // 10 kg
)

// starterLot is the starter lot now in use, and the bakes since it was made.
type starterLot struct {
	code  string
	left  tenths
	bakes int
}

// finished is a recent finished lot whose retained quantity rework may consume.
type finished struct {
	code    string
	unit    string
	reserve tenths
}

// dayOrders are the shipment lines leaving on one day, by customer. customers keeps the
// order in which they first appeared, so that output does not depend on map order.
type dayOrders struct {
	customers []int
	lines     map[int][]ingest.LineJSON
}

func (o *dayOrders) add(customer int, l ingest.LineJSON) {
	if _, ok := o.lines[customer]; !ok {
		o.customers = append(o.customers, customer)
	}
	o.lines[customer] = append(o.lines[customer], l)
}

type generator struct {
	opt   Options
	plan  plan
	rng   *rand.Rand
	enc   *json.Encoder
	stats Stats

	suppliers [numIngredients][]ingest.SupplierJSON
	customers []ingest.CustomerJSON
	stock     [numIngredients]openLot
	starter   starterLot
	rework    [][]finished // by recipe, a ring of reworkKeep lots
	pending   [shipDays]dayOrders
	day       int // the day whose production is running; earlier days have shipped

	// counters number the ids of each kind.
	ingLots, doughLots, fgLots, mixes, bakes, shipments, orders, feeds int
}

func newGenerator(w io.Writer, opt Options) *generator {
	g := &generator{
		opt:    opt,
		plan:   newPlan(opt),
		rng:    rand.New(rand.NewPCG(opt.Seed, 0x6c6f742d7472)), // the second word is fixed: the seed alone picks the history
		enc:    json.NewEncoder(w),
		rework: make([][]finished, len(recipes)),
	}
	// Names like "Smith & Sons" read better unescaped.
	g.enc.SetEscapeHTML(false)
	g.stats.HubBatches = g.plan.hubBatches
	g.makeSuppliers()
	g.makeCustomers()
	for i := range g.pending {
		g.pending[i].lines = map[int][]ingest.LineJSON{}
	}
	return g
}

// run writes the whole history: the hub receipts, then production cycles day by day, each
// day closed by its shipments, and finally the shipments still planned after the last day.
func (g *generator) run() error {
	if err := g.receiveHubs(); err != nil {
		return err
	}
	for cycle := 0; g.stats.Lots < g.opt.Lots || g.hubOpen(); cycle++ {
		for day := cycle / g.plan.cyclesPerDay; g.day < day; g.day++ {
			if err := g.shipDay(g.day); err != nil {
				return err
			}
		}
		if err := g.productionCycle(g.slotStart(cycle)); err != nil {
			return err
		}
	}
	for end := g.day + shipDays; g.day < end; g.day++ {
		if err := g.shipDay(g.day); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) dayStart(day int) time.Time { return epoch.AddDate(0, 0, day) }

func (g *generator) slotStart(cycle int) time.Time {
	k := cycle % g.plan.cyclesPerDay
	return g.dayStart(cycle / g.plan.cyclesPerDay).Add(dayStartHour*time.Hour + time.Duration(k)*g.plan.slot)
}

// lead is how long before a batch its missing ingredients arrive. An eighth of a slot keeps
// every line's time at or after the line before it (see productionCycle).
func (g *generator) lead() time.Duration { return g.plan.slot / 8 }

func (g *generator) hubOpen() bool {
	for _, l := range g.stock {
		if l.hubUses > 0 {
			return true
		}
	}
	return false
}

// productionCycle mixes one dough and bakes it in two to four batches. Within the cycle's
// slot the mix is at a quarter, the bakes share the second half, and ingredients arrive an
// eighth of a slot before the batch that needs them, so times only go forward.
// A cycle that falls due for feeding the starter begins with the feeding, at an eighth of the
// slot (its flour and water arriving at the slot's start).
func (g *generator) productionCycle(start time.Time) error {
	if g.starter.code == "" || g.starter.bakes >= feedEvery {
		if err := g.feed(start.Add(g.lead())); err != nil {
			return err
		}
	}
	ri := g.rng.IntN(len(recipes))
	dough, qty, err := g.mix(ri, start.Add(g.plan.slot/4))
	if err != nil {
		return err
	}
	bakes := 2 + g.rng.IntN(3)
	share := qty / tenths(bakes)
	for j := range bakes {
		at := start.Add(g.plan.slot/2 + time.Duration(j)*g.plan.slot/time.Duration(2*bakes))
		// Each bake takes 90-100% of its share: the dough lot is never overdrawn.
		portion := share * tenths(90+g.rng.IntN(11)) / 100
		if err := g.bake(ri, dough, portion, at); err != nil {
			return err
		}
	}
	return nil
}

// mix writes a mixing batch that turns ingredient lots into one dough lot.
func (g *generator) mix(ri int, at time.Time) (code string, qty tenths, err error) {
	r := &recipes[ri]
	g.mixes++
	scale := 0.6 + 0.4*g.rng.Float64() // batches are not all full size
	inputs := make([]ingest.LineJSON, 0, len(r.mix)+2)
	var flourKg tenths
	for _, u := range r.mix {
		amount := u.scaled(scale)
		if inputs, err = g.take(inputs, u.ing, amount, at.Add(-g.lead())); err != nil {
			return "", 0, err
		}
		if u.ing == flour {
			flourKg = amount
		}
	}
	g.doughLots++
	code = g.id("DOUGH-%06d", g.doughLots)
	qty = tenths(math.Round(float64(flourKg) * r.yield))
	out := ingest.OutputLotJSON{Code: code, Product: r.dough, Description: r.description,
		Quantity: qty.ptr(), Unit: "kg", ExpiresAt: date(at.AddDate(0, 0, 3))}
	return code, qty, g.writeProduction(g.id("MIX-%06d", g.mixes), fmt.Sprintf("MIXER-%d", 1+g.mixes%3), at, inputs, []ingest.OutputLotJSON{out})
}

// feed writes a feeding of the sourdough starter: what is kept of the previous starter lot
// (none the first time), flour and water, into the next starter lot.
func (g *generator) feed(at time.Time) error {
	g.feeds++
	inputs := make([]ingest.LineJSON, 0, 5)
	if g.starter.code != "" {
		inputs = append(inputs, line(g.starter.code, starterCarry, "kg"))
	}
	var err error
	for _, u := range []use{{flour, 45}, {water, 45}} {
		if inputs, err = g.take(inputs, u.ing, u.scaled(1), at.Add(-g.lead())); err != nil {
			return err
		}
	}
	code := g.id("STARTER-%06d", g.feeds)
	out := ingest.OutputLotJSON{Code: code, Product: "STARTER", Description: "Sourdough starter (mother dough)",
		Quantity: starterQty.ptr(), Unit: "kg", ExpiresAt: date(at.AddDate(0, 0, 30))}
	g.starter = starterLot{code: code, left: starterQty}
	g.stats.Feedings++
	return g.writeProduction(g.id("FEED-%06d", g.feeds), "STARTER-TUB", at, inputs, []ingest.OutputLotJSON{out})
}

// takeStarter appends a little of the starter to a bake's inputs, one bake in five.
func (g *generator) takeStarter(inputs []ingest.LineJSON) []ingest.LineJSON {
	g.starter.bakes++
	if g.starter.code == "" || g.rng.Float64() >= starterShare {
		return inputs
	}
	q := tenths(10 + g.rng.IntN(11))
	if g.starter.left-q < starterCarry {
		return inputs // what is left is kept for the next feeding
	}
	g.starter.left -= q
	return append(inputs, line(g.starter.code, q, "kg"))
}

// bake writes a baking batch: part of a dough lot, the recipe's inclusions (chips, raisins),
// now and then an earlier finished lot as rework and a little sourdough starter, into one to three finished lots of
// different pack sizes.
func (g *generator) bake(ri int, dough string, portion tenths, at time.Time) error {
	r := &recipes[ri]
	g.bakes++
	inputs := make([]ingest.LineJSON, 0, 4)
	inputs = append(inputs, line(dough, portion, "kg"))
	var err error
	for _, u := range r.bake {
		if inputs, err = g.take(inputs, u.ing, u.scaled(0.6+0.4*g.rng.Float64()), at.Add(-g.lead())); err != nil {
			return err
		}
	}
	if g.rng.Float64() < reworkShare {
		if l, ok := g.takeRework(ri); ok {
			inputs = append(inputs, l)
		}
	}
	inputs = g.takeStarter(inputs)
	n, first := 1+g.rng.IntN(len(r.packs)), g.rng.IntN(len(r.packs))
	outputs := make([]ingest.OutputLotJSON, 0, n)
	units := make([]int, 0, n)
	for k := range n {
		p := &r.packs[(first+k)%len(r.packs)] // distinct pack sizes
		units = append(units, p.min+g.rng.IntN(p.max-p.min+1))
		g.fgLots++
		outputs = append(outputs, ingest.OutputLotJSON{Code: g.id("FG-%06d", g.fgLots), Product: p.product, Description: p.description,
			Quantity: wholeUnits(units[k]).ptr(), Unit: p.unit, ExpiresAt: date(at.AddDate(0, 0, r.shelfDays))})
	}
	if err := g.writeProduction(g.id("BAKE-%06d", g.bakes), fmt.Sprintf("OVEN-%d", 1+g.bakes%4), at, inputs, outputs); err != nil {
		return err
	}
	for k, o := range outputs {
		g.distribute(ri, o.Code, o.Unit, units[k])
	}
	return nil
}

// distribute decides where a new finished lot goes: a tenth (at least one unit) is retained
// and may later be reworked; the rest ships in one to four lines on consecutive days, mostly
// to different customers but sometimes to the first one again.
func (g *generator) distribute(ri int, code, unit string, units int) {
	reserve := max(1, units/10)
	g.keepForRework(ri, finished{code: code, unit: unit, reserve: wholeUnits(reserve)})
	shippable := units - reserve
	split := min(1+g.rng.IntN(maxSplit), shippable)
	first := g.pickCustomer()
	for j := range split {
		n := shippable / split
		if j == split-1 {
			n = shippable - n*(split-1)
		}
		customer := first
		if j > 0 && g.rng.Float64() >= repeatShare {
			customer = g.pickCustomer()
		}
		// One line a day, so two lines to one customer are always two shipments.
		g.pending[(g.day+j)%shipDays].add(customer, line(code, wholeUnits(n), unit))
	}
}

// keepForRework remembers a new finished lot for rework, in place of a random older one once
// reworkKeep are kept: rework draws on recent lots, and memory stays bounded.
func (g *generator) keepForRework(ri int, f finished) {
	ring := g.rework[ri]
	if len(ring) < reworkKeep {
		g.rework[ri] = append(ring, f)
		return
	}
	ring[g.rng.IntN(reworkKeep)] = f
}

// takeRework consumes a few units of a recent finished lot of the same recipe, out of its
// retained quantity; it reports false when the one it picked has nothing left.
func (g *generator) takeRework(ri int) (ingest.LineJSON, bool) {
	ring := g.rework[ri]
	if len(ring) == 0 {
		return ingest.LineJSON{}, false
	}
	f := &ring[g.rng.IntN(len(ring))]
	if f.reserve < wholeUnits(1) {
		return ingest.LineJSON{}, false
	}
	q := wholeUnits(1 + g.rng.IntN(min(5, int(f.reserve/10))))
	f.reserve -= q
	return line(f.code, q, f.unit), true
}

// pickCustomer favours the first customers, as a few big accounts take most of the volume.
func (g *generator) pickCustomer() int {
	u := g.rng.Float64()
	return int(u * u * float64(len(g.customers)))
}

// shipDay writes the day's shipments, one per customer, between 22:00 and midnight.
func (g *generator) shipDay(day int) error {
	o := &g.pending[day%shipDays]
	at := g.dayStart(day).Add((dayStartHour + dayHours) * time.Hour)
	for i, c := range o.customers {
		g.shipments++
		lines := o.lines[c]
		s := ingest.ShipmentJSON{
			Type:      "shipment",
			ID:        g.id("SH-%06d", g.shipments),
			Customer:  &g.customers[c],
			ShippedAt: stamp(at.Add(time.Duration(i) * 2 * time.Hour / time.Duration(len(o.customers)))),
			From:      site,
			Reference: &ingest.ReferenceJSON{Type: "BOL", Number: g.id("BOL-%06d", g.shipments)},
			Lines:     lines,
		}
		if err := g.write(&s); err != nil {
			return err
		}
		g.stats.Shipments++
		g.stats.ShipmentLines += len(lines)
	}
	o.customers = o.customers[:0]
	clear(o.lines)
	return nil
}

// take appends the lines that consume amount of an ingredient, receiving a new lot when the
// open one runs short. A hub lot is sized for all its batches, so it never runs short.
func (g *generator) take(inputs []ingest.LineJSON, ing int, amount tenths, receivedAt time.Time) ([]ingest.LineJSON, error) {
	unit := ingredients[ing].unit
	open := &g.stock[ing]
	if open.code != "" && open.hubUses == 0 && open.left < amount && open.left*4 >= amount {
		// A sizeable remainder is used up and the rest comes from a fresh lot, so some
		// batches draw one ingredient from two lots, as happens in a real plant.
		inputs = append(inputs, line(open.code, open.left, unit))
		amount -= open.left
		*open = openLot{}
	}
	if open.code == "" || open.left < amount {
		// A smaller remainder is written off.
		if err := g.receive(ing, receivedAt); err != nil {
			return inputs, err
		}
	}
	open.left -= amount
	inputs = append(inputs, line(open.code, amount, unit))
	if open.hubUses > 0 {
		if open.hubUses--; open.hubUses == 0 {
			*open = openLot{} // the hub has had its batches; what is left is written off
		}
	}
	return inputs, nil
}

// receive writes the receipt of an ordinary lot of an ingredient and opens it.
func (g *generator) receive(ing int, at time.Time) error {
	in := &ingredients[ing]
	qty := wholeUnits(in.lotMin + g.rng.IntN(in.lotMax-in.lotMin+1))
	code, err := g.writeReceipt(ing, qty, at)
	g.stock[ing] = openLot{code: code, left: qty}
	return err
}

// receiveHubs writes the first salt and flour lots, sized so that every mixing batch can
// draw from them until each has been consumed in its number of batches. They are what makes
// a forward trace or a recall reach thousands of batches.
func (g *generator) receiveHubs() error {
	hubs := []struct{ ing, uses int }{
		{salt, g.plan.hubBatches},
		{flour, max(1, g.plan.hubBatches/5)}, // a flour silo: a big lot, but not as big
	}
	at := epoch.Add(3 * time.Hour)
	for _, h := range hubs {
		qty := tenths(h.uses) * maxUse(h.ing)
		code, err := g.writeReceipt(h.ing, qty, at)
		if err != nil {
			return err
		}
		g.stock[h.ing] = openLot{code: code, left: qty, hubUses: h.uses}
	}
	return nil
}

func (g *generator) writeReceipt(ing int, qty tenths, at time.Time) (string, error) {
	in := &ingredients[ing]
	sup := &g.suppliers[ing][g.rng.IntN(len(g.suppliers[ing]))]
	g.ingLots++
	g.orders++
	code := g.id("ING-%06d", g.ingLots)
	r := ingest.ReceiptJSON{Type: "receipt",
		Lot: &ingest.LotJSON{Code: code, Product: in.product, Description: in.description, Quantity: qty.ptr(), Unit: in.unit,
			SupplierLot: fmt.Sprintf("%s-L%05d", sup.ID, g.rng.IntN(100000)), ExpiresAt: date(at.AddDate(0, 0, in.shelfDays))},
		Supplier:   sup,
		ReceivedAt: stamp(at),
		Location:   site,
		Reference:  &ingest.ReferenceJSON{Type: "PO", Number: g.id("PO-%06d", g.orders)},
	}
	g.stats.Receipts++
	g.stats.Lots++
	return code, g.write(&r)
}

func (g *generator) writeProduction(batch, equipment string, at time.Time, inputs []ingest.LineJSON, outputs []ingest.OutputLotJSON) error {
	p := ingest.ProductionJSON{Type: "production", Batch: &ingest.BatchJSON{ID: batch, Line: equipment},
		ProducedAt: stamp(at), Location: site, Inputs: inputs, Outputs: outputs}
	g.stats.Productions++
	g.stats.Lots += len(outputs)
	return g.write(&p)
}

func (g *generator) write(v any) error {
	g.stats.Events++
	return g.enc.Encode(v)
}

func (g *generator) id(format string, n int) string { return g.opt.Prefix + fmt.Sprintf(format, n) }

func (g *generator) makeSuppliers() {
	for i := range g.plan.suppliers {
		ing := i % numIngredients // every ingredient has at least one supplier
		g.suppliers[ing] = append(g.suppliers[ing], ingest.SupplierJSON{
			ID:       g.id("SUP-%03d", i+1),
			Name:     pick(g.rng, places) + " " + ingredients[ing].trade,
			Location: pick(g.rng, cities),
		})
	}
}

func (g *generator) makeCustomers() {
	g.customers = make([]ingest.CustomerJSON, g.plan.customers)
	for i := range g.customers {
		g.customers[i] = ingest.CustomerJSON{
			ID:       g.id("CUST-%04d", i+1),
			Name:     pick(g.rng, neighbourhoods) + " " + pick(g.rng, outlets),
			Location: fmt.Sprintf("%d %s, %s", 1+g.rng.IntN(9999), pick(g.rng, streets), pick(g.rng, cities)),
		}
	}
}

func line(lot string, q tenths, unit string) ingest.LineJSON {
	return ingest.LineJSON{Lot: lot, Quantity: q.ptr(), Unit: unit}
}

func stamp(t time.Time) string { return t.Format(time.RFC3339) }
func date(t time.Time) string  { return t.Format(time.DateOnly) }

func pick(rng *rand.Rand, words []string) string { return words[rng.IntN(len(words))] }

// The catalogue: what the bakery buys, what it makes, and from whom and for whom.

const (
	flour = iota
	sugar
	brownSugar
	salt
	butter
	eggs
	yeast
	vanilla
	oats
	raisins
	chocolateChips
	milkPowder
	bakingSoda
	cinnamon
	shortening
	water // for the starter's feedings, metered into lots like any ingredient
	numIngredients
)

type ingredient struct {
	product, description, unit string
	lotMin, lotMax             int // the size of a received lot, in whole units
	shelfDays                  int
	trade                      string // what its suppliers call themselves
}

// Lots are sized to last tens of batches; each is at least twice the most a batch uses.
var ingredients = [numIngredients]ingredient{
	flour:          {"FLOUR-AP", "All-purpose flour", "kg", 1000, 3000, 270, "Mill"},
	sugar:          {"SUGAR-GRAN", "Granulated sugar", "kg", 500, 1500, 730, "Sugar Refinery"},
	brownSugar:     {"SUGAR-BROWN", "Light brown sugar", "kg", 500, 1000, 540, "Sugar Co."},
	salt:           {"SALT", "Fine salt", "kg", 250, 1000, 1825, "Salt Works"},
	butter:         {"BUTTER-UNS", "Unsalted butter", "lb", 1000, 2500, 120, "Creamery"},
	eggs:           {"EGGS-L", "Shell eggs, large", "each", 2160, 7200, 35, "Egg Farm"},
	yeast:          {"YEAST-IDY", "Instant dry yeast", "kg", 50, 150, 365, "Yeast Co."},
	vanilla:        {"VANILLA-1L", "Pure vanilla extract, 1 L bottle", "each", 12, 48, 1095, "Vanilla Importers"},
	oats:           {"OATS-ROLLED", "Rolled oats", "lb", 1000, 2500, 365, "Oat Mill"},
	raisins:        {"RAISINS", "Thompson seedless raisins", "lb", 500, 1500, 365, "Vineyards"},
	chocolateChips: {"CHOC-CHIPS", "Semi-sweet chocolate chips", "kg", 500, 1000, 540, "Chocolate Works"},
	milkPowder:     {"MILK-POWDER", "Nonfat dry milk", "kg", 250, 750, 540, "Dairy Co-op"},
	bakingSoda:     {"BAKING-SODA", "Baking soda", "lb", 100, 300, 730, "Chemical Supply"},
	cinnamon:       {"CINNAMON", "Ground cinnamon", "kg", 10, 50, 730, "Spice Traders"},
	shortening:     {"SHORTENING-50", "Vegetable shortening, 50 lb cube", "case", 20, 60, 365, "Oils & Fats"},
	water:          {"WATER", "Potable water, metered", "kg", 2000, 6000, 3650, "Water Utility"},
}

// use is an ingredient and how much of it a full-size batch takes, in the ingredient's unit.
type use struct {
	ing    int
	amount float64
}

// scaled is the amount a batch of the given scale (at most 1) takes: whole units for what
// is counted (eggs, bottles, cases), tenths for what is weighed.
func (u use) scaled(scale float64) tenths {
	switch ingredients[u.ing].unit {
	case "each", "case":
		return wholeUnits(max(1, int(math.Round(u.amount*scale))))
	default:
		return max(1, tenths(math.Round(u.amount*scale*10)))
	}
}

// maxUse is the most of an ingredient any full-size mixing batch takes: a hub lot holds that
// much for each of its batches.
func maxUse(ing int) tenths {
	var most tenths
	for _, r := range recipes {
		for _, u := range r.mix {
			if u.ing == ing {
				most = max(most, u.scaled(1))
			}
		}
	}
	return most
}

type pack struct {
	product, description, unit string
	min, max                   int // the size of a produced lot, in whole units
}

type recipe struct {
	dough, description string
	yield              float64 // kg of dough per kg of flour
	mix                []use   // every recipe uses flour and salt: the hubs depend on it
	bake               []use   // inclusions added at the oven, per bake batch
	packs              [3]pack
	shelfDays          int
}

var recipes = []recipe{
	{dough: "DOUGH-CC", description: "Chocolate chip cookie dough", yield: 2.6,
		mix:  []use{{flour, 250}, {sugar, 90}, {brownSugar, 90}, {butter, 180}, {eggs, 240}, {salt, 4}, {bakingSoda, 3}, {vanilla, 2}},
		bake: []use{{chocolateChips, 40}},
		packs: [3]pack{
			{"COOKIE-CC-12", "Chocolate chip cookies, 12-pack", "case", 40, 300},
			{"COOKIE-CC-24", "Chocolate chip cookies, 24-pack", "case", 20, 200},
			{"COOKIE-CC-TRAY", "Chocolate chip cookies, 48-count bakery tray", "each", 100, 800}},
		shelfDays: 60},
	{dough: "DOUGH-OR", description: "Oatmeal raisin cookie dough", yield: 2.9,
		mix:  []use{{flour, 200}, {sugar, 70}, {brownSugar, 90}, {butter, 160}, {eggs, 200}, {oats, 220}, {salt, 4}, {bakingSoda, 3}, {cinnamon, 2}},
		bake: []use{{raisins, 50}},
		packs: [3]pack{
			{"COOKIE-OR-12", "Oatmeal raisin cookies, 12-pack", "case", 40, 300},
			{"COOKIE-OR-24", "Oatmeal raisin cookies, 24-pack", "case", 20, 200},
			{"COOKIE-OR-TRAY", "Oatmeal raisin cookies, 48-count bakery tray", "each", 100, 800}},
		shelfDays: 60},
	{dough: "DOUGH-SU", description: "Sugar cookie dough", yield: 2.4,
		mix: []use{{flour, 250}, {sugar, 120}, {butter, 200}, {eggs, 200}, {vanilla, 2}, {salt, 3}, {shortening, 2}},
		packs: [3]pack{
			{"COOKIE-SU-12", "Sugar cookies, 12-pack", "case", 40, 300},
			{"COOKIE-SU-24", "Sugar cookies, 24-pack", "case", 20, 200},
			{"COOKIE-SU-TRAY", "Sugar cookies, 48-count bakery tray", "each", 100, 800}},
		shelfDays: 45},
	{dough: "DOUGH-WB", description: "White bread dough", yield: 1.7,
		mix: []use{{flour, 250}, {sugar, 12}, {salt, 5}, {yeast, 4}, {milkPowder, 10}, {shortening, 1}},
		packs: [3]pack{
			{"BREAD-WHITE-LOAF", "White sandwich loaf, 24 oz", "each", 200, 1500},
			{"BREAD-WHITE-BUN8", "White hamburger buns, 8-pack", "case", 30, 250},
			{"BREAD-WHITE-ROLL12", "White dinner rolls, 12-pack", "case", 30, 250}},
		shelfDays: 10},
}

var (
	places = []string{"Prairie", "Red River", "Golden Valley", "Blue Ridge", "Cedar Creek", "Northfield",
		"Silver Lake", "Maple Grove", "Stone Bridge", "Harvest Moon", "Willow Bend", "Sunrise", "Lakeshore",
		"Pine Hill", "Riverside", "Oak Hollow", "High Plains", "Clearwater", "Twin Rivers", "Meadowbrook"}
	cities = []string{"Saskatoon, SK", "Minneapolis, MN", "Kansas City, MO", "Wichita, KS", "Fargo, ND",
		"Omaha, NE", "Des Moines, IA", "Madison, WI", "Fresno, CA", "Boise, ID", "Spokane, WA", "Winnipeg, MB",
		"Chicago, IL", "Indianapolis, IN", "Columbus, OH", "Lancaster, PA", "Buffalo, NY", "Modesto, CA",
		"Salt Lake City, UT", "Denver, CO", "Memphis, TN", "Atlanta, GA", "Toronto, ON", "Portland, OR"}
	neighbourhoods = []string{"Corner", "Main Street", "Hilltop", "Village", "Harbor", "Parkside", "Sunnyside",
		"Elm Street", "Downtown", "Uptown", "Lakeside", "Westgate", "Eastside", "Northgate", "Southpoint",
		"Greenway", "Market Square", "Old Town", "Bayview", "Fairview"}
	outlets = []string{"Grocer", "Market", "Cafe", "Deli", "Foods", "Supermarket", "Distribution Center",
		"Coffee House", "Convenience", "Food Co-op", "School District", "Hotel", "Hospital Kitchen", "Bakery Outlet"}
	streets = []string{"Main St", "Oak Ave", "Elm St", "Maple Dr", "Cedar Rd", "Pine St", "Lake Blvd",
		"Park Ave", "2nd St", "Market St", "Church St", "Mill Rd"}
)
