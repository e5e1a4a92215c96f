package handlers

import (
	"testing"

	"qianfa/models/modelstest"
)

// matrix is the authorisation matrix: every route of the server, every caller, every
// scope. A route the server serves but this table does not classify fails the test, so
// whoever adds a route must decide who may call it. 404, never 403, for an object the
// caller may not see. Pages answer an anonymous GET with 303 to the login form.
var matrix = map[string]row{
	// No override exists for that date: 404 for the admin.
	"DELETE /api/v1/calendar/overrides/:date": {an: all(401), dr: all(403), rv: all(403), ld: all(403), pb: all(403), sv: all(403), ad: all(404), au: all(403)},
	"GET /":                                {an: all(303), dr: all(200), rv: all(200), ld: all(200), pb: all(200), sv: all(200), ad: all(200), au: all(200)},
	"GET /admin":                           {an: all(303), dr: all(403), rv: all(403), ld: all(403), pb: all(403), sv: all(403), ad: all(200), au: all(403)},
	"GET /admin/outbox":                    {an: all(303), dr: all(403), rv: all(403), ld: all(403), pb: all(403), sv: all(403), ad: all(200), au: all(403)},
	"GET /api/openapi.json":                {an: all(200), dr: all(200), rv: all(200), ld: all(200), pb: all(200), sv: all(200), ad: all(200), au: all(200)},
	"GET /api/v1/agencies":                 {an: all(401), dr: all(403), rv: all(403), ld: all(403), pb: all(403), sv: all(403), ad: all(200), au: all(403)},
	"GET /api/v1/audit":                    {an: all(401), dr: all(403), rv: all(403), ld: all(403), pb: all(403), sv: all(200), ad: all(200), au: all(200)},
	"GET /api/v1/audit/verify":             {an: all(401), dr: all(403), rv: all(403), ld: all(403), pb: all(403), sv: all(403), ad: all(200), au: all(200)},
	"GET /api/v1/calendar/overrides":       {an: all(401), dr: all(403), rv: all(403), ld: all(403), pb: all(403), sv: all(403), ad: all(200), au: all(403)},
	"GET /api/v1/dashboard":                {an: all(401), dr: all(403), rv: all(403), ld: all(403), pb: all(403), sv: all(200), ad: all(200), au: all(403)},
	"GET /api/v1/me":                       {an: all(401), dr: all(200), rv: all(200), ld: all(200), pb: all(200), sv: all(200), ad: all(200), au: all(200)},
	"GET /api/v1/notifications":            {an: all(401), dr: all(200), rv: all(200), ld: all(200), pb: all(200), sv: all(200), ad: all(200), au: all(200)},
	"GET /api/v1/outbox":                   {an: all(401), dr: all(403), rv: all(403), ld: all(403), pb: all(403), sv: all(403), ad: all(200), au: all(403)},
	"GET /api/v1/reminders/preview":        {an: all(401), dr: all(403), rv: all(403), ld: all(403), pb: all(403), sv: all(403), ad: all(200), au: all(403)},
	"GET /api/v1/reports":                  {an: all(401), dr: all(200), rv: all(200), ld: all(200), pb: all(200), sv: all(200), ad: all(200), au: all(200)},
	"GET /api/v1/reports/:id":              {an: all(401), dr: of(200, 404, 404), rv: of(200, 404, 404), ld: of(200, 404, 404), pb: of(200, 404, 404), sv: of(200, 200, 404), ad: all(200), au: of(200, 200, 404)},
	"GET /api/v1/reports/:id/audit":        {an: all(401), dr: of(200, 404, 404), rv: of(200, 404, 404), ld: of(200, 404, 404), pb: of(200, 404, 404), sv: of(200, 200, 404), ad: all(200), au: of(200, 200, 404)},
	"GET /api/v1/reports/:id/diff":         {an: all(401), dr: of(200, 404, 404), rv: of(200, 404, 404), ld: of(200, 404, 404), pb: of(200, 404, 404), sv: of(200, 200, 404), ad: all(200), au: of(200, 200, 404)},
	"GET /api/v1/reports/:id/export":       {an: all(401), dr: of(200, 404, 404), rv: of(200, 404, 404), ld: of(200, 404, 404), pb: of(200, 404, 404), sv: of(200, 200, 404), ad: all(200), au: of(200, 200, 404)},
	"GET /api/v1/reports/:id/revisions":    {an: all(401), dr: of(200, 404, 404), rv: of(200, 404, 404), ld: of(200, 404, 404), pb: of(200, 404, 404), sv: of(200, 200, 404), ad: all(200), au: of(200, 200, 404)},
	"GET /api/v1/reports/:id/revisions/:n": {an: all(401), dr: of(200, 404, 404), rv: of(200, 404, 404), ld: of(200, 404, 404), pb: of(200, 404, 404), sv: of(200, 200, 404), ad: all(200), au: of(200, 200, 404)},
	"GET /api/v1/rollup":                   {an: all(401), dr: all(403), rv: all(403), ld: all(403), pb: all(403), sv: all(200), ad: all(200), au: all(403)},
	"GET /api/v1/users":                    {an: all(401), dr: all(403), rv: all(403), ld: all(403), pb: all(403), sv: all(403), ad: all(200), au: all(403)},
	"GET /dashboard":                       {an: all(303), dr: all(403), rv: all(403), ld: all(403), pb: all(403), sv: all(200), ad: all(200), au: all(403)},
	"GET /healthz":                         {an: all(200), dr: all(200), rv: all(200), ld: all(200), pb: all(200), sv: all(200), ad: all(200), au: all(200)},
	"GET /login":                           {an: all(200), dr: all(303), rv: all(303), ld: all(303), pb: all(303), sv: all(303), ad: all(303), au: all(303)},
	"GET /metrics":                         {an: all(200), dr: all(200), rv: all(200), ld: all(200), pb: all(200), sv: all(200), ad: all(200), au: all(200)},
	"GET /notifications":                   {an: all(303), dr: all(200), rv: all(200), ld: all(200), pb: all(200), sv: all(200), ad: all(200), au: all(200)},
	"GET /public/reports":                  {an: all(200), dr: all(200), rv: all(200), ld: all(200), pb: all(200), sv: all(200), ad: all(200), au: all(200)},
	// Nothing of the world is published, so the portal shows nothing to anyone.
	"GET /public/reports/:code/:year":         {an: all(404), dr: all(404), rv: all(404), ld: all(404), pb: all(404), sv: all(404), ad: all(404), au: all(404)},
	"GET /public/reports/:code/:year/signoff": {an: all(404), dr: all(404), rv: all(404), ld: all(404), pb: all(404), sv: all(404), ad: all(404), au: all(404)},
	"GET /readyz":            {an: all(200), dr: all(200), rv: all(200), ld: all(200), pb: all(200), sv: all(200), ad: all(200), au: all(200)},
	"GET /reports":           {an: all(303), dr: all(200), rv: all(200), ld: all(200), pb: all(200), sv: all(200), ad: all(200), au: all(200)},
	"GET /reports/:id":       {an: all(303), dr: of(200, 404, 404), rv: of(200, 404, 404), ld: of(200, 404, 404), pb: of(200, 404, 404), sv: of(200, 200, 404), ad: all(200), au: of(200, 200, 404)},
	"GET /reports/:id/audit": {an: all(303), dr: of(200, 404, 404), rv: of(200, 404, 404), ld: of(200, 404, 404), pb: of(200, 404, 404), sv: of(200, 200, 404), ad: all(200), au: of(200, 200, 404)},
	// The editor of a report in review redirects to its review page.
	"GET /reports/:id/edit":          {an: all(303), dr: of(303, 404, 404), rv: of(303, 404, 404), ld: of(303, 404, 404), pb: of(303, 404, 404), sv: of(303, 303, 404), ad: all(303), au: of(303, 303, 404)},
	"GET /rollup":                    {an: all(303), dr: all(403), rv: all(403), ld: all(403), pb: all(403), sv: all(200), ad: all(200), au: all(403)},
	"GET /static/*":                  {an: all(200), dr: all(200), rv: all(200), ld: all(200), pb: all(200), sv: all(200), ad: all(200), au: all(200)},
	"PATCH /api/v1/users/:id":        {an: all(401), dr: all(403), rv: all(403), ld: all(403), pb: all(403), sv: all(403), ad: all(422), au: all(403)},
	"POST /admin/agencies":           {an: all(303), dr: all(403), rv: all(403), ld: all(403), pb: all(403), sv: all(403), ad: all(303), au: all(403)},
	"POST /admin/agencies/:id/steps": {an: all(303), dr: all(403), rv: all(403), ld: all(403), pb: all(403), sv: all(403), ad: all(303), au: all(403)},
	"POST /admin/users":              {an: all(303), dr: all(403), rv: all(403), ld: all(403), pb: all(403), sv: all(403), ad: all(303), au: all(403)},
	"POST /admin/users/:id":          {an: all(303), dr: all(403), rv: all(403), ld: all(403), pb: all(403), sv: all(403), ad: all(400), au: all(403)},
	"POST /api/v1/agencies":          {an: all(401), dr: all(403), rv: all(403), ld: all(403), pb: all(403), sv: all(403), ad: all(409), au: all(403)},
	// An empty login is refused before any lookup, whoever asks.
	"POST /api/v1/auth/login":         {an: all(400), dr: all(400), rv: all(400), ld: all(400), pb: all(400), sv: all(400), ad: all(400), au: all(400)},
	"POST /api/v1/auth/logout":        {an: all(401), dr: all(204), rv: all(204), ld: all(204), pb: all(204), sv: all(204), ad: all(204), au: all(204)},
	"POST /api/v1/notifications/read": {an: all(401), dr: all(204), rv: all(204), ld: all(204), pb: all(204), sv: all(204), ad: all(204), au: all(204)},
	// The world's reports are of 2020: an authorised create or import is a duplicate (409).
	"POST /api/v1/reports": {an: all(401), dr: of(409, 404, 404), rv: all(403), ld: all(403), pb: all(403), sv: all(403), ad: all(409), au: all(403)},
	// A return without a comment: 400 only for the reviewer, who may return a report in review.
	"POST /api/v1/reports/:id/transitions": {an: all(401), dr: of(403, 404, 404), rv: of(400, 404, 404), ld: of(403, 404, 404), pb: of(403, 404, 404), sv: of(403, 403, 404), ad: all(403), au: of(403, 403, 404)},
	"POST /api/v1/reports/import":          {an: all(401), dr: of(409, 404, 404), rv: all(403), ld: all(403), pb: all(403), sv: all(403), ad: all(409), au: all(403)},
	// Year 2015 is refused (422) once the role check has passed: supervisor and drafter.
	"POST /api/v1/rollup/report": {an: all(401), dr: all(403), rv: all(403), ld: all(403), pb: all(403), sv: all(422), ad: all(403), au: all(403)},
	"POST /api/v1/users":         {an: all(401), dr: all(403), rv: all(403), ld: all(403), pb: all(403), sv: all(403), ad: all(409), au: all(403)},
	"POST /api/v1/validate":      {an: all(401), dr: all(200), rv: all(200), ld: all(200), pb: all(200), sv: all(200), ad: all(200), au: all(200)},
	// Without the login form's double-submit cookie the form is refused.
	"POST /login":              {an: all(403), dr: all(403), rv: all(403), ld: all(403), pb: all(403), sv: all(403), ad: all(403), au: all(403)},
	"POST /logout":             {an: all(303), dr: all(303), rv: all(303), ld: all(303), pb: all(303), sv: all(303), ad: all(303), au: all(303)},
	"POST /notifications/read": {an: all(303), dr: all(303), rv: all(303), ld: all(303), pb: all(303), sv: all(303), ad: all(303), au: all(303)},
	"POST /reports":            {an: all(303), dr: all(303), rv: all(403), ld: all(403), pb: all(403), sv: all(403), ad: all(303), au: all(403)},
	"POST /reports/:id/check":  {an: all(303), dr: of(409, 404, 404), rv: of(403, 404, 404), ld: of(403, 404, 404), pb: of(403, 404, 404), sv: of(403, 403, 404), ad: all(403), au: of(403, 403, 404)},
	"POST /reports/:id/edit":   {an: all(303), dr: of(409, 404, 404), rv: of(403, 404, 404), ld: of(403, 404, 404), pb: of(403, 404, 404), sv: of(403, 403, 404), ad: all(403), au: of(403, 403, 404)},
	// The form answers with a redirect and a message; the API row above checks the roles.
	"POST /reports/:id/transition":         {an: all(303), dr: of(303, 404, 404), rv: of(303, 404, 404), ld: of(303, 404, 404), pb: of(303, 404, 404), sv: of(303, 303, 404), ad: all(303), au: of(303, 303, 404)},
	"POST /rollup/report":                  {an: all(303), dr: all(403), rv: all(403), ld: all(403), pb: all(403), sv: all(303), ad: all(403), au: all(403)},
	"PUT /api/v1/calendar/overrides/:date": {an: all(401), dr: all(403), rv: all(403), ld: all(403), pb: all(403), sv: all(403), ad: all(200), au: all(403)},
	// Version 999 is stale (409) for the drafter, the only one who may save.
	"PUT /api/v1/reports/:id/content": {an: all(401), dr: of(409, 404, 404), rv: of(403, 404, 404), ld: of(403, 404, 404), pb: of(403, 404, 404), sv: of(403, 403, 404), ad: all(403), au: of(403, 403, 404)},
}

// The matrix is independent of the SQL dialect, so it runs on SQLite only; the dialect
// tests of models cover the queries it relies on.
func TestAuthorizationMatrix(t *testing.T) {
	w := newWorld(t, modelstest.NewStore(t, "sqlite"))
	keys := servedRoutes(w)
	observed := map[string]row{}
	for _, k := range keys {
		want, ok := matrix[k]
		if !ok {
			t.Errorf("route %s is not in the authorization matrix: add a row that says who may call it", k)
		}
		observed[k] = row{}
		for _, c := range callers {
			var got cells
			for sc := range numScopes {
				got[sc] = w.hit(k, c, sc).status
				if ok && got[sc] != want[c][sc] {
					t.Errorf("%s as %s on %s: got %d, want %d", k, c, scopeNames[sc], got[sc], want[c][sc])
				}
			}
			observed[k][c] = got
		}
	}
	served := map[string]bool{}
	for _, k := range keys {
		served[k] = true
	}
	for k := range matrix {
		if !served[k] {
			t.Errorf("matrix row %s names no served route: remove it", k)
		}
	}
	printMatrix(observed, keys)
}
