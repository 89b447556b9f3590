package importer

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func addFuzzSeeds(f *testing.F) {
	for _, name := range []string{"plan-321-KH-BTV.txt", "plan-321-KH-BTV.md", "ke-hoach-ninh-hoa.md", "ke-hoach-cam-lam-chi-tieu.md"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data), strings.HasSuffix(name, ".md"))
		// A smaller slice of each shape keeps the fuzzer fast.
		if len(data) > 4000 {
			f.Add(string(data[len(data)/2:len(data)/2+3000]), false)
		}
	}
	for _, s := range []string{
		"", "\n\n", "#", "# \n##", "I.", "1.\n2.\n", "- \n+ \n•", "| a |\n|---|\n| 1 |", "a\tb\nc\td",
		"Nơi nhận:\n- A;\nTM. BAN\nB", "Trên đây là\n\nI. X", "II. MỤC TIÊU\n- trên 85% hộ; trong đó 80%",
		"\xff\xfe\x00", "1. a\n   b\n\t- c", "**I. MỤC ĐÍCH**\n- 2.700 hộ", "III. TỔ CHỨC THỰC HIỆN\n1. Hội LHPN huyện\n- Giao các Ban báo cáo hàng năm",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
}

// FuzzImport checks that Import never fails or panics on text, and never
// loses a line: every non-blank line of the normalised text is in some
// section's heading or body, and every span points into the text.
func FuzzImport(f *testing.F) {
	addFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, in string, markdown bool) {
		name := "plan.txt"
		if markdown {
			name = "plan.md"
		}
		if strings.HasPrefix(in, "PK\x03\x04") {
			return // read as .docx whatever the name; FuzzImportDocx covers it
		}
		d, err := Import(name, []byte(in))
		if err != nil {
			t.Fatalf("Import: %v", err)
		}
		want := normalise(decodeText([]byte(in)))
		if !markdown {
			// A text's two-column header and closing are laid out in columns.
			want = textColumns(want)
		}
		if d.Text != want {
			t.Fatalf("text not normalised:\n%q\n%q", d.Text, want)
		}
		checkDraft(t, d)
	})
}

func checkDraft(t *testing.T, d *Draft) {
	t.Helper()
	if len(d.Sections) == 0 {
		t.Fatal("no sections")
	}
	for _, ln := range strings.Split(d.Text, "\n") {
		l := strings.TrimSpace(ln)
		if l == "" {
			continue
		}
		found := false
		for _, s := range d.Sections {
			if s.Heading == headingLine(l) || strings.Contains(s.Body, l) {
				found = true
				break
			}
		}
		if !found {
			t.Fatalf("line lost: %q", l)
		}
	}
	n := len([]rune(d.Text))
	check := func(what string, s Span) {
		if s.Start < 0 || s.End < s.Start || s.End > n {
			t.Fatalf("%s span %+v outside text of %d runes", what, s, n)
		}
	}
	for _, s := range d.Sections {
		check("section", s.Source)
		if s.Parent != nil && (*s.Parent < 0 || *s.Parent >= len(d.Sections)) {
			t.Fatalf("section parent %d", *s.Parent)
		}
	}
	for i, tg := range d.Targets {
		check("target", tg.Source)
		if tg.Parent != nil && (*tg.Parent < 0 || *tg.Parent >= i) {
			t.Fatalf("target %d parent %d", i, *tg.Parent)
		}
	}
	for _, g := range d.TaskGroups {
		for i, tk := range g.Tasks {
			check("task", tk.Source)
			if tk.Parent != nil && (*tk.Parent < 0 || *tk.Parent >= i) {
				t.Fatalf("task %d parent %d", i, *tk.Parent)
			}
		}
	}
	for _, r := range d.Responsibilities {
		check("responsibility", r.Source)
	}
}

// FuzzImportDocx checks that damaged or odd .docx files give an error or a
// Draft, never a panic.
func FuzzImportDocx(f *testing.F) {
	for _, name := range []string{"plan-321-KH-BTV-numbered.docx", "ke-hoach-cam-lam-chi-tieu.docx"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Import("plan.docx", data)
		if err != nil {
			return
		}
		checkDraft(t, d)
	})
}

// FuzzReadDocxXML feeds document.xml content straight to the Word reader.
func FuzzReadDocxXML(f *testing.F) {
	f.Add(`<w:document><w:body><w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>MỤC TIÊU</w:t></w:r></w:p></w:body></w:document>`,
		`<w:numbering><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="2"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num></w:numbering>`)
	f.Add(`<w:tbl><w:tr><w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>x|y</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl>`, `<w:lvl w:ilvl="9">`)
	f.Fuzz(func(t *testing.T, doc, numbering string) {
		w := &docxWriter{num: newNumbering(), styles: map[string]*docxStyle{}}
		w.num.parse([]byte(numbering))
		if err := w.walk([]byte(doc)); err != nil {
			return
		}
		checkDraft(t, read(normalise(w.out.String()), "docx"))
	})
}

// FuzzFromPages checks that a PDF's or a scan's laid-out pages never make
// the reader fail or panic, and that every span points into the text.
func FuzzFromPages(f *testing.F) {
	for _, s := range []string{
		"", "\n", "   HỘI LHPN TỈNH        CỘNG HÒA XÃ HỘI\nSố: 1/KH-A        Hà Nội, ngày 1 tháng 2 năm 2024\n          KẾ HOẠCH\n",
		"Nơi nhận:        TM. BAN THƯỜNG VỤ\n- A;              CHỦ TỊCH\n- B;\n\n                  Tên Người\n",
		"STT   Chỉ tiêu        ĐVT    Kế hoạch\n1     Hộ thoát nghèo  Hộ     1.200\n2     Tỷ lệ           %      trên 95\n",
		"•   Nhằm kịp thời tuyên truyền, quán triệt các nội dung Nghị quyết Đại hội đại biểu\n     hội viên 100% tham gia\n   - 2 -\n",
		"\uE000mờ\uE001 chữ \uE000", "\uE001\uE000", "PHỤ LỤC\nNơi nhận:\n",
	} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, p1, p2 string) {
		d, err := FromPages([]string{p1, p2}, "scan")
		if err != nil {
			var le *LimitError
			if errors.As(err, &le) {
				return
			}
			t.Fatalf("FromPages: %v", err)
		}
		checkDraft(t, d)
		n := len([]rune(d.Text))
		for _, u := range d.Uncertain {
			if u.Start < 0 || u.End < u.Start || u.End > n {
				t.Fatalf("uncertain span %+v outside text of %d runes", u, n)
			}
		}
	})
}

// FuzzParseTSV checks that Tesseract's output, whatever it holds, lays out
// without panicking.
func FuzzParseTSV(f *testing.F) {
	f.Add("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n5\t1\t1\t1\t1\t1\t10\t10\t40\t12\t95\t\"Thanh\n5\t1\t2\t1\t1\t1\t400\t11\t40\t12\t30\t:\n")
	f.Add("5\t1\t1\t1\t1\t1\t0\t0\t0\t0\t-1\tx\n")
	f.Fuzz(func(t *testing.T, in string) {
		words, err := parseTSV([]byte(in))
		if err != nil {
			return
		}
		_ = gridLines(words)
	})
}

// FuzzCheckZip feeds the zip check (run before LibreOffice sees an .odt)
// arbitrary bytes: an error or nil, never a panic.
func FuzzCheckZip(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("testdata", "plan-321-KH-BTV.docx"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte("PK\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00\xff\xff\xff\xff\x00\x00\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = checkZip(data)
	})
}

// FuzzSniff checks that naming a document's format from its name and bytes
// never panics and names a known format or none.
func FuzzSniff(f *testing.F) {
	f.Add("ke-hoach.docx", []byte("PK\x03\x04"))
	f.Add("scan.pdf", []byte("%PDF-1.7"))
	f.Add("", []byte("\xff\xfeK\x00"))
	f.Add("k.odt", []byte("PK\x03\x04mimetypeapplication/vnd.oasis.opendocument.text"))
	known := map[string]bool{"": true, FormatText: true, FormatMarkdown: true, FormatDocx: true, FormatPDF: true, FormatImage: true, FormatOffice: true}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		if fm := Sniff(name, data); !known[fm] {
			t.Fatalf("Sniff gave %q", fm)
		}
	})
}
