package epcis

import "regexp"

// units is the one table between UN/CEFACT Recommendation 20 codes (EPCIS uom) and the
// service's units; a capture reads it one way, an export the other. A code not in it is kept
// as it is, both ways.
var units = []struct{ code, unit string }{
	{"KGM", "kg"}, {"GRM", "g"}, {"MGM", "mg"}, {"TNE", "t"},
	{"LBR", "lb"}, {"ONZ", "oz"},
	{"LTR", "l"}, {"MLT", "ml"}, {"GLL", "gal"},
	{"H87", "each"}, {"CS", "case"}, {"BX", "box"}, {"BG", "bag"}, {"CT", "carton"}, {"DZN", "dozen"},
}

var unitOfCode, codeOfUnit = func() (map[string]string, map[string]string) {
	a, b := map[string]string{}, map[string]string{}
	for _, u := range units {
		a[u.code], b[u.unit] = u.unit, u.code
	}
	return a, b
}()

// CountUnit is the unit of a quantity given without uom: a number of units.
const CountUnit = "each"

// UnitOf is the service unit of a Rec. 20 code ("" for a count: CountUnit).
func UnitOf(uom string) string {
	if uom == "" {
		return CountUnit
	}
	if u, ok := unitOfCode[uom]; ok {
		return u
	}
	return uom
}

var uomRE = regexp.MustCompile(`^[A-Z0-9]{2,3}$`)

// UOMOf is the Rec. 20 code of a service unit, and false when the unit has none and is not
// written like one (GS1's schema allows two or three capitals or digits).
func UOMOf(unit string) (string, bool) {
	if c, ok := codeOfUnit[unit]; ok {
		return c, true
	}
	return unit, uomRE.MatchString(unit)
}
