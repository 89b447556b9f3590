package corpus

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"time"
)

// ScanOptions say how a printed page is scanned.
type ScanOptions struct {
	// DPI is the scanner's resolution (200–300).
	DPI int
	// Degrees rotates each page a little, as paper sits askew on the glass.
	Degrees float64
	// Noise is the standard deviation of the grey noise added (0–255).
	Noise float64
	// Seed makes the noise repeatable.
	Seed uint64
}

// MakeScan turns a PDF into a scan of it: every page rasterised by
// pdftoppm at opt.DPI, turned a little and made noisy, stored as a JPEG in a
// PDF without a text layer, as a scanner makes it.
func MakeScan(ctx context.Context, pdf []byte, opt ScanOptions) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	files, err := rasterise(ctx, pdf, opt.DPI)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 7))
	var pages [][]byte
	var sizes [][2]int
	for i, b := range files {
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			return nil, err
		}
		deg := opt.Degrees
		if i%2 == 1 {
			deg = -deg
		}
		g := scanPage(img, deg, opt.Noise, rng)
		var jb bytes.Buffer
		if err := jpeg.Encode(&jb, g, &jpeg.Options{Quality: 80}); err != nil {
			return nil, err
		}
		pages = append(pages, jb.Bytes())
		sizes = append(sizes, [2]int{g.Bounds().Dx(), g.Bounds().Dy()})
	}
	return imagePDF(pages, sizes, opt.DPI), nil
}

// ScanImage is MakeScan for one page, as a PNG picture (a phone's photo of
// a page, or a scanner's .png).
func ScanImage(ctx context.Context, pdf []byte, opt ScanOptions) ([]byte, error) {
	files, err := rasterise(ctx, pdf, opt.DPI, "-singlefile", "-f", "1", "-l", "1")
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("pdftoppm: no page")
	}
	img, err := png.Decode(bytes.NewReader(files[0]))
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	err = png.Encode(&out, scanPage(img, opt.Degrees, opt.Noise, rand.New(rand.NewPCG(opt.Seed, 7))))
	return out.Bytes(), err
}

// rasterise renders the pages of pdf (those args choose) as grey PNGs at
// dpi with pdftoppm, in page order.
func rasterise(ctx context.Context, pdf []byte, dpi int, args ...string) ([][]byte, error) {
	dir, err := os.MkdirTemp("", "cascade-scan-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		return nil, err
	}
	args = append(append([]string{"-r", strconv.Itoa(dpi), "-gray", "-png"}, args...), in, filepath.Join(dir, "p"))
	if out, err := exec.CommandContext(ctx, "pdftoppm", args...).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("pdftoppm: %w: %s", err, out)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "p*.png"))
	sort.Strings(files)
	pages := make([][]byte, len(files))
	for i, f := range files {
		if pages[i], err = os.ReadFile(f); err != nil {
			return nil, err
		}
	}
	return pages, nil
}

// scanPage rotates img by deg degrees about its centre (white outside) and
// adds grey noise.
func scanPage(img image.Image, deg, noise float64, rng *rand.Rand) *image.Gray {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	src := image.NewGray(b)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			src.Set(x, y, img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	out := image.NewGray(image.Rect(0, 0, w, h))
	sin, cos := math.Sincos(deg * math.Pi / 180)
	cx, cy := float64(w)/2, float64(h)/2
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx, dy := float64(x)-cx, float64(y)-cy
			sx, sy := int(cos*dx+sin*dy+cx+0.5), int(-sin*dx+cos*dy+cy+0.5)
			v := 255.0
			if sx >= 0 && sy >= 0 && sx < w && sy < h {
				v = float64(src.Pix[sy*src.Stride+sx])
			}
			if noise > 0 {
				v += rng.NormFloat64() * noise
			}
			out.Pix[y*out.Stride+x] = uint8(math.Max(0, math.Min(255, v)))
		}
	}
	return out
}

// imagePDF writes a PDF with one JPEG (DCTDecode, grey) per page, sized
// by dpi.
func imagePDF(pages [][]byte, sizes [][2]int, dpi int) []byte {
	var b bytes.Buffer
	var offsets []int
	obj := func(body string, stream []byte) {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s", len(offsets), body)
		if stream != nil {
			b.WriteString("\nstream\n")
			b.Write(stream)
			b.WriteString("\nendstream")
		}
		b.WriteString("\nendobj\n")
	}
	b.WriteString("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n")
	n := len(pages)
	// 1 catalog, 2 pages, then per page: page, image, content.
	obj("<< /Type /Catalog /Pages 2 0 R >>", nil)
	kids := ""
	for i := 0; i < n; i++ {
		kids += fmt.Sprintf("%d 0 R ", 3+3*i)
	}
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids, n), nil)
	for i, jp := range pages {
		w, h := sizes[i][0], sizes[i][1]
		pw, ph := float64(w)*72/float64(dpi), float64(h)*72/float64(dpi)
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>",
			pw, ph, 4+3*i, 5+3*i), nil)
		obj(fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>",
			w, h, len(jp)), jp)
		content := fmt.Sprintf("q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q", pw, ph)
		obj(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content))
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return b.Bytes()
}
