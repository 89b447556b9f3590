package mail

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"path"
	"strings"
	texttemplate "text/template"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

// Each template file defines "subject", "text" and "html"; they are parsed
// one file at a time because every file uses the same three names.
var textTemplates, htmlTemplates = parseTemplates()

func parseTemplates() (map[string]*texttemplate.Template, map[string]*htmltemplate.Template) {
	names, err := fs.Glob(templateFS, "templates/*.tmpl")
	if err != nil {
		panic(err)
	}
	tt := map[string]*texttemplate.Template{}
	ht := map[string]*htmltemplate.Template{}
	for _, n := range names {
		key := strings.TrimSuffix(path.Base(n), ".tmpl")
		tt[key] = texttemplate.Must(texttemplate.ParseFS(templateFS, n))
		ht[key] = htmltemplate.Must(htmltemplate.ParseFS(templateFS, n))
	}
	return tt, ht
}

// templateAliases lets several ladder steps share one template file: the
// reminder template words itself by the days left.
var templateAliases = map[string]string{
	"reminder_before_due": "reminder",
	"reminder_due_today":  "reminder",
	// A task's ladder (TaskWorkflow) words its steps for a task, not a report.
	"task_reminder_before_due": "task_reminder",
	"task_reminder_due_today":  "task_reminder",
}

// Render fills the Vietnamese email template name (a file of templates/
// without .tmpl) with data, giving its subject, plain text and HTML.
func Render(name string, data any) (subject, text, html string, err error) {
	if alias, ok := templateAliases[name]; ok {
		name = alias
	}
	tt, ht := textTemplates[name], htmlTemplates[name]
	if tt == nil || ht == nil {
		return "", "", "", fmt.Errorf("no email template %q", name)
	}
	var sb, tb, hb bytes.Buffer
	if err := tt.ExecuteTemplate(&sb, "subject", data); err != nil {
		return "", "", "", err
	}
	if err := tt.ExecuteTemplate(&tb, "text", data); err != nil {
		return "", "", "", err
	}
	if err := ht.ExecuteTemplate(&hb, "html", data); err != nil {
		return "", "", "", err
	}
	return strings.TrimSpace(sb.String()), strings.TrimSpace(tb.String()), strings.TrimSpace(hb.String()), nil
}
