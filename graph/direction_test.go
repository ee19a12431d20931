package graph

import "testing"

func TestDirectionValidate(t *testing.T) {
	for _, c := range []struct {
		d  Direction
		ok bool
	}{
		{Backward, true}, {Forward, true}, {Both, true},
		{"", false}, {"sideways", false}, {"Backward", false}, {"both ", false},
	} {
		err := c.d.Validate()
		if (err == nil) != c.ok {
			t.Errorf("Direction(%q).Validate() = %v, want ok %v", c.d, err, c.ok)
			continue
		}
		if err == nil {
			continue
		}
		e, isErr := err.(*Error)
		if !isErr || e.Code != EMALFORMED || len(e.Fields) != 1 || e.Fields[0].Field != "direction" {
			t.Errorf("Direction(%q).Validate() = %#v, want EMALFORMED naming field direction", c.d, err)
		}
	}
}
