package handlers

import (
	"runtime"

	"github.com/labstack/echo/v4"

	"qianfa/models"
	"qianfa/workflow"
)

// passwordSlots bounds the sign-off password checks running at once to the
// number of CPUs. Each argon2id verification holds 19 MiB and a core for tens
// of milliseconds: unbounded, 64 leaders signing at once held 64 × 19 MiB and
// made every request wait behind them; bounded, the checks queue and the
// memory stays at a few blocks, which the runtime's soft memory limit
// (server.memory_limit_mb) collects promptly (BENCHMARKS.md).
var passwordSlots = make(chan struct{}, runtime.GOMAXPROCS(0))

// checkReauthBounded is checkReauth with the password check taking a slot. A
// request the store will refuse anyway — made at a version other than the one
// just read, or by someone who is not a leader — skips the check: the store
// answers stale_version or forbidden (Decide checks the version first, and
// the write is guarded by it), without burning a slot, and no password failure is audited
// for a request that never reached the sign-off (measured with -conflict:
// racing reviewers got 403 reauth_failed instead of 409).
func (s *Server) checkReauthBounded(c echo.Context, u *models.User, r *models.Report, ag *models.Agency, req *workflow.Request, pw string) error {
	if req.Version != r.Version || !u.Roles.Has(workflow.RoleLeader) {
		return nil // Reauthenticated stays false: the transition cannot succeed on it
	}
	if pw != "" {
		select {
		case passwordSlots <- struct{}{}:
			defer func() { <-passwordSlots }()
		case <-c.Request().Context().Done():
			return workflow.ErrUnavailable(c.Request().Context().Err())
		}
	}
	return s.checkReauth(c, u, r, ag, req, pw)
}
