package gs1

import "testing"

// TestCanonical: every form of a GS1 lot is its canonical Digital Link; other codes pass.
func TestCanonical(t *testing.T) {
	const canon = "https://id.gs1.org/01/04012345123456/10/998877"
	for _, in := range []string{
		"urn:epc:class:lgtin:4012345.012345.998877",
		canon,
		"https://example.com/some/path/01/04012345123456/10/998877?x=1",
		"https://id.gs1.org/01/4012345123456/10/998877", // a GTIN-13 is padded
	} {
		if got := Canonical(in); got != canon {
			t.Errorf("Canonical(%q) = %q, want %q", in, got, canon)
		}
	}
	for _, in := range []string{"FG-CC-1A", "urn:epc:id:sgtin:4012345.011122.25", "https://id.gs1.org/01/04012345123456/21/7",
		"urn:epc:class:lgtin:4012345.012345.", "https://example.com/lots/7"} {
		if got := Canonical(in); got != in {
			t.Errorf("Canonical(%q) = %q, want it unchanged", in, got)
		}
	}
}

func TestDigitalLinkOfEPCs(t *testing.T) {
	for in, want := range map[string]string{
		"urn:epc:id:sgln:0614141.00888.0":         "https://id.gs1.org/414/0614141008889",
		"urn:epc:id:sgln:0012345.11111.400":       "https://id.gs1.org/414/0012345111112/254/400",
		"urn:epc:id:sscc:0614141.1234567890":      "https://id.gs1.org/00/106141412345678908",
		"urn:epc:id:sgtin:0614141.107346.2018":    "https://id.gs1.org/01/10614141073464/21/2018",
		"urn:epc:idpat:sgtin:4012345.066666.*":    "https://id.gs1.org/01/04012345666663",
		"urn:epc:class:lgtin:4012345.011111.4444": "https://id.gs1.org/01/04012345111118/10/4444",
	} {
		if got := DigitalLinkOf(in); got != want {
			t.Errorf("DigitalLinkOf(%s) = %s, want %s", in, got, want)
		}
	}
}
