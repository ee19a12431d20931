package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gin-gonic/gin"
)

func TestUIServing(t *testing.T) {
	gin.SetMode(gin.TestMode)
	built := fstest.MapFS{
		"index.html":         {Data: []byte("<!doctype html><title>explorer</title>")},
		"assets/index-1.js":  {Data: []byte("console.log(1)")},
		"assets/index-1.css": {Data: []byte("body{}")},
		".keep":              {},
	}
	placeholder := fstest.MapFS{".keep": {}}
	tests := []struct {
		name        string
		files       fstest.MapFS
		path        string
		status      int
		contentType string
		body        string
	}{
		{"page", built, "/?lot=FG-1&mode=recall", http.StatusOK, "text/html; charset=utf-8", "<title>explorer</title>"},
		{"script", built, "/assets/index-1.js", http.StatusOK, "text/javascript; charset=utf-8", "console.log"},
		{"style", built, "/assets/index-1.css", http.StatusOK, "text/css; charset=utf-8", "body{}"},
		{"missing asset", built, "/assets/nope.js", http.StatusNotFound, "", ""},
		{"no escape from assets", built, "/assets/../index.html", http.StatusNotFound, "", ""},
		{"not built", placeholder, "/", http.StatusServiceUnavailable, "text/html; charset=utf-8", "UI not built: run make ui"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := newUI(tt.files)
			r := gin.New()
			r.GET("/", func(c *gin.Context) {
				if err := u.index(c); err != nil {
					t.Errorf("index: %v", err)
				}
			})
			r.GET("/assets/*filepath", func(c *gin.Context) {
				if !u.asset(c) {
					c.Status(http.StatusNotFound)
				}
			})
			rec := httptest.NewRecorder()
			r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://127.0.0.1"+tt.path, nil))
			if rec.Code != tt.status {
				t.Fatalf("GET %s: status %d, want %d", tt.path, rec.Code, tt.status)
			}
			if got := rec.Header().Get("Content-Type"); tt.contentType != "" && got != tt.contentType {
				t.Errorf("GET %s: Content-Type %q, want %q", tt.path, got, tt.contentType)
			}
			if !strings.Contains(rec.Body.String(), tt.body) {
				t.Errorf("GET %s: body %q lacks %q", tt.path, rec.Body.String(), tt.body)
			}
		})
	}
}
