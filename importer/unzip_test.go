package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// zipOf zips files (name → content), as Word and LibreOffice do.
func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func requireLimit(t *testing.T, err error, limit string) {
	t.Helper()
	var le *LimitError
	if !errors.As(err, &le) || le.Limit != limit {
		t.Fatalf("want the %s limit, got %v", limit, err)
	}
}

// A .docx of some tens of kilobytes whose document.xml is 20 MB of empty
// paragraphs held the CPU for seconds per upload (63 MB: 11.6 s on a real
// server, for a 97 KB file): it is refused for what it decompresses to,
// before it is walked.
func TestReadDocx_ADocumentDecompressingFarBeyondItsSizeIsRefused(t *testing.T) {
	doc := `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
		strings.Repeat(`<w:p/>`, 20<<20/6) + `</w:body></w:document>`
	data := zipOf(t, map[string]string{"word/document.xml": doc})
	if len(data) > 100<<10 {
		t.Fatalf("the bomb is %d bytes", len(data))
	}
	_, err := readDocx(data)
	requireLimit(t, err, "unzipped")
	code, _, en, ok := Problem(err)
	if !ok || code != "unzipped" || !strings.Contains(en, "decompresses") {
		t.Fatalf("problem %q %q %v", code, en, ok)
	}
	// The same bomb in numbering.xml is refused too, not read silently.
	data = zipOf(t, map[string]string{"word/document.xml": `<w:document><w:body><w:p/></w:body></w:document>`,
		"word/numbering.xml": strings.Repeat(`<w:num/>`, 20<<20/8)})
	_, err = readDocx(data)
	requireLimit(t, err, "unzipped")
}

// An .odt whose content.xml is 20 MB of text took LibreOffice to 785 MB
// for its 90 s: a zipped document is checked before it is converted.
func TestConvertOffice_AZipBombIsRefusedBeforeLibreOffice(t *testing.T) {
	data := zipOf(t, map[string]string{"mimetype": "application/vnd.oasis.opendocument.text",
		"content.xml": `<office:document-content><office:body><office:text><text:p>` + strings.Repeat("a", 20<<20) + `</text:p></office:text></office:body></office:document-content>`})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := ConvertOffice(ctx, "bom.odt", data)
	requireLimit(t, err, "unzipped")
}

// Real plans decompress to 3 to 6 times their size: every .docx of the
// corpus passes the check.
func TestCheckZip_RealDocumentsPass(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "corpus", "*.docx"))
	more, _ := filepath.Glob(filepath.Join("testdata", "*.docx"))
	files = append(files, more...)
	if len(files) == 0 {
		t.Fatal("no .docx in testdata")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := checkZip(data); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
}

// A zip of more files than any document holds is refused before any is
// read.
func TestCheckZip_TooManyFilesIsRefused(t *testing.T) {
	files := map[string]string{}
	for i := range maxZipEntries + 1 {
		files["d/"+strconv.Itoa(i)] = ""
	}
	requireLimit(t, checkZip(zipOf(t, files)), "zip_entries")
}
