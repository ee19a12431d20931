package test

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lot-trace/lot-trace/api"
	"github.com/lot-trace/lot-trace/audit"
)

// testSecrets are the keys of the tests with auth on: one per role, named after the role.
var testSecrets = map[api.Role]string{
	api.RoleReader:  "reader-secret-0123456789",
	api.RoleWriter:  "writer-secret-0123456789",
	api.RoleAnalyst: "analyst-secret-0123456789",
	api.RoleAdmin:   "admin-secret-0123456789",
}

// securedAPI is a server with one key per role and an audit trail of its own.
type securedAPI struct {
	t      *testing.T
	server *api.Server
	base   string
	trail  *audit.Log
}

// newSecuredAPI starts a server on the shared store with auth on; cfg's Keys and Audit are
// set here.
func newSecuredAPI(t *testing.T, cfg api.Config) *securedAPI {
	t.Helper()
	store := sharedStore(t)
	var err error
	if cfg.Keys, err = api.NewKeyring(testKeys(t)...); err != nil {
		t.Fatal(err)
	}
	trail, err := audit.Open(filepath.Join(t.TempDir(), "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = trail.Close() })
	if cfg.Audit == nil {
		cfg.Audit = trail
	}
	server := api.NewServer(store, quietLogger(), cfg)
	srv := httptest.NewServer(server)
	t.Cleanup(srv.Close)
	return &securedAPI{t: t, server: server, base: srv.URL, trail: trail}
}

// as returns a client that sends the key of role.
func (s *securedAPI) as(role api.Role) *apiClient {
	return &apiClient{t: s.t, base: s.base, key: testSecrets[role]}
}

// withKey returns a client that sends secret ("" for none).
func (s *securedAPI) withKey(secret string) *apiClient {
	return &apiClient{t: s.t, base: s.base, key: secret}
}

// routeAccess is every route's access, as ../shared/API.md and issue 7 describe it: "open", or
// the access a route needs. A route of the engine missing here fails the role matrix, so that
// no route is added without deciding who may call it.
var routeAccess = map[string]string{
	"GET /":                                "open",
	"GET /assets/*filepath":                "open",
	"GET /healthz":                         "open",
	"GET /readyz":                          "open",
	"GET /metrics":                         "open",
	"GET /api/docs":                        "open",
	"GET /api/docs/:file":                  "open",
	"GET /api/v1/openapi.json":             "open",
	"POST /api/v1/receipts":                "writer",
	"POST /api/v1/productions":             "writer",
	"POST /api/v1/shipments":               "writer",
	"POST /api/v1/events":                  "writer",
	"GET /api/v1/lots":                     "reader",
	"GET /api/v1/lots/:code":               "reader",
	"GET /api/v1/lots/:code/trace":         "reader",
	"GET /api/v1/lots/:code/recall":        "reader",
	"GET /api/v1/lots/:code/recall/report": "reader",
	"GET /api/v1/lots/:code/exposure":      "reader",
	"GET /api/v1/lots/:code/mass-balance":  "reader",
	"POST /api/v1/cypher":                  "analyst",
	"GET /api/v1/audit":                    "admin",
	"POST /api/v1/recalls":                 "writer",
	"GET /api/v1/recalls":                  "reader",
	"GET /api/v1/recalls/:id":              "reader",
	"POST /api/v1/recalls/:id/rescope":     "writer",
	"POST /api/v1/recalls/:id/steps":       "writer",
	"POST /api/v1/recalls/:id/release":     "admin",
	"POST /api/v1/recalls/:id/close":       "admin",
	"GET /api/v1/products":                 "reader",
	"PUT /api/v1/products/:id":             "writer",
	"GET /api/v1/products/:id":             "reader",
	"GET /api/v1/fsma/foods":               "reader",
	"GET /api/v1/fsma/records":             "reader",
	"GET /api/v1/fsma/requests":            "analyst",
	"GET /api/v1/fsma/completeness":        "reader",
	"OPTIONS /epcis/capture":               "open",
	"POST /epcis/capture":                  "writer",
	"GET /epcis/capture":                   "reader",
	"GET /epcis/capture/:id":               "reader",
	"POST /epcis/events":                   "writer",
	"GET /epcis/events":                    "reader",
	"GET /epcis/events/:eventID":           "reader",
}

// rolesWith is the contract's table of which roles have each access, kept apart from the
// server's own so that a change there must be made here too, on purpose.
var rolesWith = map[string][]api.Role{
	"reader":  {api.RoleReader, api.RoleAnalyst, api.RoleAdmin},
	"writer":  {api.RoleWriter, api.RoleAdmin},
	"analyst": {api.RoleAnalyst, api.RoleAdmin},
	"admin":   {api.RoleAdmin},
}

// TestRoleMatrix sends every route of the engine a request with no key, an unknown key, and
// the key of each role, and checks the status: 401 without a known key, 403 for a role
// without the access, anything else for a role with it. Open routes never answer 401 or 403.
// The requests change nothing: unknown lots, empty bodies.
func TestRoleMatrix(t *testing.T) {
	t.Parallel()
	s := newSecuredAPI(t, api.Config{})
	tg := tag(t)
	seen := map[string]bool{}
	for _, r := range s.server.Routes() {
		route := r.Method + " " + r.Path
		seen[route] = true
		need, ok := routeAccess[route]
		if !ok {
			t.Errorf("route %s has no entry in routeAccess: decide who may call it (s.allow in api/routes.go) and add it", route)
			continue
		}
		path := strings.NewReplacer(":code", tg+"NOPE", ":id", tg+"NOPE", "*filepath", "missing.js", ":file", "missing.js").Replace(r.Path)
		callers := []struct {
			name   string
			client *apiClient
			role   api.Role // "" for no or an unknown key
		}{
			{"no key", s.withKey(""), ""},
			{"an unknown key", s.withKey("unknown-secret-0123456789"), ""},
		}
		for _, role := range api.Roles {
			callers = append(callers, struct {
				name   string
				client *apiClient
				role   api.Role
			}{string(role), s.as(role), role})
		}
		for _, caller := range callers {
			status, body := caller.client.do(r.Method, path, "application/json", "{}")
			denied := status == http.StatusUnauthorized || status == http.StatusForbidden
			switch {
			case need == "open":
				if denied {
					t.Errorf("%s with %s: %d, want an open route to let anyone in", route, caller.name, status)
				}
			case caller.role == "":
				if status != http.StatusUnauthorized {
					t.Errorf("%s with %s: %d, want 401: %s", route, caller.name, status, clip(body))
				}
			case slices.Contains(rolesWith[need], caller.role):
				if denied {
					t.Errorf("%s as %s: %d, want the %s access to let it in: %s", route, caller.name, status, need, clip(body))
				}
			default:
				if status != http.StatusForbidden {
					t.Errorf("%s as %s: %d, want 403 (needs %s): %s", route, caller.name, status, need, clip(body))
				}
			}
		}
	}
	for route := range routeAccess {
		if !seen[route] {
			t.Errorf("routeAccess lists %s, which the engine does not serve: remove it", route)
		}
	}
}

// TestDeniedAnswersAreProblems checks the shape of 401 and 403: problem documents, and a 401
// says how to authenticate.
func TestDeniedAnswersAreProblems(t *testing.T) {
	t.Parallel()
	s := newSecuredAPI(t, api.Config{})
	req, _ := http.NewRequest(http.MethodGet, s.base+"/api/v1/lots", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") ||
		res.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("no key: %d, WWW-Authenticate %q, Content-Type %q; want 401, Bearer, a problem document",
			res.StatusCode, res.Header.Get("WWW-Authenticate"), res.Header.Get("Content-Type"))
	}
	status, raw := s.as(api.RoleWriter).do(http.MethodGet, "/api/v1/lots", "", "")
	problem := decodeObject(t, raw)
	if status != http.StatusForbidden || problem["status"] != float64(403) || !strings.Contains(problem["detail"].(string), "writer") {
		t.Errorf("writer reading lots: %d %s; want a 403 problem naming the role", status, raw)
	}
}

// TestNoKeysMeansAuthOff keeps the service usable on loopback without keys: the same routes
// answer without any Authorization header.
func TestNoKeysMeansAuthOff(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	for _, path := range []string{"/api/v1/lots", "/api/v1/audit?limit=1"} {
		if status, raw := c.do(http.MethodGet, path, "", ""); status == http.StatusUnauthorized || status == http.StatusForbidden {
			t.Errorf("GET %s without keys configured: %d %s, want auth off", path, status, raw)
		}
	}
}
