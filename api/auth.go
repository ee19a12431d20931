package api

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/lot-trace/lot-trace/graph"
)

// access is what a route needs, named after the least role that has it; each route in
// routes.go states its access with s.allow.
type access string

const (
	reader  access = "reader"  // lots, traces, recalls, exports
	writer  access = "writer"  // ingest: the event routes
	analyst access = "analyst" // the Cypher console
	admin   access = "admin"   // the audit trail
)

// rolesWith is the one table of who may do what: the roles that have each access.
var rolesWith = map[access][]Role{
	reader:  {RoleReader, RoleAnalyst, RoleAdmin},
	writer:  {RoleWriter, RoleAdmin},
	analyst: {RoleAnalyst, RoleAdmin},
	admin:   {RoleAdmin},
}

// Principal is the caller of a request: the name and role of the key it presented.
type Principal struct {
	Name string
	Role Role
}

// anonymous is the caller when auth is off: the service then listens on loopback only, so the
// caller is someone on this machine, trusted with everything.
var anonymous = Principal{Name: "anonymous", Role: RoleAdmin}

type principalKey struct{}

// PrincipalFrom returns the caller stored on a request's context by the auth middleware.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

func withPrincipal(c *gin.Context, p Principal) {
	c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), principalKey{}, p))
}

// authOff reports whether no keys are configured.
func (s *Server) authOff() bool { return s.cfg.Keys.Len() == 0 }

// allow lets a request through when its key's role has the access: 401 without a known key,
// 403 for a role without it. With auth off every request passes as anonymous. On an audited
// route the call's begin entry is written once the caller is let in (see auditOnEntry).
func (s *Server) allow(need access) gin.HandlerFunc {
	roles := rolesWith[need] // an access missing from the table lets no role in
	return func(c *gin.Context) {
		if s.authOff() {
			withPrincipal(c, anonymous)
			s.admit(c)
			return
		}
		secret, ok := bearerToken(c.GetHeader("Authorization"))
		if !ok {
			s.deny(c, graph.Errorf(graph.EUNAUTHORIZED, "an API key is required: send Authorization: Bearer <key>"))
			return
		}
		key, ok := s.cfg.Keys.lookup(secret)
		if !ok {
			s.deny(c, graph.Errorf(graph.EUNAUTHORIZED, "unknown API key"))
			return
		}
		withPrincipal(c, Principal{Name: key.Name, Role: key.Role})
		if !slices.Contains(roles, key.Role) {
			s.deny(c, graph.Errorf(graph.EFORBIDDEN, "role %s may not use %s %s (it needs %s)",
				key.Role, c.Request.Method, c.FullPath(), roleList(roles)))
			return
		}
		s.admit(c)
	}
}

// admit runs the rest of the chain for a caller let in, once the audit has recorded the call.
func (s *Server) admit(c *gin.Context) {
	if err := s.auditOnEntry(c); err != nil {
		s.deny(c, err)
		return
	}
	c.Next()
}

// deny hands the error to renderErrors and stops the chain before the handler.
func (s *Server) deny(c *gin.Context, err error) {
	_ = c.Error(err)
	c.Abort()
}

// bearerToken reads "Bearer <key>"; the scheme is case-insensitive (RFC 9110).
func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return token, true
}

func roleList(roles []Role) string {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	if len(names) == 0 {
		return "a role no key has"
	}
	return fmt.Sprintf("role %s", strings.Join(names, " or "))
}
