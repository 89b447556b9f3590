package api_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"

	"cascade/api"
	"cascade/api/spectest"
)

// TestOpenAPI_DocumentsEveryRoute keeps api/openapi.yaml in step with the
// router: every registered route is an operation of the spec, with an
// operationId, and the spec has no operation the router does not serve.
func TestOpenAPI_DocumentsEveryRoute(t *testing.T) {
	ops, err := spectest.Operations(api.OpenAPISpec())
	require.NoError(t, err)
	routes := map[string]bool{}
	param := regexp.MustCompile(`:([a-z_]+)`)
	for _, rt := range newEngine(t).Routes() {
		key := rt.Method + " " + param.ReplaceAllString(rt.Path, "{$1}")
		routes[key] = true
		op, ok := ops[key]
		require.True(t, ok, "openapi.yaml has no operation for %s", key)
		require.NotEmpty(t, op.ID, "%s has no operationId", key)
	}
	ids := map[string]string{}
	for key, op := range ops {
		require.True(t, routes[key], "openapi.yaml documents %s, which the router does not serve", key)
		require.Empty(t, ids[op.ID], "operationId %s is used by %s and %s", op.ID, ids[op.ID], key)
		ids[op.ID] = key
	}
}

// TestOpenAPI_ARenamedResponseFieldFailsTheValidator breaks a copy of the
// spec on purpose: with the health answer's field renamed (and required),
// the server's real answer no longer matches and the validator says so.
func TestOpenAPI_ARenamedResponseFieldFailsTheValidator(t *testing.T) {
	srv := newAPIServer(t).Handler()
	exchange := func(spec *spectest.Spec) []string {
		req := httptest.NewRequest("GET", "/healthz", nil)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		resp := rec.Result()
		body, _ := io.ReadAll(resp.Body)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		return spec.Check(req, nil, resp, body)
	}
	good, err := spectest.New(api.OpenAPISpec())
	require.NoError(t, err)
	require.Empty(t, exchange(good), "the real spec describes the real answer")

	// Rename the Health schema's one property, status, to state.
	spec := string(api.OpenAPISpec())
	health := strings.Index(spec, "\n    Health:\n")
	require.GreaterOrEqual(t, health, 0, "the Health schema this test breaks")
	field := strings.Index(spec[health:], "\n        status:\n")
	require.GreaterOrEqual(t, field, 0, "the Health schema's status property")
	at := health + field
	broken := spec[:at] + strings.Replace(spec[at:], "\n        status:\n", "\n        state:\n", 1)
	bad, err := spectest.New([]byte(broken))
	require.NoError(t, err)
	problems := exchange(bad)
	require.NotEmpty(t, problems, "a renamed response field must fail the validator")
	t.Logf("the broken spec: %s", strings.Join(problems, "\n"))
}

func newEngine(t *testing.T) *gin.Engine {
	t.Helper()
	return newAPIServer(t).Handler().(*gin.Engine)
}

// TestOpenAPI_TheSpecAndItsReferencePageAreServed: the spec at
// /api/v1/openapi.yaml is the embedded file, and /api/docs is Redoc's page
// of it, running only scripts of this origin.
func TestOpenAPI_TheSpecAndItsReferencePageAreServed(t *testing.T) {
	srv, _ := newBareServer(t)
	resp, err := http.Get(srv.URL + "/api/v1/openapi.yaml")
	require.NoError(t, err)
	spec, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, string(api.OpenAPISpec()), string(spec))

	resp, err = http.Get(srv.URL + "/api/docs")
	require.NoError(t, err)
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, string(page), `spec-url="/api/v1/openapi.yaml"`)
	require.Contains(t, string(page), `<script src="/api-docs/redoc.standalone.js">`)
	csp := resp.Header.Get("Content-Security-Policy")
	require.Contains(t, csp, "script-src 'self';")
	require.NotContains(t, csp, "http")
}

// TestOpenAPI_AnUndocumentedResponseFieldFailsTheValidator: the validator
// is strict, so a field the server sends that the spec does not name fails
// the test (a client generated from the spec would not know it), even where
// the schema leaves additional properties open.
func TestOpenAPI_AnUndocumentedResponseFieldFailsTheValidator(t *testing.T) {
	srv := newAPIServer(t).Handler()
	exchange := func(spec *spectest.Spec) []string {
		body := `{"email":"khong-co-ai@example.org"}`
		req := httptest.NewRequest("POST", "/api/v1/auth/password-reset", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		resp := rec.Result()
		raw, _ := io.ReadAll(resp.Body)
		require.Equal(t, http.StatusAccepted, resp.StatusCode, "%s", raw)
		sent := httptest.NewRequest("POST", "/api/v1/auth/password-reset", nil)
		sent.Header.Set("Content-Type", "application/json")
		return spec.Check(sent, []byte(body), resp, raw)
	}
	good, err := spectest.New(api.OpenAPISpec())
	require.NoError(t, err)
	require.Empty(t, exchange(good), "the real spec describes the real answer")

	// Drop message_en from the answer's schema: the server still sends it.
	spec := string(api.OpenAPISpec())
	op := strings.Index(spec, "operationId: requestPasswordReset")
	require.GreaterOrEqual(t, op, 0)
	const field = "                  message_en:\n                    type: string\n                    description: the same in English\n"
	at := strings.Index(spec[op:], field)
	require.GreaterOrEqual(t, at, 0, "the answer's message_en property")
	broken := spec[:op+at] + spec[op+at+len(field):]
	bad, err := spectest.New([]byte(broken))
	require.NoError(t, err)
	problems := exchange(bad)
	require.NotEmpty(t, problems, "a field the spec does not name must fail the validator")
	require.Contains(t, strings.Join(problems, "\n"), "message_en")
}
