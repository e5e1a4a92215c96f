package handlers

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"qianfa/models"
	"qianfa/report"
	"qianfa/workflow"
)

type revisionView struct {
	Number    int            `json:"number"`
	State     workflow.State `json:"state"`
	CreatedAt time.Time      `json:"created_at"`
	Author    actorRef       `json:"author"`
}

func (s *Server) listRevisions(c echo.Context) error {
	r, _, err := s.reportParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	revs, err := s.store.ListRevisions(ctx, r.ID)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	out := make([]revisionView, 0, len(revs))
	for _, rev := range revs {
		name, ok := names[rev.AuthorID]
		if !ok {
			if au, err := s.store.UserByID(ctx, rev.AuthorID); err == nil {
				name = au.Username
			}
			names[rev.AuthorID] = name
		}
		id := rev.AuthorID
		out = append(out, revisionView{Number: rev.Number, State: rev.StateAtFreeze, CreatedAt: rev.CreatedAt,
			Author: actorRef{ID: &id, Username: name}})
	}
	return c.JSON(http.StatusOK, items[revisionView]{Items: out})
}

func (s *Server) getRevision(c echo.Context) error {
	r, _, err := s.reportParam(c)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil || n <= 0 {
		return workflow.ErrNotFound("修订版本")
	}
	rev, err := s.store.Revision(c.Request().Context(), r.ID, n)
	if err != nil {
		return err
	}
	return c.JSONBlob(http.StatusOK, []byte(rev.Content))
}

type diffView struct {
	From    int             `json:"from"`
	To      int             `json:"to"`
	Changes []report.Change `json:"changes"`
}

// diff compares two revisions. `to` defaults to the newest revision (or "current" for the
// draft being edited); `from` defaults to the last revision the caller reviewed, so a
// reviewer or leader sees what changed since they last looked.
func (s *Server) diff(c echo.Context) error {
	r, _, err := s.reportParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	to, toDoc, err := s.diffTarget(ctx, r, c.QueryParam("to"))
	if err != nil {
		return err
	}
	from := 0
	if v := c.QueryParam("from"); v != "" {
		if from, err = strconv.Atoi(v); err != nil || from < 0 {
			return workflow.ErrBadRequest("参数 from 应为修订版本号")
		}
	} else if from, err = s.lastReviewed(ctx, r.ID, currentUser(c)); err != nil {
		return err
	}
	fromDoc, err := s.revisionDocument(ctx, r, from)
	if err != nil {
		return err
	}
	changes := []report.Change{}
	if fromDoc != nil && toDoc != nil {
		changes = nonNil(report.Diff(fromDoc, toDoc))
	}
	return c.JSON(http.StatusOK, diffView{From: from, To: to, Changes: changes})
}

func (s *Server) diffTarget(ctx context.Context, r *models.Report, v string) (int, *report.Document, error) {
	switch v {
	case "":
		doc, err := s.revisionDocument(ctx, r, r.Revision)
		return r.Revision, doc, err
	case "current":
		_, doc, err := storedFindings(r)
		return r.Revision + 1, doc, err
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, nil, workflow.ErrBadRequest("参数 to 应为修订版本号或 current")
	}
	doc, err := s.revisionDocument(ctx, r, n)
	return n, doc, err
}

// revisionDocument decodes revision n; revision 0 (before the first submit) is nil.
func (s *Server) revisionDocument(ctx context.Context, r *models.Report, n int) (*report.Document, error) {
	if n == 0 {
		return nil, nil
	}
	rev, err := s.store.Revision(ctx, r.ID, n)
	if err != nil {
		return nil, err
	}
	doc, err := report.Decode([]byte(rev.Content))
	if err != nil {
		return nil, workflow.ErrInternal(err)
	}
	return doc, nil
}

// lastReviewed is the newest revision u approved or returned; a return counts, so the
// reviewer who sent a report back sees what the drafter changed since.
func (s *Server) lastReviewed(ctx context.Context, reportID int64, u *models.User) (int, error) {
	events, err := s.store.ListAudit(ctx, models.AuditFilter{ReportID: reportID, ActorUsername: u.Username, Limit: 100000})
	if err != nil {
		return 0, err
	}
	last := 0
	for _, e := range events {
		if (e.Action == string(workflow.Approve) || e.Action == string(workflow.Return)) && e.Revision > last {
			last = e.Revision
		}
	}
	return last, nil
}
