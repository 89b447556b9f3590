package api_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/auth"
	"cascade/store/storetest"
)

// docxBomb builds a .docx of a few kilobytes that expands enormously: a
// table of empty rows padded to 127 columns, or a list whose number text
// is repeated on every paragraph.
func docxBomb(t *testing.T, columns bool) []byte {
	t.Helper()
	var doc strings.Builder
	doc.WriteString(`<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	if columns {
		doc.WriteString(`<w:tbl><w:tr>`)
		for i := 0; i < 127; i++ {
			doc.WriteString(`<w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>`)
		}
		doc.WriteString(`</w:tr>` + strings.Repeat(`<w:tr/>`, 40000) + `</w:tbl>`)
	} else {
		doc.WriteString(strings.Repeat(`<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>a</w:t></w:r></w:p>`, 60000))
	}
	doc.WriteString(`</w:body></w:document>`)
	numbering := `<?xml version="1.0"?><w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
		`<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="` +
		strings.Repeat("%1.", 10) + `"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>`
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string]string{"word/document.xml": doc.String(), "word/numbering.xml": numbering,
		"[Content_Types].xml": `<?xml version="1.0"?><Types/>`} {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = w.Write([]byte(body))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// TestImportPlan_ADocxBombIsRefusedNamingTheLimit uploads .docx files of
// a few kilobytes that used to expand to a 152 MB answer: each is refused
// with 422 naming the limit it passes, and no plan is written.
func TestImportPlan_ADocxBombIsRefusedNamingTheLimit(t *testing.T) {
	srv, db, root, _ := newServerWithAdmin(t)
	for _, tc := range []struct {
		name    string
		columns bool
		code    string
	}{{"127 columns", true, "document_table_columns"}, {"list numbers", false, "document_expansion"}} {
		t.Run(tc.name, func(t *testing.T) {
			bomb := docxBomb(t, tc.columns)
			require.Less(t, len(bomb), 32<<10, "a bomb of a few kilobytes")
			status, _, raw := importDoc(t, srv.URL, root.ID, "bom.docx", bomb)
			require.Equal(t, http.StatusUnprocessableEntity, status, "%s", raw)
			var e apiError
			require.NoError(t, json.Unmarshal(raw, &e))
			require.Equal(t, tc.code, e.Error.Code)
			require.Contains(t, e.Error.Fields, "file")
			require.Less(t, len(raw), 2000, "the answer is an error, not the expanded text")
		})
	}
	var n int
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM plans WHERE issuer_unit_id = $1`, root.ID).Scan(&n))
	require.Zero(t, n, "nothing half-written")
}

// TestImportPlan_ANineAndAHalfMegabyteTextIsRefusedNamingTheLimit: a text
// of 9.5 MB fits under the size cap but is far more than a plan; it is
// refused with 422 naming the characters limit instead of being read for a
// minute.
func TestImportPlan_ANineAndAHalfMegabyteTextIsRefusedNamingTheLimit(t *testing.T) {
	srv, _, root, _ := newServerWithAdmin(t)
	big := bytes.Repeat([]byte("- 100% cơ sở Hội tổ chức quán triệt; mỗi năm có ít nhất 01 mô hình mới.\n"), 9_500_000/76)
	status, _, raw := importDoc(t, srv.URL, root.ID, "ke-hoach.txt", big)
	require.Equal(t, http.StatusUnprocessableEntity, status, "%.300s", raw)
	var e apiError
	require.NoError(t, json.Unmarshal(raw, &e))
	require.Equal(t, "document_text_chars", e.Error.Code)
	require.Contains(t, e.Error.MessageEn, "characters of text")
}

// TestImportPlan_ABodyPastTheCapIs413 sends 31 MiB: 413 in the API's error
// shape, naming the file.
func TestImportPlan_ABodyPastTheCapIs413(t *testing.T) {
	srv, _, root, _ := newServerWithAdmin(t)
	status, _, raw := importDoc(t, srv.URL, root.ID, "scan.pdf", append([]byte("%PDF-1.4\n"), make([]byte, 31<<20)...))
	require.Equal(t, http.StatusRequestEntityTooLarge, status)
	var e apiError
	require.NoError(t, json.Unmarshal(raw, &e))
	require.Equal(t, "too_large", e.Error.Code)
	require.Contains(t, e.Error.Fields, "file")
}

// TestImportPlan_TheCallerIsCheckedBeforeTheBodyIsRead: a viewer's upload
// is refused while its body is still being sent, so an unauthorised caller
// cannot make the server read megabytes.
func TestImportPlan_TheCallerIsCheckedBeforeTheBodyIsRead(t *testing.T) {
	srv, db, root, _ := newServerWithAdmin(t)
	_, viewer := storetest.SignedIn(t, db, root.ID, "viewer")
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	// Headers announcing 20 MB, and only the first kilobyte of the body.
	fmt.Fprintf(conn, "POST /api/v1/plans/import?issuer_unit_id=%d HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: %d\r\n\r\n", root.ID, viewer, 20<<20)
	_, err = conn.Write([]byte("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"k.txt\"\r\n\r\n" + strings.Repeat("x", 1<<10)))
	require.NoError(t, err)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(10*time.Second)))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err, "the answer comes while the body is still owed")
	defer resp.Body.Close()
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
}

// TestImportPlan_ReimportingADocumentNamesThePlanItAlreadyIs: the second
// import of 321/KH-BTV answers with the first plan as existing_plan, so the
// import screen can warn and offer to open it.
func TestImportPlan_ReimportingADocumentNamesThePlanItAlreadyIs(t *testing.T) {
	srv, _, root, _ := newServerWithAdmin(t)
	status, first, raw := importDoc(t, srv.URL, root.ID, "plan-321-KH-BTV.txt", readFixture(t, "plan-321-KH-BTV.txt"))
	require.Equal(t, http.StatusCreated, status, "%s", raw)
	require.Contains(t, string(raw), `"existing_plan":null`)
	status, second, raw := importDoc(t, srv.URL, root.ID, "plan-321-KH-BTV.docx", readFixture(t, "plan-321-KH-BTV.docx"))
	require.Equal(t, http.StatusCreated, status, "%s", raw)
	var got struct {
		ExistingPlan *struct {
			ID   int64  `json:"id"`
			Code string `json:"code"`
		} `json:"existing_plan"`
	}
	require.NoError(t, json.Unmarshal(raw, &got))
	require.NotNil(t, got.ExistingPlan)
	require.Equal(t, first.ID, got.ExistingPlan.ID)
	require.Equal(t, "321/KH-BTV", got.ExistingPlan.Code)
	require.NotEqual(t, first.ID, second.ID)
}

// Ten uploads of a 21 MB .docx at once took a serve from 443 MiB to 1.6 GiB:
// documents are read a few at a time, and an upload finding every turn
// taken and the queue full is 503 with Retry-After, before its body is read.
func TestImportPlan_DocumentsAreReadAFewAtATime(t *testing.T) {
	s := newAPIServer(t)
	s.ImportGate = auth.NewGate(1, 0, 10*time.Millisecond)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	root := storetest.Root(t, s.DB)
	_, token := storetest.SignedIn(t, s.DB, root.ID, "admin")
	adminToken = token
	// A first upload whose body is still coming holds the only turn.
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	require.NoError(t, err)
	defer conn.Close() // before srv.Close, which waits for it
	fmt.Fprintf(conn, "POST /api/v1/plans/import?issuer_unit_id=%d HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: %d\r\n\r\n", root.ID, token, 1<<20)
	_, err = conn.Write([]byte("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"k.txt\"\r\n\r\nKế hoạch"))
	require.NoError(t, err)
	plan := []byte("KẾ HOẠCH\nThực hiện nhiệm vụ năm 2026\n")
	// The first upload's request has reached the gate (else the second
	// could take the turn before it, and the first be the one refused).
	require.Eventually(t, func() bool { return s.ImportGate.Running() == 1 }, 10*time.Second, 10*time.Millisecond)
	require.Eventually(t, func() bool {
		status, _, _ := importDoc(t, srv.URL, root.ID, "ke-hoach.txt", plan)
		return status == http.StatusServiceUnavailable
	}, 10*time.Second, 50*time.Millisecond, "a second upload is refused while the first holds the turn")
	conn.Close()
	require.Eventually(t, func() bool {
		status, _, _ := importDoc(t, srv.URL, root.ID, "ke-hoach.txt", plan)
		return status == http.StatusCreated
	}, 10*time.Second, 50*time.Millisecond, "the turn is given back")
}
