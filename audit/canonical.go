package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"sort"
)

// Domain tags keep event MACs and the summary MAC apart and let the encoding
// change one day without ambiguity.
const (
	eventTag = "qianfa.audit.event/1"
	headsTag = "qianfa.audit.heads/1"
)

// mac computes MACs with one reusable HMAC state and buffers, so that
// verifying an event does not allocate.
type mac struct {
	h   hash.Hash
	buf []byte
	sum []byte
	hex [2 * sha256.Size]byte
}

func newMAC(key []byte) *mac {
	return &mac{h: hmac.New(sha256.New, key), buf: make([]byte, 0, 512), sum: make([]byte, 0, sha256.Size)}
}

// event returns the hex MAC of e's canonical encoding. The result aliases
// m's buffer and is valid until the next call.
func (m *mac) event(e *Event) []byte {
	m.buf = appendCanonical(m.buf[:0], e)
	return m.digest()
}

func (m *mac) digest() []byte {
	m.h.Reset()
	m.h.Write(m.buf)
	m.sum = m.h.Sum(m.sum[:0])
	hex.Encode(m.hex[:], m.sum)
	return m.hex[:]
}

// appendCanonical encodes every field of e except Seq and Hash: strings as a
// 4-byte big-endian length then the bytes, numbers as 8 big-endian bytes,
// At as microseconds since the Unix epoch (independent of zone and of the
// database's time representation).
func appendCanonical(b []byte, e *Event) []byte {
	b = appendString(b, eventTag)
	b = appendString(b, e.Chain)
	b = appendInt(b, e.Pos)
	b = appendInt(b, e.At.UnixMicro())
	b = appendInt(b, e.ActorID)
	b = appendString(b, e.ActorUsername)
	b = appendString(b, e.Action)
	b = appendInt(b, e.AgencyID)
	b = appendInt(b, e.ReportID)
	b = appendString(b, e.FromState)
	b = appendString(b, e.ToState)
	b = appendString(b, e.Comment)
	b = appendInt(b, int64(e.Revision))
	b = appendString(b, e.Data)
	return appendString(b, e.PrevHash)
}

func appendString(b []byte, s string) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

func appendInt(b []byte, v int64) []byte {
	return binary.BigEndian.AppendUint64(b, uint64(v))
}

// heads returns the hex MAC over every chain head, sorted by chain name.
func (m *mac) heads(heads map[string]Head) string {
	chains := make([]string, 0, len(heads))
	for c := range heads {
		chains = append(chains, c)
	}
	sort.Strings(chains)
	m.buf = appendString(m.buf[:0], headsTag)
	for _, c := range chains {
		m.buf = appendString(m.buf, c)
		m.buf = appendInt(m.buf, heads[c].Count)
		m.buf = appendString(m.buf, heads[c].Hash)
	}
	return string(m.digest())
}

// equalHex compares a computed hex MAC with a stored one in constant time.
func equalHex(sum []byte, stored string) bool {
	if len(stored) != len(sum) {
		return false
	}
	var diff byte
	for i := range sum {
		diff |= sum[i] ^ stored[i]
	}
	return diff == 0
}
