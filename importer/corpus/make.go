package corpus

import (
	"context"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"cascade/vntext"
)

// MakeFormats writes each document's .docx and .pdf beside its .txt, as a
// clerk's office suite would make them: LibreOffice (headless) converts an
// HTML rendering of the text, in which the two-column header (issuer left;
// motto, place and date right) and the distribution list beside the
// signature are borderless tables, as in published plans, and a target
// table is a table. style adds CSS (a bigger font makes more pages).
func MakeFormats(ctx context.Context, docs []Document, outDir, style string) error {
	work, err := os.MkdirTemp("", "cascade-corpus-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	var htmls []string
	for _, d := range docs {
		b, err := os.ReadFile(d.Text)
		if err != nil {
			return err
		}
		p := filepath.Join(work, d.Name+".html")
		if err := os.WriteFile(p, []byte(RenderHTML(string(b), style)), 0o600); err != nil {
			return err
		}
		htmls = append(htmls, p)
	}
	profile := "-env:UserInstallation=file://" + filepath.Join(work, "profile")
	run := func(args ...string) error {
		ctx, cancel := context.WithTimeout(ctx, 20*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "soffice", append([]string{profile, "--headless", "--norestore"}, args...)...)
		cmd.Env = append(os.Environ(), "HOME="+work)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("soffice %s: %w: %s", strings.Join(args[:2], " "), err, out)
		}
		return nil
	}
	if err := run(append([]string{"--infilter=HTML (StarWriter)", "--convert-to", "docx:MS Word 2007 XML", "--outdir", outDir}, htmls...)...); err != nil {
		return err
	}
	var docxs []string
	for _, d := range docs {
		docxs = append(docxs, filepath.Join(outDir, d.Name+".docx"))
	}
	return run(append([]string{"--convert-to", "pdf:writer_pdf_Export", "--outdir", outDir}, docxs...)...)
}

// RenderHTML renders a corpus document's text as a Word document looks.
func RenderHTML(text, style string) string {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	var b strings.Builder
	b.WriteString(`<html><head><meta charset="utf-8"><style>
body { font-family: "Times New Roman", "Liberation Serif", serif; font-size: 13pt; }
p { margin: 0 0 4pt 0; text-align: justify; }
.c { text-align: center; font-weight: bold; }
table.layout td { vertical-align: top; text-align: center; border: none; }
table.layout.closing td { text-align: left; }
table.grid { border-collapse: collapse; }
table.grid td { border: 1px solid black; padding: 2pt; }
` + style + `</style></head><body>`)
	kind := -1
	for i, ln := range lines {
		if i > 40 {
			break
		}
		t := vntext.FoldSpace(strings.TrimSpace(ln))
		if isKind(t) {
			kind = i
			break
		}
	}
	closing := -1
	for i := max(kind, 0); i < len(lines); i++ {
		if strings.HasPrefix(vntext.SearchKey(strings.TrimSpace(lines[i])), "noi nhan") {
			closing = i
			break
		}
	}
	annex := len(lines)
	if closing >= 0 {
		for i := closing + 1; i < len(lines); i++ {
			t := strings.TrimSpace(lines[i])
			if t != "" && strings.ToUpper(t) == t && strings.HasPrefix(vntext.SearchKey(t), "phu luc") {
				annex = i
				break
			}
		}
	}
	body := lines
	if kind > 0 {
		layoutTable(&b, lines[:kind], "layout")
		body = lines[kind:]
	} else {
		kind = 0
	}
	end := len(lines)
	if closing >= 0 {
		end = closing
	}
	// The type and the title, centred, up to the first blank line.
	i := 0
	for ; i < end-kind; i++ {
		t := strings.TrimSpace(body[i])
		if t == "" {
			break
		}
		fmt.Fprintf(&b, "<p class=\"c\">%s</p>\n", html.EscapeString(t))
	}
	writeBody(&b, body[i:end-kind])
	if closing >= 0 {
		layoutTable(&b, lines[closing:annex], "layout closing")
		writeBody(&b, lines[annex:])
	}
	b.WriteString("</body></html>\n")
	return b.String()
}

func isKind(t string) bool {
	switch vntext.SearchKey(t) {
	case "ke hoach", "chuong trinh", "chuong trinh hanh dong", "ke hoach lien tich", "de an":
		return t == strings.ToUpper(t)
	}
	return false
}

// columnsOf splits a line into its left and right column at a tab or a run
// of three or more spaces.
func columnsOf(ln string) (left, right string, two bool) {
	if i := strings.Index(ln, "\t"); i >= 0 {
		return strings.TrimSpace(ln[:i]), strings.TrimSpace(ln[i+1:]), true
	}
	t := strings.TrimLeft(ln, " ")
	indent := len(ln) - len(t)
	if i := strings.Index(t, "   "); i >= 0 {
		return strings.TrimSpace(t[:i]), strings.TrimSpace(t[i:]), true
	}
	if indent >= 20 {
		return "", strings.TrimSpace(t), true
	}
	return strings.TrimSpace(ln), "", false
}

// layoutTable writes lines in two columns as a borderless table, or as
// paragraphs when no line has two.
func layoutTable(b *strings.Builder, lines []string, class string) {
	var left, right []string
	two := false
	for _, ln := range lines {
		if strings.TrimSpace(ln) == "" {
			continue
		}
		l, r, ok := columnsOf(ln)
		two = two || ok
		if l != "" {
			left = append(left, l)
		}
		if r != "" {
			right = append(right, r)
		}
	}
	if !two {
		for _, ln := range left {
			fmt.Fprintf(b, "<p>%s</p>\n", html.EscapeString(ln))
		}
		return
	}
	fmt.Fprintf(b, "<table class=\"%s\" width=\"100%%\"><tr><td width=\"45%%\">", class)
	for _, ln := range left {
		fmt.Fprintf(b, "<p>%s</p>", html.EscapeString(ln))
	}
	b.WriteString("</td><td width=\"55%\">")
	for _, ln := range right {
		fmt.Fprintf(b, "<p>%s</p>", html.EscapeString(ln))
	}
	b.WriteString("</td></tr></table>\n")
}

// writeBody writes running text: a paragraph a line, tab-separated lines
// as a table with borders.
func writeBody(b *strings.Builder, lines []string) {
	for i := 0; i < len(lines); i++ {
		ln := lines[i]
		if strings.Count(ln, "\t") >= 1 && i+1 < len(lines) && strings.Count(lines[i+1], "\t") >= 1 {
			b.WriteString("<table class=\"grid\" width=\"100%\">")
			for ; i < len(lines) && strings.Contains(lines[i], "\t"); i++ {
				b.WriteString("<tr>")
				for _, c := range strings.Split(lines[i], "\t") {
					fmt.Fprintf(b, "<td>%s</td>", html.EscapeString(strings.TrimSpace(c)))
				}
				b.WriteString("</tr>")
			}
			b.WriteString("</table>\n")
			i--
			continue
		}
		if t := strings.TrimSpace(ln); t != "" {
			class := ""
			if t == strings.ToUpper(t) && len([]rune(t)) < 60 {
				class = ` class="c"`
			}
			fmt.Fprintf(b, "<p%s>%s</p>\n", class, html.EscapeString(t))
		}
	}
}
