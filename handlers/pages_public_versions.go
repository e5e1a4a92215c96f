package handlers

import (
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"qianfa/audit"
	"qianfa/calendar"
	"qianfa/models"
	"qianfa/report"
	"qianfa/workflow"
)

// publicVersion is one publication of a corrected report, as the 更正说明 lists it.
type publicVersion struct {
	N           int
	PublishedAt string
	URL         string
	Shown       bool
	Reason      string         // the comment of the correction that led to this version
	Changes     []publicChange // cells and header fields changed since the version before
	Sections    []string       // narrative sections changed since the version before
}

// publicChange is one changed value: where, from and to.
type publicChange struct {
	Path, Label, From, To string
}

// publicTime shows a moment of the record in Beijing time.
func publicTime(t time.Time) string {
	return t.In(calendar.Location()).Format("2006-01-02 15:04")
}

// publicVersions describes every publication of r: its date, and for each after the
// first the reason of the correction and what it changed.
func (s *Server) publicVersions(c echo.Context, r *models.Report, base string, pubs []models.Publication, shown int) ([]publicVersion, error) {
	corrections, err := s.store.ListAudit(c.Request().Context(), models.AuditFilter{ReportID: r.ID, Action: string(workflow.Correct), Limit: 100000})
	if err != nil {
		return nil, err
	}
	out := make([]publicVersion, len(pubs))
	var prev *report.Document
	for i := range pubs {
		p := &pubs[i]
		doc, err := report.Decode([]byte(p.Content))
		if err != nil {
			return nil, workflow.ErrInternal(err)
		}
		v := publicVersion{N: i + 1, PublishedAt: publicTime(p.PublishedAt), URL: base + "?version=" + strconv.Itoa(i+1), Shown: i+1 == shown}
		if prev != nil {
			v.Reason = correctionReason(corrections, pubs[i-1].PublishedAt, p.PublishedAt)
			v.Changes, v.Sections = publicChanges(prev, doc)
		}
		out[i], prev = v, doc
	}
	return out, nil
}

// correctionReason is the comment of the last correction between two publications.
func correctionReason(events []audit.Event, after, before time.Time) string {
	reason := ""
	for _, e := range events {
		if !e.At.Before(after) && !e.At.After(before) {
			reason = e.Comment
		}
	}
	return reason
}

// publicChanges lists what changed from a to b: values with their labels, and the names
// of the narrative sections whose text changed.
func publicChanges(a, b *report.Document) ([]publicChange, []string) {
	var changes []publicChange
	var sections []string
	l := b.Layout()
	for _, ch := range report.Diff(a, b) {
		if key, ok := strings.CutPrefix(ch.Path, "sections."); ok {
			sections = append(sections, sectionName(key))
			continue
		}
		changes = append(changes, publicChange{Path: ch.Path, Label: pathLabel(l, ch.Path), From: changeText(ch.From), To: changeText(ch.To)})
	}
	return changes, sections
}

// sectionName is a narrative section's heading without the editor's hint.
func sectionName(key string) string {
	name, _, _ := strings.Cut(sectionLabels[key], "（")
	return name
}
