package notifications

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"testing"
)

func smtpConfig(t *testing.T, addr, mode string, tlsConf *tls.Config) SMTPConfig {
	t.Helper()
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := strconv.Atoi(port)
	return SMTPConfig{Host: host, Port: p, Username: "qianfa", Password: "s3cret", TLS: mode,
		From: "签发系统 <noreply@haiyan.gov.cn>", TLSConfig: tlsConf}
}

// Every TLS mode delivers the message with its Chinese subject, both bodies and
// the Message-ID of its dedupe key.
func TestSMTPSender(t *testing.T) {
	cert, pool := selfSigned(t)
	clientTLS := &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
	n := find(t, plan2021(t, "2022-01-25"), "1|u1|reminder|2022-01-25")
	for _, mode := range []string{"none", "starttls", "tls"} {
		t.Run(mode, func(t *testing.T) {
			box := &mailbox{user: "qianfa", pass: "s3cret"}
			var addr string
			switch mode {
			case "none":
				addr = serveMailbox(t, box, "127.0.0.1:0", nil, false)
			case "starttls":
				addr = serveMailbox(t, box, "127.0.0.1:0", cert, false)
			case "tls":
				addr = serveMailbox(t, box, "127.0.0.1:0", cert, true)
			}
			s, err := NewSMTPSender(smtpConfig(t, addr, mode, clientTLS))
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Send(context.Background(), MessageOf(n)); err != nil {
				t.Fatal(err)
			}
			got := box.messages()
			if len(got) != 1 {
				t.Fatalf("%d messages", len(got))
			}
			checkDelivered(t, got[0], n)
		})
	}
}

func checkDelivered(t *testing.T, env envelope, n Notification) {
	t.Helper()
	if env.from != "noreply@haiyan.gov.cn" || strings.Join(env.to, ",") != "zhangsan@haiyan.gov.cn" {
		t.Errorf("envelope from %s to %v", env.from, env.to)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(env.data))
	if err != nil {
		t.Fatal(err)
	}
	if raw := msg.Header.Get("Subject"); !strings.HasPrefix(strings.ToUpper(raw), "=?UTF-8?") {
		t.Errorf("subject not RFC 2047 encoded: %q", raw)
	}
	dec := new(mime.WordDecoder)
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	from, _ := dec.DecodeHeader(msg.Header.Get("From"))
	to, _ := dec.DecodeHeader(msg.Header.Get("To"))
	headers := map[string]string{
		"Subject": subject, "From": from, "To": to,
		"Message-ID": msg.Header.Get("Message-ID"), "Auto-Submitted": msg.Header.Get("Auto-Submitted"),
	}
	want := map[string]string{
		"Subject": "【签发提醒】海盐县民政局2021年度政府信息公开工作年度报告：距截止还有5个工作日",
		"From":    "签发系统 <noreply@haiyan.gov.cn>", "To": "张三 <zhangsan@haiyan.gov.cn>",
		"Message-ID":     "<2ada6d8225973b34a70d6fe449c9594dcc4913fb85a34ff835b809767469c75e@qianfa.example.gov.cn>",
		"Auto-Submitted": "auto-generated",
	}
	for k, v := range want {
		if headers[k] != v {
			t.Errorf("%s = %q, want %q", k, headers[k], v)
		}
	}
	parts := alternativeParts(t, msg)
	if parts["text/plain"] != n.Text || parts["text/html"] != n.HTML {
		t.Errorf("bodies differ:\n%q\n%q", parts["text/plain"], parts["text/html"])
	}
}

// alternativeParts decodes a multipart/alternative body by content type, with line
// endings back to \n.
func alternativeParts(t *testing.T, msg *mail.Message) map[string]string {
	t.Helper()
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q: %v", msg.Header.Get("Content-Type"), err)
	}
	out := map[string]string{}
	r := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := r.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		var body io.Reader = p
		switch p.Header.Get("Content-Transfer-Encoding") {
		case "quoted-printable":
			body = quotedprintable.NewReader(p)
		case "base64":
			body = base64.NewDecoder(base64.StdEncoding, p)
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Fatal(err)
		}
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		out[ct] = strings.ReplaceAll(string(b), "\r\n", "\n")
	}
	return out
}

func TestNewSMTPSenderRejects(t *testing.T) {
	for _, cfg := range []SMTPConfig{
		{From: "a@b.cn"},
		{Host: "smtp.example.gov.cn", From: "not an address"},
		{Host: "smtp.example.gov.cn", From: "a@b.cn", TLS: "ssl"},
	} {
		if _, err := NewSMTPSender(cfg); err == nil {
			t.Errorf("accepted %+v", cfg)
		}
	}
	s, err := NewSMTPSender(SMTPConfig{Host: "smtp.example.gov.cn", From: "a@b.cn", TLS: "tls"})
	if err != nil || s.cfg.Port != 465 {
		t.Errorf("tls default port: %v %v", s, err)
	}
}

func messageIDOf(t *testing.T, env envelope) string {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(env.data))
	if err != nil {
		t.Fatal(err)
	}
	return msg.Header.Get("Message-ID")
}
