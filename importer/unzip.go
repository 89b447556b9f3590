package importer

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
)

// The bounds on what a zipped document (.docx, .odt) may decompress to,
// all its parts together. Real plans decompress to 3 to 6 times their size;
// a zip bomb (a few kilobytes becoming gigabytes of XML, or millions of
// empty elements that take seconds to walk, or memory in LibreOffice) is
// refused before it is read or converted.
const (
	// maxUnzipRatio is the most bytes a zipped document may decompress to
	// per byte of the file, beyond unzipFloor.
	maxUnzipRatio = 50
	// unzipFloor is what any zipped document may decompress to.
	unzipFloor = 8 << 20
	// maxUnzipped bounds what any zipped document decompresses to.
	maxUnzipped = 64 << 20
	// maxZipEntries is the most files a zipped document may hold.
	maxZipEntries = 10_000
)

// unzipLimit is the most bytes a zipped document of size bytes may
// decompress to.
func unzipLimit(size int) int64 {
	return min(maxUnzipped, max(unzipFloor, int64(size)*maxUnzipRatio))
}

// unzipBudget counts the bytes a document's parts decompress to.
type unzipBudget struct{ left, max int64 }

func newUnzipBudget(size int) *unzipBudget {
	l := unzipLimit(size)
	return &unzipBudget{left: l, max: l}
}

// copy decompresses f into w within the budget, or returns a LimitError.
func (b *unzipBudget) copy(w io.Writer, f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("open %s: %w", f.Name, err)
	}
	defer rc.Close()
	n, err := io.Copy(w, io.LimitReader(rc, b.left+1))
	if n > b.left {
		return &LimitError{Limit: "unzipped", Max: b.max}
	}
	b.left -= n
	if err != nil {
		return fmt.Errorf("read %s: %w", f.Name, err)
	}
	return nil
}

// read decompresses f within the budget.
func (b *unzipBudget) read(f *zip.File) ([]byte, error) {
	var buf bytes.Buffer
	if err := b.copy(&buf, f); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// openZip opens a zipped document, refusing one of too many files.
func openZip(data []byte) (*zip.Reader, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("open zip: %w: %w", ErrUnreadable, err)
	}
	if len(zr.File) > maxZipEntries {
		return nil, &LimitError{Limit: "zip_entries", Max: maxZipEntries}
	}
	return zr, nil
}

// checkZip decompresses every part of a zipped document, keeping nothing:
// a document that would decompress beyond its budget is refused before a
// tool (LibreOffice) is given it.
func checkZip(data []byte) error {
	zr, err := openZip(data)
	if err != nil {
		return err
	}
	b := newUnzipBudget(len(data))
	for _, f := range zr.File {
		if err := b.copy(io.Discard, f); err != nil {
			if _, ok := err.(*LimitError); ok {
				return err
			}
			return fmt.Errorf("%w: %w", ErrUnreadable, err)
		}
	}
	return nil
}
