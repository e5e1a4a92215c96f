package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"time"
)

// client is one simulated user agent: one keep-alive connection at a time.
type client struct {
	http *http.Client
	base string
	rec  *recorder
	body []byte // reused request body
	resp bytes.Buffer
}

func newHTTPClient(k int) *http.Client {
	return &http.Client{Timeout: time.Minute, Transport: &http.Transport{
		MaxIdleConns: k, MaxIdleConnsPerHost: k, MaxConnsPerHost: k, IdleConnTimeout: time.Minute,
		DisableCompression: true,
	}}
}

// result is what the bench reads from a response.
type result struct {
	status  int
	code    string // the error code of a refused request
	version int64
	state   string
	step    int
}

// do sends one request, records its latency under action and parses what
// the flow needs from the answer.
func (c *client) do(ctx context.Context, action, method, path, token string, body []byte) (result, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(body))
	if err != nil {
		return result{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() == nil { // a request cut by the end of the phase is not an error
			c.rec.add(action, time.Since(start), result{status: 599, code: "transport: " + err.Error()})
		}
		return result{}, err
	}
	c.resp.Reset()
	_, err = io.Copy(&c.resp, resp.Body)
	_ = resp.Body.Close()
	elapsed := time.Since(start)
	if err != nil {
		return result{}, err
	}
	r := parseResult(resp.StatusCode, c.resp.Bytes())
	c.rec.add(action, elapsed, r)
	return r, nil
}

// parseResult scans the answer instead of decoding it: the bench shares the
// two cores with the server, so it must stay cheap. In a report the top-level
// "version" and "state" come before the content.
func parseResult(status int, b []byte) result {
	r := result{status: status, version: -1}
	if status >= 300 {
		r.code = stringField(b, `"code":"`)
		return r
	}
	r.version = intField(b, `"version":`)
	r.state = stringField(b, `"state":"`)
	if i := bytes.Index(b, []byte(`"approval_step":{`)); i >= 0 {
		r.step = int(intField(b[i:], `"index":`))
	}
	return r
}

func stringField(b []byte, key string) string {
	i := bytes.Index(b, []byte(key))
	if i < 0 {
		return ""
	}
	rest := b[i+len(key):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return ""
	}
	return string(rest[:j])
}

func intField(b []byte, key string) int64 {
	i := bytes.Index(b, []byte(key))
	if i < 0 {
		return -1
	}
	rest := b[i+len(key):]
	j := 0
	for j < len(rest) && (rest[j] >= '0' && rest[j] <= '9' || rest[j] == '-') {
		j++
	}
	n, err := strconv.ParseInt(string(rest[:j]), 10, 64)
	if err != nil {
		return -1
	}
	return n
}

// transitionBody is the JSON of a transition request.
func transitionBody(dst []byte, action string, version int64, password string) []byte {
	dst = append(dst[:0], `{"action":"`...)
	dst = append(dst, action...)
	dst = append(dst, `","version":`...)
	dst = strconv.AppendInt(dst, version, 10)
	if password != "" {
		dst = append(dst, `,"password":"`...)
		dst = append(dst, password...)
		dst = append(dst, '"')
	}
	return append(dst, '}')
}

// contentBody is the JSON of a content save.
func contentBody(dst []byte, version int64, content []byte) []byte {
	dst = append(dst[:0], `{"version":`...)
	dst = strconv.AppendInt(dst, version, 10)
	dst = append(dst, `,"content":`...)
	dst = append(dst, content...)
	return append(dst, '}')
}
