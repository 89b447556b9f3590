package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"cascade/store"
	"cascade/store/storetest"
)

func TestImportUnits_OneBadRowRejectsTheWholeFileWithEveryErrorByLine(t *testing.T) {
	srv, db, root, _ := newServerWithAdmin(t)
	before := count(t, db, `SELECT count(*) FROM org_units`)
	u := "X" + strings.ToUpper(strconvUnique())
	csv := "\ufeffMã đơn vị;Tên đơn vị;Loại;Mã đơn vị cấp trên;Email\n" +
		u + "1;Hội LHPN xã Một;commune;" + root.Code + ";mot@example.org\n" +
		u + "2;;commune;" + root.Code + ";\n" + // no name
		u + "3;Hội LHPN xã Ba;county;" + root.Code + ";\n" + // unknown kind
		u + "4;Chi hội 4;branch;" + u + "9;\n" // parent nowhere
	status, e, raw := postCSV(t, srv.URL+"/api/v1/units/import", csv)
	require.Equal(t, http.StatusUnprocessableEntity, status, "%s", raw)
	require.Equal(t, "invalid_file", e.Error.Code)
	for _, line := range []string{`"line":3`, `"line":4`, `"line":5`} {
		require.Contains(t, string(raw), line)
	}
	require.NotContains(t, string(raw), `"line":2,`)
	require.Equal(t, before, count(t, db, `SELECT count(*) FROM org_units`), "nothing is written")
}

func TestImportUnits_AddsTheTreeAndExportReadsItBack(t *testing.T) {
	srv, db, root, _ := newServerWithAdmin(t)
	u := "Y" + strings.ToUpper(strconvUnique())
	csv := "Mã đơn vị,Tên đơn vị,Tên viết tắt,Loại,Mã đơn vị cấp trên,Email\n" +
		u + "-CHI,Chi hội Tổ 5,Tổ 5,branch," + u + "-XA,\n" + // child before its parent
		u + "-XA,Hội LHPN xã Vĩnh Lương,Vĩnh Lương,Cơ sở Hội," + root.Code + ",vinhluong@example.org\n"
	status, _, raw := postMultipart(t, srv.URL+"/api/v1/units/import", csv)
	require.Equal(t, http.StatusCreated, status, "%s", raw)
	require.Contains(t, string(raw), `"created":2`)
	var path string
	require.NoError(t, db.QueryRow(`SELECT path FROM org_units WHERE code = $1`, u+"-CHI").Scan(&path))
	require.True(t, strings.HasPrefix(path, root.Path), "the branch sits under the commune under the root: %s", path)
	require.Equal(t, 4, strings.Count(path, "/"))

	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/units/"+strconv.FormatInt(root.ID, 10)+"/export", nil)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.True(t, bytes.HasPrefix(body, []byte("\ufeff")), "a BOM, so Excel reads UTF-8")
	require.Contains(t, string(body), "Mã đơn vị")
	require.Contains(t, string(body), "Hội LHPN xã Vĩnh Lương")
	require.Contains(t, string(body), u+"-CHI")
}

func TestMoveUnit_CarriesTheSubtreeAndRefusesACycle(t *testing.T) {
	srv, db, root, _ := newServerWithAdmin(t)
	mk := func(parent int64, code string) int64 {
		status, _, raw := do(t, "POST", srv.URL+"/api/v1/units", `{"parent_id":`+strconv.FormatInt(parent, 10)+`,"kind":"commune","code":"`+code+`","name":"Đơn vị `+code+`"}`)
		require.Equal(t, http.StatusCreated, status, "%s", raw)
		var n int64
		require.NoError(t, db.QueryRow(`SELECT id FROM org_units WHERE code = $1`, code).Scan(&n))
		return n
	}
	s := strings.ToUpper(strconvUnique())
	a := mk(root.ID, "MA"+s)
	a1 := mk(a, "MA1"+s)
	a11 := mk(a1, "MA11"+s)
	b := mk(root.ID, "MB"+s)

	status, e, raw := do(t, "POST", srv.URL+"/api/v1/units/"+strconv.FormatInt(a, 10)+"/move", `{"parent_id":`+strconv.FormatInt(a11, 10)+`}`)
	require.Equal(t, http.StatusUnprocessableEntity, status, "%s", raw)
	require.Contains(t, e.Error.Fields, "parent_code")

	status, _, raw = do(t, "POST", srv.URL+"/api/v1/units/"+strconv.FormatInt(a1, 10)+"/move", `{"parent_id":`+strconv.FormatInt(b, 10)+`}`)
	require.Equal(t, http.StatusOK, status, "%s", raw)
	require.Contains(t, string(raw), `"units_moved":2`)
	var bPath, a11Path string
	require.NoError(t, db.QueryRow(`SELECT path FROM org_units WHERE id = $1`, b).Scan(&bPath))
	require.NoError(t, db.QueryRow(`SELECT path FROM org_units WHERE id = $1`, a11).Scan(&a11Path))
	require.Equal(t, bPath+strconv.FormatInt(a1, 10)+"/"+strconv.FormatInt(a11, 10)+"/", a11Path)

	status, e, _ = do(t, "POST", srv.URL+"/api/v1/units/"+strconv.FormatInt(b, 10)+"/deactivate", "")
	require.Equal(t, http.StatusConflict, status, "a unit with active units under it stays")
	require.Equal(t, "has_children", e.Error.Code)
	status, _, _ = do(t, "POST", srv.URL+"/api/v1/units/"+strconv.FormatInt(a11, 10)+"/deactivate", "")
	require.Equal(t, http.StatusOK, status)
	var n int
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM org_units WHERE id = $1 AND NOT active`, a11).Scan(&n))
	require.Equal(t, 1, n, "deactivated, not deleted")
}

func postCSV(t *testing.T, url, body string) (int, apiError, []byte) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "text/csv")
	req.Header.Set("Authorization", "Bearer "+adminToken)
	return send(t, req)
}

func postMultipart(t *testing.T, url, csv string) (int, apiError, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", "don-vi.csv")
	require.NoError(t, err)
	_, _ = fw.Write([]byte(csv))
	require.NoError(t, mw.Close())
	req, _ := http.NewRequest("POST", url, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+adminToken)
	return send(t, req)
}

func TestUnitSupervisor_ABoardIsSetRefusedForADistrictAndCleared(t *testing.T) {
	srv, db, root, _ := newServerWithAdmin(t)
	s := store.New(db)
	mk := func(kind, code string) store.Unit {
		u, err := s.CreateUnit(t.Context(), store.Unit{ParentID: &root.ID, Kind: kind, Code: code + "-" + storetest.Unique(), Name: code})
		require.NoError(t, err)
		return u
	}
	district, board, other := mk("district", "NT"), mk("board", "BKT"), mk("district", "CR")
	path := srv.URL + "/api/v1/units/" + itoa(district.ID)

	status, _, raw := do(t, "PATCH", path, `{"supervisor_unit_id": `+itoa(board.ID)+`}`)
	require.Equal(t, http.StatusOK, status, "%s", raw)
	var got store.Unit
	require.NoError(t, json.Unmarshal(raw, &got))
	require.Equal(t, &board.ID, got.SupervisorUnitID)
	require.Equal(t, district.Name, got.Name, "fields left out are unchanged")

	// A district does not supervise a district; the unit keeps its board.
	status, e, _ := do(t, "PATCH", path, `{"supervisor_unit_id": `+itoa(other.ID)+`}`)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	require.NotEmpty(t, e.Error.Fields["supervisor_unit_id"])
	require.NotEmpty(t, e.Error.FieldsEn["supervisor_unit_id"])
	status, _, _ = do(t, "PATCH", path, `{"name": "Hội LHPN thành phố Nha Trang"}`)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, 1, count(t, db, `SELECT count(*) FROM org_units WHERE id = `+itoa(district.ID)+` AND supervisor_unit_id = `+itoa(board.ID)))

	status, _, raw = do(t, "PATCH", path, `{"supervisor_unit_id": null}`)
	require.Equal(t, http.StatusOK, status, "%s", raw)
	require.Equal(t, 1, count(t, db, `SELECT count(*) FROM org_units WHERE id = `+itoa(district.ID)+` AND supervisor_unit_id IS NULL`))
}

// A CSV upload past the cap is 413 whose field says the file is too large,
// not that no file was chosen.
func TestImportUnits_AnUploadPastTheCapSaysTooLarge(t *testing.T) {
	srv, _, _, _ := newServerWithAdmin(t)
	status, e, raw := postMultipart(t, srv.URL+"/api/v1/units/import", strings.Repeat("a,b\n", 12<<20/4))
	require.Equal(t, http.StatusRequestEntityTooLarge, status, "%.300s", raw)
	require.Equal(t, "too_large", e.Error.Code)
	require.Equal(t, "file too large", e.Error.FieldsEn["file"], "%s", raw)
}
