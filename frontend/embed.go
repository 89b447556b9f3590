// Package frontend embeds the built web app (frontend/dist) in the binary.
// `make build` runs the Vite build first; without it only dist/.keep is
// embedded and the API serves a placeholder page.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist is the built app, rooted at dist/.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // dist is embedded at build time
	}
	return sub
}
