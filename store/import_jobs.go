package store

import (
	"context"
	"fmt"
	"time"
)

// ImportJob is a plan document being read into a draft plan.
type ImportJob struct {
	ID           int64  `db:"id" json:"id"`
	IssuerUnitID int64  `db:"issuer_unit_id" json:"issuer_unit_id"`
	CreatedBy    *int64 `db:"created_by" json:"-"`
	FileName     string `db:"file_name" json:"file_name"`
	SHA256       string `db:"sha256" json:"-"`
	SizeBytes    int64  `db:"size_bytes" json:"size_bytes"`
	Format       string `db:"format" json:"format"`
	Status       string `db:"status" json:"status"`
	PagesTotal   int    `db:"pages_total" json:"pages_total"`
	PagesDone    int    `db:"pages_done" json:"pages_done"`
	PlanID       *int64 `db:"plan_id" json:"plan_id"`
	ErrorCode    string `db:"error_code" json:"-"`
	ErrorVi      string `db:"error_vi" json:"-"`
	ErrorEn      string `db:"error_en" json:"-"`
	RequestID    string `db:"request_id" json:"-"`
	// CreatorEmail is who sent the document, for the audit log.
	CreatorEmail string    `db:"creator_email" json:"-"`
	CreatedAt    time.Time `db:"created_at" json:"created_at"`
	UpdatedAt    time.Time `db:"updated_at" json:"updated_at"`
}

const importJobColumns = `j.id, j.issuer_unit_id, j.created_by, j.file_name, j.sha256, j.size_bytes, j.format, j.status,
       j.pages_total, j.pages_done, j.plan_id, j.error_code, j.error_vi, j.error_en, j.request_id, j.created_at, j.updated_at`

// CreateImportJob records an upload to read, with its file.
func (s *Store) CreateImportJob(ctx context.Context, j ImportJob, content []byte) (ImportJob, error) {
	const q = `INSERT INTO import_jobs AS j (issuer_unit_id, created_by, file_name, sha256, size_bytes, format, content, request_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
RETURNING ` + importJobColumns
	var out ImportJob
	if err := getContext(ctx, s, &out, q, j.IssuerUnitID, j.CreatedBy, j.FileName, j.SHA256, j.SizeBytes, j.Format, content, j.RequestID); err != nil {
		return out, fmt.Errorf("create import job: %w", translate(err))
	}
	return out, nil
}

// PlanRef names a plan: what a warning needs to offer opening it.
type PlanRef struct {
	ID     int64  `db:"id" json:"id"`
	Code   string `db:"code" json:"code"`
	Title  string `db:"title" json:"title"`
	Status string `db:"status" json:"status"`
}

// ImportJobView is a job as its status screen shows it: the path of its
// issuing unit for the scope check, and the plan the caller can see that
// has the code of the document read, other than the one it became.
type ImportJobView struct {
	ImportJob
	IssuerPath string `db:"issuer_path"`
	// Existing is another plan with the same code in the caller's scope.
	ExistingID     *int64  `db:"existing_id"`
	ExistingCode   *string `db:"existing_code"`
	ExistingTitle  *string `db:"existing_title"`
	ExistingStatus *string `db:"existing_status"`
}

// ImportJobFor loads a job, its issuer's path, and the plan of the same
// code the paths see (one statement).
func (s *Store) ImportJobFor(ctx context.Context, id int64, paths []string) (ImportJobView, error) {
	const q = `SELECT ` + importJobColumns + `, o.path AS issuer_path,
       e.id AS existing_id, e.code AS existing_code, e.title AS existing_title, e.status AS existing_status
FROM import_jobs j
JOIN org_units o ON o.id = j.issuer_unit_id
LEFT JOIN plans np ON np.id = j.plan_id
LEFT JOIN LATERAL (` + samePlanCode + `) e ON np.code <> ''
WHERE j.id = $1`
	var v ImportJobView
	if err := getContext(ctx, s, &v, q, id, textArray(paths)); err != nil {
		return v, fmt.Errorf("load import job %d: %w", id, translate(err))
	}
	return v, nil
}

// samePlanCode finds the newest plan other than np with np's code that
// the paths ($2) see, as issuer or participant.
const samePlanCode = `SELECT p.id, p.code, p.title, p.status FROM plans p
    WHERE p.code = np.code AND p.id <> np.id AND p.status <> 'cancelled'
      AND (EXISTS (SELECT 1 FROM org_units po WHERE po.id = p.issuer_unit_id AND po.path LIKE ANY (SELECT x || '%' FROM unnest($2::text[]) x))
        OR EXISTS (SELECT 1 FROM plan_units pu JOIN org_units po ON po.id = pu.unit_id
                   WHERE pu.plan_id = p.id AND po.path LIKE ANY (SELECT x || '%' FROM unnest($2::text[]) x)))
    ORDER BY p.created_at DESC, p.id DESC LIMIT 1`

// SamePlanCode finds the plan other than planID with planID's code that the
// paths see; ErrNotFound when there is none.
func (s *Store) SamePlanCode(ctx context.Context, planID int64, paths []string) (PlanRef, error) {
	const q = `SELECT e.* FROM plans np, LATERAL (` + samePlanCode + `) e WHERE np.id = $1 AND np.code <> ''`
	var r PlanRef
	if err := getContext(ctx, s, &r, q, planID, textArray(paths)); err != nil {
		return r, fmt.Errorf("plan with the same code as %d: %w", planID, translate(err))
	}
	return r, nil
}

// ImportJobContent is a job and its file, for the activities that read it.
func (s *Store) ImportJobContent(ctx context.Context, id int64) (ImportJob, []byte, error) {
	const q = `SELECT ` + importJobColumns + `, j.content, COALESCE(u.email, '') AS creator_email
FROM import_jobs j LEFT JOIN users u ON u.id = j.created_by WHERE j.id = $1`
	var row struct {
		ImportJob
		Content []byte `db:"content"`
	}
	if err := getContext(ctx, s, &row, q, id); err != nil {
		return ImportJob{}, nil, fmt.Errorf("load import job %d: %w", id, translate(err))
	}
	return row.ImportJob, row.Content, nil
}

// ReplaceImportJobContent keeps a converted file in place of the upload
// (LibreOffice's .docx of a .doc).
func (s *Store) ReplaceImportJobContent(ctx context.Context, id int64, format string, content []byte) error {
	const q = `UPDATE import_jobs SET format = $2, content = $3, updated_at = now() WHERE id = $1`
	if _, err := s.db.ExecContext(ctx, q, id, format, content); err != nil {
		return fmt.Errorf("replace content of import job %d: %w", id, translate(err))
	}
	return nil
}

// SetImportJobStage records what a job is doing and how many pages it has.
func (s *Store) SetImportJobStage(ctx context.Context, id int64, status string, pagesTotal int) error {
	const q = `UPDATE import_jobs SET status = $2, pages_total = GREATEST(pages_total, $3), updated_at = now()
WHERE id = $1 AND status NOT IN ('done', 'failed')`
	if _, err := s.db.ExecContext(ctx, q, id, status, pagesTotal); err != nil {
		return fmt.Errorf("set import job %d stage: %w", id, translate(err))
	}
	return nil
}

// SaveImportJobPage keeps the text of one page once, and counts the pages
// read.
func (s *Store) SaveImportJobPage(ctx context.Context, id int64, page int, text string, ocr bool) error {
	const q = `WITH ins AS (
    INSERT INTO import_job_pages (job_id, page, text, ocr) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1)
UPDATE import_jobs SET pages_done = pages_done + (SELECT count(*) FROM ins), updated_at = now() WHERE id = $1`
	if _, err := s.db.ExecContext(ctx, q, id, page, text, ocr); err != nil {
		return fmt.Errorf("save page %d of import job %d: %w", page, id, translate(err))
	}
	return nil
}

// ImportJobPages returns the text of a job's pages in order, "" for a page
// not read.
func (s *Store) ImportJobPages(ctx context.Context, id int64, total int) ([]string, error) {
	const q = `SELECT page, text FROM import_job_pages WHERE job_id = $1 ORDER BY page`
	var rows []struct {
		Page int    `db:"page"`
		Text string `db:"text"`
	}
	if err := selectContext(ctx, s, &rows, q, id); err != nil {
		return nil, fmt.Errorf("load pages of import job %d: %w", id, translate(err))
	}
	pages := make([]string, total)
	for _, r := range rows {
		if r.Page >= 1 && r.Page <= total {
			pages[r.Page-1] = r.Text
		}
	}
	return pages, nil
}

// FinishImportJob records the draft plan a job made and lets its file go
// (the plan keeps the text read).
func (s *Store) FinishImportJob(ctx context.Context, id, planID int64) error {
	const q = `UPDATE import_jobs SET status = 'done', plan_id = $2, content = NULL, pages_done = pages_total, updated_at = now()
WHERE id = $1 AND plan_id IS NULL`
	res, err := s.db.ExecContext(ctx, q, id, planID)
	if err != nil {
		return fmt.Errorf("finish import job %d: %w", id, translate(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("finish import job %d: %w", id, ErrConflict)
	}
	return nil
}

// FailImportJob records why a job could not read its document.
func (s *Store) FailImportJob(ctx context.Context, id int64, code, vi, en string) error {
	const q = `UPDATE import_jobs SET status = 'failed', error_code = $2, error_vi = $3, error_en = $4, content = NULL, updated_at = now()
WHERE id = $1 AND status <> 'done'`
	if _, err := s.db.ExecContext(ctx, q, id, code, vi, en); err != nil {
		return fmt.Errorf("fail import job %d: %w", id, translate(err))
	}
	return nil
}

// ImportJobTextPages counts the pages of a job read from a text layer.
func (s *Store) ImportJobTextPages(ctx context.Context, id int64) (int, error) {
	var n int
	if err := getContext(ctx, s, &n, `SELECT count(*) FROM import_job_pages WHERE job_id = $1 AND NOT ocr`, id); err != nil {
		return 0, fmt.Errorf("count text pages of import job %d: %w", id, translate(err))
	}
	return n, nil
}
