package api

import (
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"cascade/store"
)

// callerCache keeps, for a few seconds, who a session or API token belongs
// to, so that a burst of requests does not look the caller up each time. It
// is dropped for a user on sign-out, a password reset or a token's
// revocation, and whole on any change of users, roles or units; a change made
// elsewhere (another process) holds once the entry ages out.
type callerCache struct {
	mu      sync.Mutex
	ttl     time.Duration
	entries map[string]cachedCaller
}

type cachedCaller struct {
	found store.Caller
	at    time.Time
}

// callerCacheMax bounds the entries kept; past it the cache starts afresh.
const callerCacheMax = 10_000

func (cc *callerCache) get(key string, now time.Time) (store.Caller, bool) {
	if cc == nil || cc.ttl <= 0 {
		return store.Caller{}, false
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	e, ok := cc.entries[key]
	if !ok || now.Sub(e.at) > cc.ttl || now.Before(e.at) {
		return store.Caller{}, false
	}
	found := e.found
	if found.Session != nil {
		se := *found.Session
		found.Session = &se
	}
	return found, true
}

func (cc *callerCache) put(key string, found store.Caller, now time.Time) {
	if cc == nil || cc.ttl <= 0 {
		return
	}
	if found.Session != nil {
		se := *found.Session
		found.Session = &se
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.entries == nil || len(cc.entries) >= callerCacheMax {
		cc.entries = map[string]cachedCaller{}
	}
	cc.entries[key] = cachedCaller{found: found, at: now}
}

// forget drops one session's or token's entry.
func (cc *callerCache) forget(key string) {
	if cc == nil {
		return
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	delete(cc.entries, key)
}

// forgetUser drops every entry of a user.
func (cc *callerCache) forgetUser(userID int64) {
	if cc == nil {
		return
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	for k, e := range cc.entries {
		if e.found.User.ID == userID {
			delete(cc.entries, k)
		}
	}
}

// clear drops everything.
func (cc *callerCache) clear() {
	if cc == nil {
		return
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	cc.entries = nil
}

// accessRoutes change who may do what: after one succeeds, no cached
// caller is trusted.
var accessRoutes = map[string]bool{
	"PATCH /api/v1/users/:id":                             true,
	"POST /api/v1/users":                                  true,
	"POST /api/v1/users/:id/memberships":                  true,
	"DELETE /api/v1/users/:id/memberships/:unit_id/:role": true,
	"PATCH /api/v1/units/:id":                             true,
	"POST /api/v1/units/:id/move":                         true,
	"POST /api/v1/units/:id/deactivate":                   true,
	"POST /api/v1/units/import":                           true,
	"POST /api/v1/auth/password-reset/confirm":            true,
	"POST /api/v1/auth/logout-all":                        true,
	"DELETE /api/v1/me/tokens/:id":                        true,
}

// forgetOnAccessChange clears the caller cache after a request that changed
// users, roles or units succeeded, before its answer leaves (a small answer
// is flushed when the handler chain returns).
func (s *Server) forgetOnAccessChange() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Next()
		if accessRoutes[c.Request.Method+" "+c.FullPath()] && c.Writer.Status() < 400 {
			s.callers.clear()
		}
	}
}
