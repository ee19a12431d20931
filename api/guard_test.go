package api

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func quietServer(t *testing.T, cfg Config) *Server {
	t.Helper()
	return NewServer(nil, slog.New(slog.NewTextHandler(io.Discard, nil)), cfg)
}

func serve(s *Server, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

func problemDetail(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var p problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Fatalf("answer %d is not a problem document: %s", rec.Code, rec.Body)
	}
	return p.Detail
}

// TestKeylessModeAnswersLoopbackHostsOnly: without keys the caller is admin, so a request for
// another Host (a DNS name rebound to 127.0.0.1) is refused on every route.
func TestKeylessModeAnswersLoopbackHostsOnly(t *testing.T) {
	s := quietServer(t, Config{})
	for _, host := range []string{"localhost", "localhost:8080", "LOCALHOST:1", "127.0.0.1", "127.0.0.1:8080", "127.1.2.3:9", "[::1]", "[::1]:8080"} {
		req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
		req.Host = host
		if rec := serve(s, req); rec.Code != http.StatusOK {
			t.Errorf("Host %q: %d, want 200", host, rec.Code)
		}
	}
	for _, host := range []string{"evil.example", "evil.example:8080", "localhost.evil.example", "127.0.0.1.nip.io:8080", "10.0.0.1:8080", "[::2]:80", "0.0.0.0:8080", ""} {
		for _, path := range []string{"/healthz", "/api/v1/lots", "/api/v1/audit", "/no/such/route"} {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.Host = host
			rec := serve(s, req)
			if rec.Code != http.StatusForbidden || !strings.Contains(problemDetail(t, rec), "localhost") {
				t.Errorf("GET %s with Host %q: %d %s, want a 403 problem", path, host, rec.Code, rec.Body)
			}
		}
	}
	// With keys, callers prove who they are: any Host is served (behind a proxy, say).
	key, _ := NewKey("r", RoleReader, "0123456789abcdef0123")
	ring, _ := NewKeyring(key)
	req := httptest.NewRequest(http.MethodGet, "http://lot-trace.example.com/healthz", nil)
	if rec := serve(quietServer(t, Config{Keys: ring}), req); rec.Code != http.StatusOK {
		t.Errorf("keyed mode, Host lot-trace.example.com: %d, want 200", rec.Code)
	}
}

// TestCrossOriginWritesAreRefused: a state-changing request a browser sends for another origin
// is refused before it is read, in both modes; same-origin and non-browser requests pass.
func TestCrossOriginWritesAreRefused(t *testing.T) {
	key, _ := NewKey("w", RoleWriter, "0123456789abcdef0123")
	ring, _ := NewKeyring(key)
	for name, cfg := range map[string]Config{"keyless": {}, "keyed": {Keys: ring}} {
		s := quietServer(t, cfg)
		post := func(headers map[string]string) *httptest.ResponseRecorder {
			req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8080/api/v1/receipts", strings.NewReader("{}"))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer 0123456789abcdef0123")
			for k, v := range headers {
				req.Header.Set(k, v)
			}
			return serve(s, req)
		}
		for _, h := range []map[string]string{
			{"Origin": "http://evil.example"},
			{"Origin": "http://127.0.0.1:9999"},
			{"Origin": "null"},
			{"Sec-Fetch-Site": "cross-site"},
			{"Sec-Fetch-Site": "same-site", "Origin": "http://localhost:3000"},
		} {
			rec := post(h)
			if rec.Code != http.StatusForbidden || !strings.Contains(problemDetail(t, rec), "cross-origin") {
				t.Errorf("%s: POST with %v: %d %s, want a 403 cross-origin problem", name, h, rec.Code, rec.Body)
			}
		}
		for _, h := range []map[string]string{
			{},
			{"Origin": "http://127.0.0.1:8080"},
			{"Sec-Fetch-Site": "same-origin", "Origin": "http://127.0.0.1:8080"},
			{"Sec-Fetch-Site": "none"},
		} {
			// The body {} is refused as invalid (422) or malformed (400) before the store is asked.
			if rec := post(h); rec.Code == http.StatusForbidden {
				t.Errorf("%s: POST with %v: 403 %s, want it let through", name, h, rec.Body)
			}
		}
		req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8080/healthz", nil)
		req.Header.Set("Origin", "http://evil.example")
		if rec := serve(s, req); rec.Code != http.StatusOK {
			t.Errorf("%s: a cross-origin GET: %d, want 200 (reads are guarded by Host and keys)", name, rec.Code)
		}
	}
}

// TestBodiesNeedTheirContentType: every route with a body refuses another media type with 415
// naming the expected one, in both modes; a text/plain POST (what a form or no-cors fetch
// sends) never reaches the handler.
func TestBodiesNeedTheirContentType(t *testing.T) {
	key, _ := NewKey("a", RoleAdmin, "0123456789abcdef0123")
	ring, _ := NewKeyring(key)
	for name, cfg := range map[string]Config{"keyless": {}, "keyed": {Keys: ring}} {
		s := quietServer(t, cfg)
		for path, want := range map[string]string{
			"/api/v1/receipts": mediaJSON, "/api/v1/productions": mediaJSON, "/api/v1/shipments": mediaJSON,
			"/api/v1/cypher": mediaJSON, "/api/v1/events": mediaNDJSON,
		} {
			for _, ct := range []string{"", "text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", "application/json;;;"} {
				if ct == want {
					continue
				}
				req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1"+path, strings.NewReader("{}"))
				req.Header.Set("Authorization", "Bearer 0123456789abcdef0123")
				if ct != "" {
					req.Header.Set("Content-Type", ct)
				}
				rec := serve(s, req)
				if rec.Code != http.StatusUnsupportedMediaType || !strings.Contains(problemDetail(t, rec), want) || rec.Header().Get("Accept-Post") != want {
					t.Errorf("%s: POST %s as %q: %d %s, want 415 naming %s", name, path, ct, rec.Code, rec.Body, want)
				}
			}
		}
		// The right types, with parameters, and +json types, pass the check (the empty body is
		// then refused by the handler, not with 415).
		for path, ct := range map[string]string{
			"/api/v1/receipts": "application/json; charset=utf-8", "/api/v1/shipments": "application/vnd.lot-trace+json",
			"/api/v1/events": "application/x-ndjson; charset=utf-8", "/api/v1/cypher": "Application/JSON",
		} {
			req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1"+path, strings.NewReader("not json"))
			req.Header.Set("Authorization", "Bearer 0123456789abcdef0123")
			req.Header.Set("Content-Type", ct)
			if rec := serve(s, req); rec.Code == http.StatusUnsupportedMediaType {
				t.Errorf("%s: POST %s as %q: 415, want it accepted", name, path, ct)
			}
		}
	}
}

func TestLoopbackHost(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "localhost:80": true, "127.0.0.1": true, "127.255.255.254:1": true, "[::1]": true, "[::1]:8080": true,
		"::1": true, "evil.example": false, "localhost.": false, "a.localhost": false, "[::ffff:10.0.0.1]:80": false, "": false,
	} {
		if got := loopbackHost(host); got != want {
			t.Errorf("loopbackHost(%q) = %v, want %v", host, got, want)
		}
	}
}
