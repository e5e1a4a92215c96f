package handlers

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"qianfa/models"
	"qianfa/report"
	"qianfa/report/check"
	"qianfa/workflow"
)

// problemDetail is one schema problem of a document, as API details list it.
type problemDetail struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

// decodeDocument decodes an interchange document strictly; a document that does not fit
// the format is 422 validation_failed with one detail per problem, naming its path.
func decodeDocument(data []byte) (*report.Document, error) {
	doc, err := report.Decode(data)
	if err == nil {
		return doc, nil
	}
	var shape *report.ShapeError
	if !errors.As(err, &shape) {
		return nil, workflow.ErrBadRequest("报告内容无法解析：%v", err)
	}
	details := make([]any, len(shape.Problems))
	for i, p := range shape.Problems {
		details[i] = problemDetail{Path: p.Path, Message: p.Message}
	}
	return nil, workflow.ErrValidation(fmt.Sprintf("报告内容不符合格式（%d 处问题）", len(details)), details)
}

// checked is a document with its findings and canonical encoding, ready to store.
type checked struct {
	doc      *report.Document
	findings []check.Finding
	json     string
	errors   int
	warnings int
}

func (s *Server) checkDocument(doc *report.Document) (checked, error) {
	fs := check.Check(doc)
	for _, f := range fs {
		s.metrics.findings.WithLabelValues(f.Rule, string(f.Severity)).Inc()
	}
	b, err := doc.Compact()
	if err != nil {
		return checked{}, workflow.ErrInternal(err)
	}
	e, w := check.Counts(fs)
	ck := checked{doc: doc, findings: fs, json: string(b), errors: e, warnings: w}
	// The compact canonical encoding is what gets stored; its findings are these.
	processFindings.put(ck.json, fs)
	return ck, nil
}

// storedFindings checks the stored content of r again (checking is cheap; storing
// findings would let them go stale when the rules improve).
func storedFindings(r *models.Report) ([]check.Finding, *report.Document, error) {
	doc, err := report.Decode([]byte(r.Content))
	if err != nil {
		return nil, nil, workflow.ErrInternal(fmt.Errorf("stored content of report %d: %w", r.ID, err))
	}
	fs := check.Check(doc)
	processFindings.put(r.Content, fs)
	return fs, doc, nil
}

// cachedFindings are the findings of r's stored content, from the process's
// cache when this content was checked before (by a save or an earlier read).
func cachedFindings(r *models.Report) ([]check.Finding, error) {
	if fs, ok := processFindings.get(r.Content); ok {
		return fs, nil
	}
	fs, _, err := storedFindings(r)
	return fs, err
}

// errorFindings are the findings that block a submit, as 422 details.
func errorFindings(fs []check.Finding) []any {
	var out []any
	for _, f := range fs {
		if f.Severity == check.Error {
			out = append(out, f)
		}
	}
	return out
}

// reportTitle is the customary title of a new report.
func reportTitle(agencyName string, year int, kind string) string {
	if kind == models.KindGovernment {
		return fmt.Sprintf("%s%d年政府信息公开工作年度报告", agencyName, year)
	}
	return fmt.Sprintf("%s%d年度政府信息公开工作年度报告", agencyName, year)
}

// previousPublished is last year's published report of the same agency and kind, the
// reference of the cross-year and copied-content checks; nil when there is none.
func (s *Server) previousPublished(ctx context.Context, agencyID int64, year int, kind string) *report.Document {
	// One statement for the newest publication (it read the whole report row, then
	// every publication's content, to take the last).
	pub, err := s.store.LatestPublication(ctx, agencyID, year-1, kind)
	if err != nil {
		return nil
	}
	doc, err := report.Decode([]byte(pub.Content))
	if err != nil {
		return nil
	}
	return doc
}

// fullFindings are what people see: every rule, plus the narrative checks and, when last
// year's report was published here, the cross-year and copied-content checks.
func (s *Server) fullFindings(ctx context.Context, r *models.Report, doc *report.Document) []check.Finding {
	return check.CheckWithContext(doc, s.previousPublished(ctx, r.AgencyID, r.Year, r.Kind))
}

// fullFindingsOf is fullFindings when check.Check(doc) is already known (fs, from
// checkDocument): the same findings in the same order as check.CheckWithContext,
// without checking the document a second time.
func (s *Server) fullFindingsOf(ctx context.Context, r *models.Report, doc *report.Document, fs []check.Finding) []check.Finding {
	out := append(slices.Clip(fs), check.CheckNarrative(doc)...) // fs may be shared by the cache
	if prev := s.previousPublished(ctx, r.AgencyID, r.Year, r.Kind); prev != nil {
		out = append(out, check.CheckAgainstPrevious(doc, prev)...)
		out = append(out, check.CheckSimilarity(doc, prev)...)
	}
	return out
}
