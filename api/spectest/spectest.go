// Package spectest holds the API to its contract, api/openapi.yaml, in
// tests: Handler wraps the server the api tests talk to and Transport the
// client of the app tests, and both validate every request and every
// response against the spec. A response the spec does not describe fails
// the test; so does a request the spec refuses that the server accepted.
//
// CASCADE_SPEC_SUMMARY=1 prints, when the test binary ends, how many
// requests and responses were validated and which operations were covered.
// CASCADE_SPEC_DUMP=dir writes every observed response body to
// dir/<operationId>/<status>-<n>.json, to help write or fix the spec.
package spectest

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	verrors "github.com/pb33f/libopenapi-validator/errors"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"

	"cascade/api"
)

// Operation is one method of one path of the spec.
type Operation struct {
	Method, Path, ID string
	re               *regexp.Regexp
	params           int
}

// Operations parses spec and lists its operations, "GET /api/v1/units" →
// its operation.
func Operations(spec []byte) (map[string]Operation, error) {
	_, model, err := parse(spec)
	if err != nil {
		return nil, err
	}
	return operationsOf(model), nil
}

// parse reads spec as an OpenAPI 3 document and builds its model.
func parse(spec []byte) (libopenapi.Document, *v3.Document, error) {
	doc, err := libopenapi.NewDocument(spec)
	if err != nil {
		return nil, nil, err
	}
	model, err := doc.BuildV3Model()
	if err != nil {
		return nil, nil, err
	}
	return doc, &model.Model, nil
}

func operationsOf(m *v3.Document) map[string]Operation {
	ops := map[string]Operation{}
	if m.Paths == nil || m.Paths.PathItems == nil {
		return ops
	}
	param := regexp.MustCompile(`\{[^}/]+\}`)
	for p, item := range m.Paths.PathItems.FromOldest() {
		// QuoteMeta escapes the braces: unescape them before replacing.
		re := regexp.MustCompile("^" + param.ReplaceAllString(strings.NewReplacer(`\{`, "{", `\}`, "}").Replace(regexp.QuoteMeta(p)), `[^/]+`) + "$")
		for method, op := range item.GetOperations().FromOldest() {
			method = strings.ToUpper(method)
			ops[method+" "+p] = Operation{Method: method, Path: p, ID: op.OperationId, re: re, params: strings.Count(p, "{")}
		}
	}
	return ops
}

// Spec is a parsed spec with its validator and what the tests sent it.
type Spec struct {
	mu        sync.Mutex
	validator validator.Validator
	ops       []Operation // literal paths before templated ones
	stats     stats
}

type stats struct {
	requests, responses, invalidRefused, unmatched int
	covered                                        map[string]int // operationId → responses validated
	statuses                                       map[string]bool
	dumped                                         map[string]int
}

// New parses spec and builds its validator.
func New(spec []byte) (*Spec, error) {
	doc, model, err := parse(spec)
	if err != nil {
		return nil, err
	}
	v, errs := validator.NewValidator(doc, config.WithoutSecurityValidation(),
		// Strict: a field the server sends that the spec does not name
		// fails too (a generated client would not know it). Not checked:
		// the Error's field maps (their keys are the request's fields),
		// the session cookies and CSRF header the security scheme
		// describes, and the security headers every answer carries.
		config.WithStrictMode(),
		config.WithStrictIgnorePaths("$.body.error.fields.**", "$.body.error.fields_en.**", "$.body.error.fields[*]", "$.body.error.fields_en[*]", "$.body.entries[*].before.**", "$.body.entries[*].after.**", "$.cookies.*"),
		config.WithStrictIgnoredHeadersExtra("X-Csrf-Token", "X-Request-Id", "Content-Security-Policy", "X-Content-Type-Options",
			"X-Frame-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy", "Cross-Origin-Resource-Policy", "Permissions-Policy",
			"Strict-Transport-Security", "Retry-After", "Content-Disposition"))
	if len(errs) > 0 {
		return nil, fmt.Errorf("openapi.yaml: %v", errs)
	}
	s := &Spec{validator: v}
	for _, op := range operationsOf(model) {
		s.ops = append(s.ops, op)
	}
	sort.Slice(s.ops, func(i, j int) bool {
		if s.ops[i].params != s.ops[j].params {
			return s.ops[i].params < s.ops[j].params
		}
		return s.ops[i].Path < s.ops[j].Path
	})
	s.stats.covered = map[string]int{}
	s.stats.statuses = map[string]bool{}
	s.stats.dumped = map[string]int{}
	return s, nil
}

var (
	defaultOnce sync.Once
	defaultSpec *Spec
	defaultErr  error
)

// Default is the API's own spec, parsed once per test binary.
func Default() (*Spec, error) {
	defaultOnce.Do(func() { defaultSpec, defaultErr = New(api.OpenAPISpec()) })
	return defaultSpec, defaultErr
}

func mustDefault(t testing.TB) *Spec {
	t.Helper()
	s, err := Default()
	if err != nil {
		t.Fatalf("spectest: %v", err)
	}
	return s
}

// find is the operation serving method and path, if the spec has one.
func (s *Spec) find(method, path string) (Operation, bool) {
	for _, op := range s.ops {
		if op.Method == method && op.re.MatchString(path) {
			return op, true
		}
	}
	return Operation{}, false
}

// Check validates one exchange: req (its body in reqBody) and the response
// the server gave. It returns the problems found, none when the exchange
// keeps to the spec.
func (s *Spec) Check(req *http.Request, reqBody []byte, resp *http.Response, respBody []byte) []string {
	path := req.URL.Path
	op, ok := s.find(req.Method, path)
	s.mu.Lock()
	defer s.mu.Unlock()
	if !ok {
		if !strings.HasPrefix(path, "/api/") {
			return nil // the web app's files and client-side routes
		}
		// A path or method the API does not serve must be answered as such.
		s.stats.unmatched++
		if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusMethodNotAllowed {
			return []string{fmt.Sprintf("%s %s is in no operation of the spec, yet answered %d", req.Method, path, resp.StatusCode)}
		}
		if !bytes.Contains(respBody, []byte(`"error"`)) {
			return []string{fmt.Sprintf("%s %s answered %d without the Error shape: %s", req.Method, path, resp.StatusCode, respBody)}
		}
		return nil
	}
	var problems []string

	r := req.Clone(req.Context())
	r.Body = io.NopCloser(bytes.NewReader(reqBody))
	r.ContentLength = int64(len(reqBody))
	s.stats.requests++
	if valid, errs := s.validator.ValidateHttpRequestSync(r); !valid {
		// The tests send bad requests on purpose: the server must refuse
		// what the spec refuses.
		if resp.StatusCode < 400 {
			problems = append(problems, fmt.Sprintf("%s %s: the server answered %d to a request the spec refuses: %s",
				req.Method, path, resp.StatusCode, describe(errs)))
		} else {
			s.stats.invalidRefused++
		}
	}

	r = req.Clone(req.Context())
	r.Body = io.NopCloser(bytes.NewReader(reqBody))
	rs := *resp
	rs.Body = io.NopCloser(bytes.NewReader(respBody))
	rs.ContentLength = int64(len(respBody))
	s.stats.responses++
	s.stats.covered[op.ID]++
	s.stats.statuses[fmt.Sprintf("%s %d", op.ID, resp.StatusCode)] = true
	if valid, errs := s.validator.ValidateHttpResponse(r, &rs); !valid && len(notFieldKeys(errs)) > 0 {
		errs = notFieldKeys(errs)
		problems = append(problems, fmt.Sprintf("%s %s (%s) answered %d, which the spec does not describe: %s\nbody: %.2000s",
			req.Method, path, op.ID, resp.StatusCode, describe(errs), respBody))
	}
	s.dump(op, resp, respBody)
	return problems
}

// notFieldKeys drops what strict mode says of the keys of an Error's field
// maps (additionalProperties: their keys are the request's own fields, such
// as targets[0].value, which its ignore patterns cannot name).
func notFieldKeys(errs []*verrors.ValidationError) []*verrors.ValidationError {
	var kept []*verrors.ValidationError
	for _, e := range errs {
		if strings.Contains(e.Message, "at '$.body.error.fields") {
			continue
		}
		kept = append(kept, e)
	}
	return kept
}

func describe(errs []*verrors.ValidationError) string {
	var b strings.Builder
	for _, e := range errs {
		b.WriteString("\n  - " + e.Message)
		if e.Reason != "" {
			b.WriteString(": " + e.Reason)
		}
		for _, se := range e.SchemaValidationErrors {
			b.WriteString("\n      " + se.FieldPath + ": " + se.Reason)
		}
	}
	return b.String()
}

func (s *Spec) dump(op Operation, resp *http.Response, body []byte) {
	dir := os.Getenv("CASCADE_SPEC_DUMP")
	if dir == "" {
		return
	}
	name := op.ID
	if name == "" {
		name = op.Method + strings.ReplaceAll(op.Path, "/", "_")
	}
	key := fmt.Sprintf("%s/%d", name, resp.StatusCode)
	s.stats.dumped[key]++
	n := s.stats.dumped[key]
	if n > 20 {
		return
	}
	ext := ".json"
	if !strings.Contains(resp.Header.Get("Content-Type"), "json") {
		ext = ".bin"
		body = []byte(resp.Header.Get("Content-Type"))
	}
	_ = os.MkdirAll(filepath.Join(dir, name), 0o755)
	_ = os.WriteFile(filepath.Join(dir, name, fmt.Sprintf("%d-%d%s", resp.StatusCode, n, ext)), body, 0o644)
}

// Handler wraps h, the API, so that every exchange it serves is checked
// against the spec; a mismatch fails t.
func Handler(t testing.TB, h http.Handler) http.Handler {
	return mustDefault(t).Handler(t, h)
}

// Handler wraps h so that every exchange is checked against s.
func (s *Spec) Handler(t testing.TB, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		// The body is kept as the handler reads it, not read ahead: a
		// handler may answer before the client has sent it all.
		// The server's own request keeps its body: net/http looks at its
		// type to decide whether to drain it before answering.
		var body bytes.Buffer
		req = req.WithContext(req.Context())
		req.Body = struct {
			io.Reader
			io.Closer
		}{io.TeeReader(req.Body, &body), req.Body}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		resp := rec.Result()
		for _, p := range s.Check(req, body.Bytes(), resp, rec.Body.Bytes()) {
			t.Errorf("openapi.yaml: %s", p)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

// Transport is an http.RoundTripper that checks every exchange against the
// API's spec; a mismatch fails t. base nil is http.DefaultTransport.
func Transport(t testing.TB, base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &transport{t: t, spec: mustDefault(t), base: base}
}

type transport struct {
	t    testing.TB
	spec *Spec
	base http.RoundTripper
}

func (tr *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		body, err = io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := tr.base.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(raw))
	for _, p := range tr.spec.Check(req, body, resp, raw) {
		tr.t.Errorf("openapi.yaml: %s", p)
	}
	return resp, nil
}

// Summary prints, when CASCADE_SPEC_SUMMARY is set, what the default spec
// validated in this test binary.
func Summary() {
	if os.Getenv("CASCADE_SPEC_SUMMARY") == "" || defaultSpec == nil {
		return
	}
	s := defaultSpec
	s.mu.Lock()
	defer s.mu.Unlock()
	total := 0
	var missing []string
	for _, op := range s.ops {
		if op.ID == "" {
			continue
		}
		total++
		if s.stats.covered[op.ID] == 0 {
			missing = append(missing, op.ID)
		}
	}
	sort.Strings(missing)
	fmt.Printf("openapi: validated %d requests (%d refused as the spec refuses them) and %d responses (%d operation×status pairs); %d/%d operations covered; %d requests outside the spec answered 404/405\n",
		s.stats.requests, s.stats.invalidRefused, s.stats.responses, len(s.stats.statuses), total-len(missing), total, s.stats.unmatched)
	if len(missing) > 0 {
		fmt.Printf("openapi: not covered: %s\n", strings.Join(missing, ", "))
	}
}
