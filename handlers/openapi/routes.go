package openapi

import (
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

// segment is one "/"-separated piece of a path template: a literal, or a
// parameter with an optional literal suffix ("{year}.json").
type segment struct {
	literal string
	param   string
	suffix  string
}

// template is a documented path, split for matching.
type template struct {
	path     string
	item     *openapi3.PathItem
	segments []segment
}

func parseTemplate(path string, item *openapi3.PathItem) template {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	segs := make([]segment, len(parts))
	for i, p := range parts {
		segs[i] = parseSegment(p)
	}
	return template{path: path, item: item, segments: segs}
}

func parseSegment(p string) segment {
	if !strings.HasPrefix(p, "{") {
		return segment{literal: p}
	}
	end := strings.Index(p, "}")
	if end < 0 {
		return segment{literal: p}
	}
	return segment{param: p[1:end], suffix: p[end+1:]}
}

// match reports whether the request path fits the template, with the path
// parameters and a score: literal text outranks parameters, so that
// /reports/import beats /reports/{id} and {year}.json beats {year}.
func (t template) match(path string) (map[string]string, int, bool) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) != len(t.segments) {
		return nil, 0, false
	}
	params := map[string]string{}
	score := 0
	for i, s := range t.segments {
		if s.param == "" {
			if parts[i] != s.literal {
				return nil, 0, false
			}
			score += 1000
			continue
		}
		value, ok := strings.CutSuffix(parts[i], s.suffix)
		if !ok || value == "" {
			return nil, 0, false
		}
		params[s.param] = value
		score += len(s.suffix)
	}
	return params, score, true
}

// normalized is the template with parameter names erased, so that Echo's
// ":id" and OpenAPI's "{id}" compare equal whatever the names.
func (t template) normalized() string {
	var b strings.Builder
	for _, s := range t.segments {
		b.WriteByte('/')
		if s.param == "" {
			b.WriteString(s.literal)
			continue
		}
		b.WriteString("{}")
		b.WriteString(s.suffix)
	}
	return b.String()
}

func templates(doc *openapi3.T) []template {
	ts := make([]template, 0, doc.Paths.Len())
	for _, path := range doc.Paths.InMatchingOrder() {
		ts = append(ts, parseTemplate(path, doc.Paths.Value(path)))
	}
	return ts
}

// EchoToOpenAPI turns Echo's route syntax (/reports/:id) into OpenAPI's
// (/reports/{id}). A dot ends the parameter name, so ":year.json" becomes
// "{year}.json".
func EchoToOpenAPI(echoPath string) string {
	parts := strings.Split(echoPath, "/")
	for i, p := range parts {
		if name, ok := strings.CutPrefix(p, ":"); ok {
			name, suffix, _ := strings.Cut(name, ".")
			if suffix != "" {
				suffix = "." + suffix
			}
			parts[i] = "{" + name + "}" + suffix
		}
	}
	return strings.Join(parts, "/")
}

// OpenAPIToEcho turns OpenAPI's path syntax (/reports/{id}) into Echo's
// (/reports/:id). A parameter followed by a suffix ({year}.json) keeps the
// suffix after the name, which Echo reads as part of the parameter.
func OpenAPIToEcho(path string) string {
	r := strings.NewReplacer("{", ":", "}", "")
	return r.Replace(path)
}

// Paths lists every documented path in OpenAPI syntax, sorted.
func Paths() []string {
	doc := mustLoad()
	paths := doc.Paths.InMatchingOrder()
	slices.Sort(paths)
	return paths
}

// Operations lists every documented operation as "METHOD /path", sorted.
func Operations() []string {
	doc := mustLoad()
	var ops []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			ops = append(ops, method+" "+path)
		}
	}
	slices.Sort(ops)
	return ops
}

// HasRoute reports whether the document describes method on echoPath, a
// route in Echo's syntax (/api/v1/reports/:id). Parameter names need not
// agree; their positions must.
func HasRoute(method, echoPath string) bool {
	want := parseTemplate(EchoToOpenAPI(echoPath), nil).normalized()
	for _, t := range templates(mustLoad()) {
		if t.normalized() == want {
			return t.item.GetOperation(strings.ToUpper(method)) != nil
		}
	}
	return false
}

// findRoute picks the best documented path for a request path.
func findRoute(ts []template, path string) (template, map[string]string, bool) {
	var best template
	var bestParams map[string]string
	bestScore, found := -1, false
	for _, t := range ts {
		params, score, ok := t.match(path)
		if ok && score > bestScore {
			best, bestParams, bestScore, found = t, params, score, true
		}
	}
	return best, bestParams, found
}

// shared is the document loaded once for read-only lookups.
var shared = sync.OnceValues(Load)

// mustLoad returns the shared document. The embedded document is checked by
// this package's tests, so a failure here is a broken build, not a runtime
// condition.
func mustLoad() *openapi3.T {
	doc, err := shared()
	if err != nil {
		panic(err)
	}
	return doc
}
