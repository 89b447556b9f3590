package org_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"

	"cascade/org"
)

const validUnitsCSV = "\uFEFFMã đơn vị;Tên đơn vị;Tên viết tắt;Loại;Mã đơn vị cấp trên;Email\r\n" +
	"CAMLAM;Hội LHPN huyện Cam Lâm;HPN Cam Lâm;Huyện/thị/thành phố;KH;camlam@hpn.vn\r\n" +
	"CAMLAM-CD;Hội LHPN xã Cam Đức;;Cơ sở Hội;CAMLAM;\r\n" +
	"CAMLAM-CD-1;Chi hội Thôn 1;;Chi hội;CAMLAM-CD;\r\n" +
	"BTG;Ban Tuyên giáo;;board;KH;\r\n"

const invalidUnitsCSV = "code,name,kind,parent_code,email\n" +
	"CAMLAM,Hội LHPN huyện Cam Lâm,district,KH,camlam@\n" +
	"CAMLAM,,village,NOWHERE,\n" +
	"A,Đơn vị A,branch,B,\n" +
	"B,Đơn vị B,branch,A,\n"

// inTree reports the units already in the tree: the province "KH".
func inTree(code string) bool { return code == "KH" }

func codes(rows []org.UnitRow) []string {
	var cs []string
	for _, r := range rows {
		cs = append(cs, r.Code)
	}
	return cs
}

func TestParseUnitsCSV_ReadsAValidVietnameseFile(t *testing.T) {
	t.Parallel()
	rows, err := org.ParseUnitsCSV(strings.NewReader(validUnitsCSV), inTree)
	require.NoError(t, err)
	require.Equal(t, []org.UnitRow{
		{Line: 2, Code: "CAMLAM", Name: "Hội LHPN huyện Cam Lâm", ShortName: "HPN Cam Lâm", Kind: org.KindDistrict, ParentCode: "KH", Email: "camlam@hpn.vn"},
		{Line: 3, Code: "CAMLAM-CD", Name: "Hội LHPN xã Cam Đức", Kind: org.KindCommune, ParentCode: "CAMLAM"},
		{Line: 4, Code: "CAMLAM-CD-1", Name: "Chi hội Thôn 1", Kind: org.KindBranch, ParentCode: "CAMLAM-CD"},
		{Line: 5, Code: "BTG", Name: "Ban Tuyên giáo", Kind: org.KindBoard, ParentCode: "KH"},
	}, rows)
}

func TestParseUnitsCSV_EnglishHeadersInAnyOrderWithParentsDefinedLater(t *testing.T) {
	t.Parallel()
	in := "kind,Email,parent_code,name,CODE,STT\n" +
		"branch,,CD,Chi hội Thôn 1,CD-1,1\n" +
		"commune,,CL,Hội LHPN xã Cam Đức,CD,2\n" +
		"\n" +
		",,,,,\n" +
		"district,cl@hpn.vn,,Hội LHPN huyện Cam Lâm,CL,3\n"
	rows, err := org.ParseUnitsCSV(strings.NewReader(in), nil)
	require.NoError(t, err)
	require.Equal(t, []string{"CL", "CD", "CD-1"}, codes(rows), "parents first")
	require.Equal(t, 6, rows[0].Line, "blank lines count in line numbers")
	require.Equal(t, "cl@hpn.vn", rows[0].Email)
}

func TestParseUnitsCSV_ListsEveryErrorWithItsLine(t *testing.T) {
	t.Parallel()
	rows, err := org.ParseUnitsCSV(strings.NewReader(invalidUnitsCSV), inTree)
	require.Nil(t, rows)
	var errs org.LineErrors
	require.ErrorAs(t, err, &errs)

	type found struct {
		Line  int
		Field string
	}
	var got []found
	for _, e := range errs {
		require.NotEmpty(t, e.Message)
		require.NotEmpty(t, e.MessageEn)
		got = append(got, found{e.Line, e.Field})
	}
	require.Equal(t, []found{
		{2, "email"},
		{3, "name"},
		{3, "kind"},
		{3, "code"},        // duplicate of line 2
		{3, "parent_code"}, // NOWHERE
		{4, "parent_code"}, // cycle A → B → A
		{5, "parent_code"},
	}, got)
	require.Contains(t, err.Error(), "line 3: code: Unit code \"CAMLAM\" is already used on line 2")
}

func TestParseUnitsCSV_RejectsCodesAlreadyInTheTreeAndSelfParents(t *testing.T) {
	t.Parallel()
	in := "code,name,kind,parent_code\nKH,Hội LHPN tỉnh Khánh Hòa,province,\nX,Đơn vị X,board,X\n"
	_, err := org.ParseUnitsCSV(strings.NewReader(in), inTree)
	var errs org.LineErrors
	require.ErrorAs(t, err, &errs)
	require.Len(t, errs, 2)
	require.Equal(t, 2, errs[0].Line)
	require.Equal(t, "code", errs[0].Field)
	require.Equal(t, 3, errs[1].Line)
	require.Contains(t, errs[1].MessageEn, "X → X")
}

func TestParseUnitsCSV_HeaderProblems(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"empty file":           "",
		"only a BOM":           "\uFEFF",
		"missing name column":  "code,kind\nA,board\n",
		"unknown column":       "code,name,kind,colour\nA,B,board,red\n",
		"column twice":         "code,name,kind,Mã đơn vị\nA,B,board,A\n",
		"header without units": "code,name,kind\n",
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rows, err := org.ParseUnitsCSV(strings.NewReader(in), nil)
			require.Nil(t, rows)
			var errs org.LineErrors
			require.ErrorAs(t, err, &errs)
			require.NotEmpty(t, errs)
		})
	}
}

func TestParseUnitsCSV_RowProblems(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"extra cells":      "code,name,kind\nA,B,board,surplus\n",
		"bad quoting":      "code,name,kind\nA,\"B,board\n",
		"kind not a label": "code,name,kind\nA,B,Tổ hội\n",
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rows, err := org.ParseUnitsCSV(strings.NewReader(in), nil)
			require.Nil(t, rows)
			var errs org.LineErrors
			require.ErrorAs(t, err, &errs)
			require.Equal(t, 2, errs[0].Line)
		})
	}
}

func TestParseUnitsCSV_ReadsWindows1258AndDecomposedText(t *testing.T) {
	t.Parallel()
	// Excel's plain "CSV" on Vietnamese Windows: code page 1258, whose
	// Vietnamese letters are a base letter and a combining tone mark.
	enc, err := charmap.Windows1258.NewEncoder().String(norm("Mã đơn vị;Tên đơn vị;Loại\r\nCL;Hội LHPN huyện Cam Lâm;Huyện\r\n"))
	require.NoError(t, err)
	rows, err := org.ParseUnitsCSV(strings.NewReader(enc), nil)
	require.NoError(t, err)
	require.Len(t, rows, 1)
	require.Equal(t, "Hội LHPN huyện Cam Lâm", rows[0].Name, "NFC")
	require.Equal(t, org.KindDistrict, rows[0].Kind)
}

// norm decomposes the tone marks that code page 1258 has no precomposed
// letters for, as Vietnamese Windows does when typing.
func norm(s string) string {
	r := strings.NewReplacer("ã", "a\u0303", "ị", "i\u0323", "ộ", "ô\u0323", "ệ", "ê\u0323", "ạ", "a\u0323")
	return r.Replace(s)
}

func TestWriteUnitsCSV_RoundTrip(t *testing.T) {
	t.Parallel()
	rows, err := org.ParseUnitsCSV(strings.NewReader(validUnitsCSV), inTree)
	require.NoError(t, err)
	// Names that need quoting must survive too.
	rows[3].Name = "Ban Tuyên giáo, \"Dân vận\"; Khánh Hòa"

	var buf bytes.Buffer
	require.NoError(t, org.WriteUnitsCSV(&buf, rows))
	require.True(t, bytes.HasPrefix(buf.Bytes(), []byte("\xEF\xBB\xBFMã đơn vị,Tên đơn vị,Tên viết tắt,Loại,Mã đơn vị cấp trên,Email\r\n")))
	require.Contains(t, buf.String(), "Huyện/thị/thành phố", "kinds as Vietnamese labels")

	back, err := org.ParseUnitsCSV(&buf, inTree)
	require.NoError(t, err)
	require.Equal(t, rows, back)
}

func FuzzParseUnitsCSV(f *testing.F) {
	f.Add([]byte(validUnitsCSV))
	f.Add([]byte(invalidUnitsCSV))
	f.Add([]byte("code,name,kind,parent_code\nA,\"B\nC\",board,A\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := org.ParseUnitsCSV(bytes.NewReader(data), inTree)
		if err != nil {
			require.Nil(t, rows, "rows and errors together")
			var errs org.LineErrors
			require.ErrorAs(t, err, &errs)
			require.NotEmpty(t, errs)
			return
		}
		require.NotEmpty(t, rows)

		// What was accepted is written and read back unchanged.
		var buf bytes.Buffer
		require.NoError(t, org.WriteUnitsCSV(&buf, rows))
		back, err := org.ParseUnitsCSV(&buf, inTree)
		require.NoError(t, err)
		require.Equal(t, len(rows), len(back))
		for i := range rows {
			rows[i].Line, back[i].Line = 0, 0
		}
		require.Equal(t, rows, back)
	})
}

func TestParseUnitsCSV_ListsAtMostMaxLineErrors(t *testing.T) {
	t.Parallel()
	in := "code,name,kind\n" + strings.Repeat(",,\n,x,\n", org.MaxLineErrors)
	_, err := org.ParseUnitsCSV(strings.NewReader(in), nil)
	var errs org.LineErrors
	require.ErrorAs(t, err, &errs)
	require.Len(t, errs, org.MaxLineErrors+1)
	require.Zero(t, errs[org.MaxLineErrors].Line, "a closing note for the file")
}

func TestParseUnitsCSV_ShortensLongCycles(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("code,name,kind,parent_code\n")
	for i := range 50 {
		fmt.Fprintf(&b, "U%d,Chi hội %d,branch,U%d\n", i, i, (i+1)%50)
	}
	_, err := org.ParseUnitsCSV(strings.NewReader(b.String()), nil)
	var errs org.LineErrors
	require.ErrorAs(t, err, &errs)
	require.Len(t, errs, 50)
	require.Equal(t, "Parent units form a cycle: U0 → U1 → U2 → U3 → U4 → … (45) → U0.", errs[0].MessageEn)
}
