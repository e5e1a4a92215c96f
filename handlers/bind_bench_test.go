package handlers

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"

	"qianfa/models"
	"qianfa/report/reporttest"
)

// BenchmarkSaveRequest compares the two halves of a save's JSON on the
// server: reading the request (bind: the strict check and the decoding, then
// as the Decoder did it token by token) and writing the answer (the content
// spliced in, then through encoding/json).
func BenchmarkSaveRequest(b *testing.B) {
	content, err := reporttest.Load(b, reporttest.Seed2020).Encode()
	if err != nil {
		b.Fatal(err)
	}
	content = bytes.TrimSpace(content)
	body := append(append([]byte(`{"version":3,"content":`), content...), '}')
	e := echo.New()
	b.Run("bind", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c := e.NewContext(httptest.NewRequest(http.MethodPut, "/", bytes.NewReader(body)), httptest.NewRecorder())
			var req contentRequest
			if err := bind(c, &req); err != nil || len(req.Content) != len(content) {
				b.Fatal(err)
			}
		}
	})
	b.Run("bind-decoder", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var req contentRequest
			if err := referenceCheck(body); err != nil {
				b.Fatal(err)
			}
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&req); err != nil || len(req.Content) != len(content) {
				b.Fatal(err)
			}
		}
	})
	v := reportView{ID: 1, Agency: agencyRef{ID: 1, Name: "海盐县民政局"}, State: "draft", Version: 4,
		Content: json.RawMessage(content)}
	var stored models.Report
	stored.Content = string(content)
	b.Run("answer", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c := e.NewContext(httptest.NewRequest(http.MethodGet, "/", nil), httptest.NewRecorder())
			if err := replyReport(c, http.StatusOK, v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("answer-encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c := e.NewContext(httptest.NewRequest(http.MethodGet, "/", nil), httptest.NewRecorder())
			if err := c.JSON(http.StatusOK, v); err != nil {
				b.Fatal(err)
			}
		}
	})
}
