package api

import (
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
)

// TestLotParam: a route's :code is read as the code the lot is stored under, without a
// database: a GS1 lot by any form is its canonical Digital Link, an own URN its plain code.
func TestLotParam(t *testing.T) {
	const canon = "https://id.gs1.org/01/04012345123456/10/998877"
	for in, want := range map[string]string{
		"urn:epc:class:lgtin:4012345.012345.998877": canon,
		canon: canon,
		"https://example.com/x/01/4012345123456/10/998877?q=1": canon,
		"urn:lot-trace:lot:FG-CC-1A":                           "FG-CC-1A",
		"FG-CC-1A":                                             "FG-CC-1A",
		"https://example.com/lots/7":                           "https://example.com/lots/7",
		"urn:epc:id:sgtin:4012345.011122.25":                   "urn:epc:id:sgtin:4012345.011122.25",
		"":                                                     "",
	} {
		c, _ := gin.CreateTestContext(httptest.NewRecorder())
		c.Params = gin.Params{{Key: "code", Value: in}}
		if got := lotParam(c); string(got) != want {
			t.Errorf("lotParam(%q) = %q, want %q", in, got, want)
		}
	}
}
