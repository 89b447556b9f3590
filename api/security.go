package api

import (
	"strings"

	"github.com/gin-gonic/gin"
)

// contentSecurityPolicy lets the web app load only its own scripts (Vite's
// build has no inline script), styles (inline styles stay: the charts set
// them), images and data from this origin, and no one frame it.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; " +
	"base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the browser's defences on every answer: the content
// security policy, no framing (clickjacking), no content sniffing, no
// referrer leaving the site (a reset link's token is in its URL), and no
// caching of API answers, which carry a signed-in user's data.
func securityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if strings.HasPrefix(c.Request.URL.Path, "/api/") {
			h.Set("Cache-Control", "no-store")
		}
		c.Next()
	}
}
