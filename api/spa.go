package api

import (
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"
)

// noRoute serves the web app: a file of the built frontend when one matches,
// else index.html so that client-side routes load the app. Paths under /api/
// that match no route answer the API's 404.
func (s *Server) noRoute(c *gin.Context) {
	p := c.Request.URL.Path
	if strings.HasPrefix(p, "/api/") || s.Web == nil || (c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead) {
		respondError(c, errNotFound())
		return
	}
	name := strings.TrimPrefix(path.Clean(p), "/")
	if name != "" {
		if st, err := fs.Stat(s.Web, name); err == nil && !st.IsDir() {
			if strings.HasPrefix(name, "assets/") {
				// Vite names assets by content hash: cache them for good.
				c.Header("Cache-Control", "public, max-age=31536000, immutable")
			}
			c.FileFromFS(name, http.FS(s.Web))
			return
		}
	}
	index, err := fs.ReadFile(s.Web, "index.html")
	if err != nil {
		c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(placeholderPage))
		return
	}
	c.Header("Cache-Control", "no-cache")
	c.Data(http.StatusOK, "text/html; charset=utf-8", index)
}

// placeholderPage is served when the binary was built without the frontend.
const placeholderPage = `<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Cascade</title></head>
<body><h1>Cascade — Hội LHPN tỉnh Khánh Hòa</h1>
<p>Giao diện web chưa được build (chạy <code>make build</code>). API: <a href="/readyz">/readyz</a></p></body></html>`
