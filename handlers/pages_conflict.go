package handlers

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"qianfa/models"
	"qianfa/report"
)

// conflictView tells the drafter that someone saved first, and how the two versions differ.
type conflictView struct {
	MyVersion    int64 // the version the drafter started from
	TheirVersion int64
	Changes      []conflictChange
}

type conflictChange struct {
	Label, Theirs, Mine string
}

// renderConflict re-renders the editor after a stale save: the drafter's text and numbers
// stay in the form, the form now carries the newest version (so saving again keeps the
// drafter's content over the other save), and the differences are listed.
func (s *Server) renderConflict(c echo.Context, id, myVersion int64, ag *models.Agency, mine *report.Document, in editorInput) error {
	current, err := s.store.ReportByID(c.Request().Context(), id)
	if err != nil {
		return err
	}
	_, theirs, err := storedFindings(current)
	if err != nil {
		return err
	}
	cv := &conflictView{MyVersion: myVersion, TheirVersion: current.Version}
	l := mine.Layout()
	for _, ch := range report.Diff(theirs, mine) {
		cv.Changes = append(cv.Changes, conflictChange{Label: pathLabel(l, ch.Path), Theirs: changeText(ch.From), Mine: changeText(ch.To)})
	}
	c.Set(ctxFlashNow, "保存未成功：有人在您编辑期间保存了这份报告。您的修改仍在下方，尚未保存。")
	return s.renderEditor(c, http.StatusConflict, current, ag, mine, editorInput{raw: in.raw, reasons: in.reasons}, cv)
}

// changeText shows one side of a change: a blank cell or text as 「（空）」.
func changeText(v any) string {
	if v == nil {
		return "（空）"
	}
	if t := fmt.Sprint(v); t != "" {
		return t
	}
	return "（空）"
}
