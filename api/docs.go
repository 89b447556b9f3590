package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// docsCSP lets the reference page run only the Redoc bundle served by
// Cascade itself (no CDN): Redoc styles with inline <style> (styled
// components), loads the spec from this origin and runs its search index in
// a blob: worker.
const docsCSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// apiDocs serves a readable reference of openapi.yaml rendered by Redoc.
// The frontend build copies Redoc's standalone bundle into
// dist/api-docs/ (scripts/redoc.mjs); without a build the page says so.
func (s *Server) apiDocs(c *gin.Context) {
	c.Header("Content-Security-Policy", docsCSP)
	c.Header("X-Content-Type-Options", "nosniff")
	c.Header("Referrer-Policy", "no-referrer")
	c.Header("Cache-Control", "no-cache")
	c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(docsPage))
}

const docsPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cascade API v1 — reference</title>
</head>
<body style="margin:0">
<redoc spec-url="/api/v1/openapi.yaml" hide-download-button="false" expand-responses="200,201" path-in-middle-panel="true">
<p style="font-family:sans-serif;padding:1rem">The reference page needs the web app's build (<code>make build</code>).
The contract itself: <a href="/api/v1/openapi.yaml">/api/v1/openapi.yaml</a>.</p>
</redoc>
<script src="/api-docs/redoc.standalone.js"></script>
</body>
</html>
`
