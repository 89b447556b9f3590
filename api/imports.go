package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"go.temporal.io/sdk/client"

	"cascade/auth"
	"cascade/importer"
	"cascade/plans"
	"cascade/store"
	"cascade/workflows"
)

// maxPlanDocument is the largest plan document an import accepts: a scan
// of some thirty pages. What a document may expand to is bounded by the
// importer (importer.MaxTextChars and the rest).
const maxPlanDocument = 30 << 20

// importResponse is a draft plan read from a document, with the plan of the
// same code the caller can already see (a re-import), if any.
type importResponse struct {
	plans.Plan
	ExistingPlan *store.PlanRef `json:"existing_plan"`
}

// importJobResponse is an import job as its status screen shows it.
type importJobResponse struct {
	store.ImportJob
	// ExistingPlan is another plan with the code of the document read.
	ExistingPlan *store.PlanRef `json:"existing_plan"`
	// Error says why the document could not be read (status failed).
	Error *Error `json:"error"`
}

func tooLargeDocument() *Error {
	return newError(http.StatusRequestEntityTooLarge, "too_large", "Tệp quá lớn (tối đa 30 MB)", "file too large (at most 30 MiB)").
		withField("file", "Tệp quá lớn (tối đa 30 MB)", "file too large (at most 30 MiB)")
}

// importPlan reads an uploaded plan document into a draft plan of the
// issuing unit. The caller and the issuing unit (issuer_unit_id in the
// query, or in the form) are checked before the body is read, and the body
// is capped. A .txt, .md or .docx is read here (milliseconds, bounded):
// 201 with the draft. A PDF, a scan (.png, .jpg) or a .doc/.odt/.rtf needs
// conversion or OCR: it becomes a job (the ImportDocument workflow), 202
// with the job, whose progress GET /import-jobs/:id gives page by page.
func (s *Server) importPlan(c *gin.Context) {
	var issuer store.Unit
	if q := c.Query("issuer_unit_id"); q != "" {
		var ok bool
		if issuer, ok = s.importIssuer(c, q); !ok {
			return
		}
	} else if len(scopePaths(c, auth.ActionEdit)) == 0 {
		// Whoever may import into no unit is refused before the body.
		respondError(c, newError(http.StatusForbidden, "forbidden", "Vai trò của bạn không được phép thực hiện thao tác này", "your role may not do this"))
		return
	}
	// Reading a document takes some hundred megabytes at its peak: a few
	// are read at once, the others wait a while or are asked to come back.
	release, ok := s.importGate().Enter(c)
	if !ok {
		c.Header("Retry-After", strconv.Itoa(int(s.importGate().RetryAfter().Seconds())))
		respondError(c, newError(http.StatusServiceUnavailable, "busy",
			"Hệ thống đang đọc nhiều văn bản, vui lòng thử lại sau giây lát", "too many documents being read at once, try again shortly"))
		return
	}
	defer release()
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxPlanDocument+1<<20)
	fh, err := c.FormFile("file")
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		respondError(c, tooLargeDocument())
		return
	}
	if err != nil {
		respondError(c, errUnprocessable().withField("file", "Chưa chọn tệp kế hoạch", "no file in field \"file\""))
		return
	}
	if issuer.ID == 0 {
		var ok bool
		if issuer, ok = s.importIssuer(c, c.PostForm("issuer_unit_id")); !ok {
			return
		}
	}
	if fh.Size > maxPlanDocument {
		respondError(c, tooLargeDocument())
		return
	}
	name := filepath.Base(strings.ReplaceAll(fh.Filename, "\\", "/"))
	if name == "." || name == "/" || name == "" {
		name = "ke-hoach"
	}
	f, err := fh.Open()
	if err != nil {
		respondError(c, errInvalid().withField("file", "Không đọc được tệp", "the file could not be read"))
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxPlanDocument+1))
	if err != nil {
		respondError(c, errInvalid().withField("file", "Không đọc được tệp", "the file could not be read"))
		return
	}
	if len(data) > maxPlanDocument {
		respondError(c, tooLargeDocument())
		return
	}
	format := importer.Sniff(name, data)
	switch format {
	case importer.FormatText, importer.FormatMarkdown, importer.FormatDocx:
		s.importNow(c, issuer, name, data)
	case importer.FormatPDF, importer.FormatImage, importer.FormatOffice:
		s.importJob(c, issuer, name, format, data)
	default:
		respondError(c, errUnprocessable().withField("file", "Chỉ nhận tệp .docx, .doc, .odt, .rtf, .pdf, ảnh quét .png/.jpg, .txt hoặc .md (kiểm tra theo nội dung)",
			"only .docx, .doc, .odt, .rtf, .pdf, .png/.jpg scans, .txt and .md files (checked by content)"))
	}
}

// importIssuer reads the issuing unit's id (raw, from the query or the
// form) and checks that the caller may import into it.
func (s *Server) importIssuer(c *gin.Context, raw string) (store.Unit, bool) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		respondError(c, errUnprocessable().withField("issuer_unit_id", "Chưa chọn đơn vị ban hành", "issuer_unit_id is required"))
		return store.Unit{}, false
	}
	return s.bodyUnit(c, "issuer_unit_id", id, auth.ActionEdit)
}

// importProblem answers a document the importer refused: 422 naming the
// limit it passed, or saying it cannot be read.
func importProblem(c *gin.Context, err error) bool {
	code, vi, en, ok := importer.Problem(err)
	if !ok {
		return false
	}
	status := http.StatusUnprocessableEntity
	if code == "unavailable" {
		status = http.StatusServiceUnavailable
	}
	e := newError(status, "document_"+code, vi, en).withField("file", vi, en)
	respondError(c, e)
	return true
}

// importNow reads a text or Word document in the request and saves its
// draft.
func (s *Server) importNow(c *gin.Context, issuer store.Unit, name string, data []byte) {
	ctx, cancel := context.WithTimeout(c, importer.ReadTimeout)
	defer cancel()
	type result struct {
		d   *importer.Draft
		err error
	}
	done := make(chan result, 1)
	go func() {
		d, err := importer.Import(name, data)
		done <- result{d, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-ctx.Done():
		r.err = importer.ErrTimeout
	}
	if r.err != nil {
		if !importProblem(c, r.err) {
			respondError(c, r.err)
		}
		return
	}
	p := plans.Imported(r.d, issuer.ID, name, s.now().Year())
	cl := who(c)
	var id int64
	err := s.DB.WithTx(c, func(tx *store.Store) error {
		var err error
		if id, err = tx.CreatePlanDoc(c, p); err != nil {
			return err
		}
		return tx.Audit(c, store.AuditEntry{ActorID: cl.id(), Actor: cl.User.Email, Action: "import", Entity: "plan",
			EntityID: strconv.FormatInt(id, 10), After: gin.H{"file": name, "format": r.d.Format, "targets": len(p.Targets), "task_groups": len(p.TaskGroups)},
			RequestID: requestID(c), UnitID: &issuer.ID})
	})
	if err != nil {
		respondError(c, err)
		return
	}
	st := store.New(s.DB)
	doc, err := st.LoadPlanDoc(c, id)
	if err != nil {
		respondError(c, err)
		return
	}
	resp := importResponse{Plan: doc}
	if same, err := st.SamePlanCode(c, id, scopePaths(c, auth.ActionView)); err == nil {
		resp.ExistingPlan = &same
	} else if !errors.Is(err, store.ErrNotFound) {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusCreated, resp)
}

// importJob keeps the document and starts the workflow that reads it.
func (s *Server) importJob(c *gin.Context, issuer store.Unit, name, format string, data []byte) {
	sum := sha256.Sum256(data)
	cl := who(c)
	job, err := store.New(s.DB).CreateImportJob(c, store.ImportJob{IssuerUnitID: issuer.ID, CreatedBy: cl.id(), FileName: truncate(name, 255),
		SHA256: hex.EncodeToString(sum[:]), SizeBytes: int64(len(data)), Format: format, RequestID: requestID(c)}, data)
	if err != nil {
		respondError(c, err)
		return
	}
	if _, err := s.Temporal.ExecuteWorkflow(c, client.StartWorkflowOptions{ID: workflows.ImportDocumentID(job.ID), TaskQueue: s.TaskQueue},
		workflows.ImportDocument, workflows.ImportDocumentInput{JobID: job.ID, Parallel: importer.OCRParallelism()}); err != nil {
		logger(c).Error("start import", "job_id", job.ID, "error", err)
		_ = store.New(s.DB).FailImportJob(c, job.ID, "unavailable", "Chưa bắt đầu đọc được văn bản, vui lòng thử lại", "the import could not start, try again")
		respondError(c, errUnavailable("Temporal"))
		return
	}
	c.Header("Location", "/api/v1/import-jobs/"+strconv.FormatInt(job.ID, 10))
	c.JSON(http.StatusAccepted, importJobResponse{ImportJob: job})
}

// getImportJob answers how far an import has come: its stage, the pages
// read of how many, the draft plan when done (and a plan of the same code
// the caller sees), or why it failed.
func (s *Server) getImportJob(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	v, err := store.New(s.DB).ImportJobFor(c, id, scopePaths(c, auth.ActionView))
	if err != nil {
		respondError(c, err)
		return
	}
	if !allow(c, auth.ActionView, v.IssuerPath) {
		return
	}
	resp := importJobResponse{ImportJob: v.ImportJob}
	if v.ExistingID != nil {
		resp.ExistingPlan = &store.PlanRef{ID: *v.ExistingID, Code: *v.ExistingCode, Title: *v.ExistingTitle, Status: *v.ExistingStatus}
	}
	if v.Status == "failed" {
		resp.Error = newError(http.StatusUnprocessableEntity, "document_"+v.ErrorCode, v.ErrorVi, v.ErrorEn)
	}
	c.JSON(http.StatusOK, resp)
}
