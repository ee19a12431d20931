package graph

import (
	"reflect"
	"testing"
)

func TestEventKeys(t *testing.T) {
	qty := Quantity{Amount: 1, Unit: "kg"}
	cases := []struct {
		ev   Event
		want EventKeys
		all  []Key
	}{
		{&Receipt{Lot: NewLot{Code: "FLOUR-A"}, Supplier: Supplier{ID: "MILL", Name: "Mill Co", Location: "Saskatoon"}},
			EventKeys{Creates: []Key{"lot:FLOUR-A"}, Party: "supplier:MILL", Described: PartyDescription{Name: "Mill Co", Location: "Saskatoon"}},
			[]Key{"lot:FLOUR-A", "supplier:MILL"}},
		{&Production{Batch: Batch{ID: "MIX-1"}, Inputs: []LotQuantity{{"FLOUR-A", qty}, {"SALT-A", qty}},
			Outputs: []NewLot{{Code: "DOUGH-1"}, {Code: "DOUGH-2"}}},
			EventKeys{Creates: []Key{"batch:MIX-1", "lot:DOUGH-1", "lot:DOUGH-2"}, Uses: []Key{"lot:FLOUR-A", "lot:SALT-A"}},
			[]Key{"batch:MIX-1", "lot:DOUGH-1", "lot:DOUGH-2", "lot:FLOUR-A", "lot:SALT-A"}},
		{&Shipment{ID: "SH-1", Customer: Customer{ID: "C1", Name: "Corner", Location: "Main St", Contact: "Ann"},
			Lines: []LotQuantity{{"FG-1", qty}, {"FG-1", qty}}},
			EventKeys{Creates: []Key{"shipment:SH-1"}, Uses: []Key{"lot:FG-1", "lot:FG-1"}, Party: "customer:C1",
				Described: PartyDescription{Name: "Corner", Location: "Main St", Contact: "Ann"}},
			[]Key{"shipment:SH-1", "customer:C1", "lot:FG-1", "lot:FG-1"}},
	}
	for _, c := range cases {
		got := c.ev.Keys()
		if len(got.Uses) == 0 {
			got.Uses = nil // empty and nil say the same here
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%T.Keys() = %+v, want %+v", c.ev, got, c.want)
		}
		if all := c.ev.Keys().All(); !reflect.DeepEqual(all, c.all) {
			t.Errorf("%T.Keys().All() = %v, want %v", c.ev, all, c.all)
		}
	}
	if k := Key("lot:urn:epc:class:lgtin:4012345.012345.998877"); k.Kind() != "lot" || k.ID() != "urn:epc:class:lgtin:4012345.012345.998877" {
		t.Errorf("Kind, ID of %s = %q, %q", k, k.Kind(), k.ID())
	}
}
