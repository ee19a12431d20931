package api

import (
	"errors"
	"mime"
	"net"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/lot-trace/lot-trace/graph"
)

// statusError is a refusal about the HTTP request itself (its Host, its Content-Type, how
// long it took), which the domain's error vocabulary has no word for: it answers with its own
// status. It wraps a *graph.Error, so its message reaches the caller as any other.
type statusError struct {
	status int
	err    *graph.Error
}

func (e *statusError) Error() string { return e.err.Error() }
func (e *statusError) Unwrap() error { return e.err }

func newStatusError(status int, code, format string, args ...any) error {
	return &statusError{status: status, err: graph.Errorf(code, format, args...)}
}

// guardRequests refuses, before any route runs, what a web page in a browser could make the
// browser send to us on its behalf:
//   - without API keys (the caller is then trusted as admin because only this machine can
//     reach the loopback listener), a Host other than a loopback name: a page on a DNS name
//     rebound to 127.0.0.1 would otherwise read and write as admin;
//   - in every mode, a cross-origin request that may change data (any method but GET, HEAD and
//     OPTIONS), told by Sec-Fetch-Site or an Origin that does not match the Host
//     (http.CrossOriginProtection): a browser attaches no key by itself, but keyless mode needs
//     none, and a future cookie or proxy-added credential would.
func (s *Server) guardRequests(c *gin.Context) {
	if s.authOff() && !loopbackHost(c.Request.Host) {
		s.deny(c, graph.Errorf(graph.EFORBIDDEN,
			"without API keys this service answers only requests addressed to localhost, 127.0.0.1 or [::1], not to Host %q "+
				"(a web page may have pointed its own name at this machine); use http://127.0.0.1:<port>, or configure API keys", clipText(c.Request.Host)))
		return
	}
	if err := s.crossOrigin.Check(c.Request); err != nil {
		s.deny(c, graph.Errorf(graph.EFORBIDDEN,
			"cross-origin %s requests are refused (Origin %q, Sec-Fetch-Site %q, Host %q): send it from this service's own pages or without a browser",
			c.Request.Method, clipText(c.Request.Header.Get("Origin")), clipText(c.Request.Header.Get("Sec-Fetch-Site")), clipText(c.Request.Host)))
		return
	}
	c.Next()
}

// loopbackHost reports whether a Host header names this machine's loopback interface:
// localhost, 127.0.0.0/8 or [::1], with any port.
func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	} else if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1] // [::1] without a port
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// clipText keeps a header value quoted in a problem short.
func clipText(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

// Body media types.
const (
	mediaJSON   = "application/json"
	mediaNDJSON = "application/x-ndjson"
)

// accepts refuses a body whose Content-Type is not the route's with 415, naming the type
// expected (and in Accept-Post). application/json also admits any +json type. The check holds
// in every mode: an HTML form or a no-CORS fetch can only send text/plain, form or multipart
// bodies, so requiring our types keeps pages from posting to us without a CORS preflight.
func (s *Server) accepts(want string) gin.HandlerFunc {
	return func(c *gin.Context) {
		raw := c.GetHeader("Content-Type")
		got, _, err := mime.ParseMediaType(raw)
		if err == nil && (got == want || want == mediaJSON && strings.HasSuffix(got, "+json")) {
			c.Next()
			return
		}
		c.Header("Accept-Post", want)
		s.deny(c, newStatusError(http.StatusUnsupportedMediaType, graph.EMALFORMED,
			"the body must be sent as Content-Type: %s, not %q", want, clipText(raw)))
	}
}

// statusOfRequestError returns the status a statusError carries, if err holds one.
func statusOfRequestError(err error) (int, bool) {
	var se *statusError
	if errors.As(err, &se) {
		return se.status, true
	}
	return 0, false
}
