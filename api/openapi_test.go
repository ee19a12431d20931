package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"
)

// undocumented are the routes the OpenAPI document leaves out on purpose, with why.
var undocumented = map[string]string{
	"GET /assets/*filepath": "the explorer's content-hashed static files, part of the page at /",
}

// servedDocument fetches the document the way a client does and loads it with kin-openapi.
func servedDocument(t *testing.T) *openapi3.T {
	t.Helper()
	srv := NewServer(nil, slog.New(slog.NewTextHandler(io.Discard, nil)), Config{})
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://127.0.0.1/api/v1/openapi.json", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /api/v1/openapi.json: status %d: %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(rec.Body.Bytes())
	if err != nil {
		t.Fatalf("the served document does not load: %v", err)
	}
	return doc
}

// TestOpenAPIDocumentIsValid validates the served document, every example against its schema
// included (kin-openapi does so by default).
func TestOpenAPIDocumentIsValid(t *testing.T) {
	doc := servedDocument(t)
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the OpenAPI document is invalid: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi %q, want 3.x", doc.OpenAPI)
	}
	if s := doc.Components.SecuritySchemes["bearerAuth"]; s == nil || s.Value.Type != "http" || s.Value.Scheme != "bearer" {
		t.Errorf("components.securitySchemes.bearerAuth must be HTTP bearer auth")
	}
	for _, name := range []string{"Problem", "Event", "BulkResult"} {
		if doc.Components.Schemas[name] == nil {
			t.Errorf("components.schemas.%s is missing", name)
		}
	}
}

// TestOpenAPIOperationsAreComplete checks what validity cannot: every operation has an example,
// says which roles may call it, and a protected one documents 401 and 403.
func TestOpenAPIOperationsAreComplete(t *testing.T) {
	doc := servedDocument(t)
	roles := []string{"public", "reader", "writer", "analyst", "admin"}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			name := method + " " + path
			if !hasExample(op) {
				t.Errorf("%s: no example", name)
			}
			var opRoles []string
			if err := json.Unmarshal(mustJSON(t, op.Extensions["x-roles"]), &opRoles); err != nil || len(opRoles) == 0 {
				t.Errorf("%s: x-roles must list the roles that may call it", name)
				continue
			}
			for _, r := range opRoles {
				if !slices.Contains(roles, r) {
					t.Errorf("%s: unknown role %q", name, r)
				}
			}
			public := slices.Equal(opRoles, []string{"public"})
			switch {
			case public && (op.Security == nil || len(*op.Security) != 0):
				t.Errorf("%s: public, so it must say security: []", name)
			case !public && op.Security != nil && len(*op.Security) == 0:
				t.Errorf("%s: has roles %v but no security", name, opRoles)
			case !public:
				if !strings.Contains(op.Description, "Roles: "+strings.Join(opRoles, ", ")) {
					t.Errorf("%s: the description must say \"Roles: %s\"", name, strings.Join(opRoles, ", "))
				}
				for _, status := range []int{401, 403} {
					if op.Responses.Status(status) == nil {
						t.Errorf("%s: no %d response", name, status)
					}
				}
			}
		}
	}
}

func hasExample(op *openapi3.Operation) bool {
	found := false
	check := func(content openapi3.Content) {
		for _, mt := range content {
			if mt.Example != nil || len(mt.Examples) > 0 {
				found = true
			}
		}
	}
	if op.RequestBody != nil {
		check(op.RequestBody.Value.Content)
	}
	for _, r := range op.Responses.Map() {
		check(r.Value.Content)
	}
	return found
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ginParam matches a path parameter in Gin's syntax, :code or *filepath.
var ginParam = regexp.MustCompile(`[:*]([A-Za-z0-9_]+)`)

// TestOpenAPIMatchesRoutes fails when a route of the engine has no entry in the document or an
// entry has no route: the document must be updated with api/routes.go.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	doc := servedDocument(t)
	srv := NewServer(nil, slog.New(slog.NewTextHandler(io.Discard, nil)), Config{})

	routes := map[string]bool{}
	for _, r := range srv.engine.Routes() {
		key := r.Method + " " + r.Path
		if _, skip := undocumented[key]; skip {
			continue
		}
		routes[r.Method+" "+ginParam.ReplaceAllString(r.Path, "{$1}")] = true
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+path] = true
		}
	}

	var missing, stale []string
	for r := range routes {
		if !documented[r] {
			missing = append(missing, r)
		}
	}
	for d := range documented {
		if !routes[d] {
			stale = append(stale, d)
		}
	}
	sort.Strings(missing)
	sort.Strings(stale)
	for _, r := range missing {
		t.Errorf("route %s is not in api/openapi.yaml: document it (read its handler)", r)
	}
	for _, d := range stale {
		t.Errorf("api/openapi.yaml documents %s, which no route serves", d)
	}
	for key := range undocumented {
		if !slices.ContainsFunc(srv.engine.Routes(), func(r gin.RouteInfo) bool { return r.Method+" "+r.Path == key }) {
			t.Errorf("undocumented lists %s, which no longer exists: remove it", key)
		}
	}
}

// TestOpenAPIRolesMatchTheRoutes sends every documented operation with a key of each role, and
// none: the roles in x-roles must get past auth, the others a 403, and no key a 401, so that
// the document states the access routes.go really enforces.
func TestOpenAPIRolesMatchTheRoutes(t *testing.T) {
	doc := servedDocument(t)
	secrets := map[Role]string{}
	var keys []Key
	for _, role := range []Role{RoleReader, RoleWriter, RoleAnalyst, RoleAdmin} {
		secret := "secret-of-the-" + string(role) + "-key"
		key, err := NewKey("test-"+string(role), role, secret)
		if err != nil {
			t.Fatal(err)
		}
		secrets[role], keys = secret, append(keys, key)
	}
	ring, err := NewKeyring(keys...)
	if err != nil {
		t.Fatal(err)
	}
	// No store: a request that gets past auth fails later (400, or 500 from a nil store), which
	// is all this test needs to know.
	srv := NewServer(nil, slog.New(slog.NewTextHandler(io.Discard, nil)), Config{Keys: ring})
	status := func(method, target, secret string) int {
		req := httptest.NewRequest(method, "http://127.0.0.1"+target, strings.NewReader("{}"))
		req.Header.Set("Content-Type", "application/json")
		if secret != "" {
			req.Header.Set("Authorization", "Bearer "+secret)
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec.Code
	}
	for path, item := range doc.Paths.Map() {
		target := strings.NewReplacer("{code}", "FG-1", "{file}", "docs-init.js").Replace(path)
		for method, op := range item.Operations() {
			var opRoles []string
			_ = json.Unmarshal(mustJSON(t, op.Extensions["x-roles"]), &opRoles)
			name := method + " " + path
			if slices.Equal(opRoles, []string{"public"}) {
				if got := status(method, target, ""); got == http.StatusUnauthorized || got == http.StatusForbidden {
					t.Errorf("%s is documented as public but answers %d without a key", name, got)
				}
				continue
			}
			if got := status(method, target, ""); got != http.StatusUnauthorized {
				t.Errorf("%s without a key: %d, want 401", name, got)
			}
			for role, secret := range secrets {
				got := status(method, target, secret)
				allowed := slices.Contains(opRoles, string(role))
				switch {
				case allowed && (got == http.StatusUnauthorized || got == http.StatusForbidden):
					t.Errorf("%s: x-roles admits %s, but it gets %d", name, role, got)
				case !allowed && got != http.StatusForbidden:
					t.Errorf("%s: x-roles leaves %s out, but it gets %d, not 403", name, role, got)
				}
			}
		}
	}
}
