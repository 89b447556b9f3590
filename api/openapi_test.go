package api_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"
)

// TestOpenAPI_DocumentsEveryRoute keeps api/openapi.yaml in step with the
// router: every registered route has its path and method in the spec, and
// the spec has no path the router lacks.
func TestOpenAPI_DocumentsEveryRoute(t *testing.T) {
	spec, err := os.ReadFile("openapi.yaml")
	require.NoError(t, err)
	documented := map[string]bool{}
	path := ""
	pathLine := regexp.MustCompile(`^  (/[^:]*):\s*$`)
	methodLine := regexp.MustCompile(`^    (get|post|put|patch|delete):`)
	for _, line := range strings.Split(string(spec), "\n") {
		if m := pathLine.FindStringSubmatch(line); m != nil {
			path = m[1]
		} else if m := methodLine.FindStringSubmatch(line); m != nil && path != "" {
			documented[strings.ToUpper(m[1])+" "+path] = true
		}
	}
	routes := map[string]bool{}
	for _, rt := range newEngine(t).Routes() {
		p := regexp.MustCompile(`:([a-z_]+)`).ReplaceAllString(rt.Path, "{$1}")
		routes[rt.Method+" "+p] = true
		require.True(t, documented[rt.Method+" "+p], "openapi.yaml does not document %s %s", rt.Method, p)
	}
	for d := range documented {
		require.True(t, routes[d], "openapi.yaml documents %s, which the router does not serve", d)
	}
}

func newEngine(t *testing.T) *gin.Engine {
	t.Helper()
	return newAPIServer(t).Handler().(*gin.Engine)
}
