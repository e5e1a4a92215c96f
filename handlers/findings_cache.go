package handlers

import (
	"container/list"
	"crypto/sha256"
	"sync"

	"qianfa/report/check"
)

// findingsCacheSize bounds the findings kept per process: a few thousand
// reports in flight at once, each entry a short slice of findings.
const findingsCacheSize = 4096

// findingsCache maps the SHA-256 of a report's stored content to check.Check
// of that content. Findings are a pure function of the content, so an entry
// can never be stale and replicas need not share it; no decision is taken from
// it (the store decides every transition). Cached slices are shared and
// must not be modified.
type findingsCache struct {
	mu    sync.Mutex
	order *list.List // front = most recently used; values are *findingsEntry
	byKey map[[sha256.Size]byte]*list.Element
	max   int
}

type findingsEntry struct {
	key      [sha256.Size]byte
	findings []check.Finding
}

func newFindingsCache(max int) *findingsCache {
	return &findingsCache{order: list.New(), byKey: map[[sha256.Size]byte]*list.Element{}, max: max}
}

// processFindings is the process's cache (one per process, shared by every
// Server: entries do not depend on the server's settings).
var processFindings = newFindingsCache(findingsCacheSize)

func (c *findingsCache) get(content string) ([]check.Finding, bool) {
	key := sha256.Sum256([]byte(content))
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*findingsEntry).findings, true
}

func (c *findingsCache) put(content string, fs []check.Finding) {
	key := sha256.Sum256([]byte(content))
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[key]; ok {
		c.order.MoveToFront(el)
		return
	}
	c.byKey[key] = c.order.PushFront(&findingsEntry{key: key, findings: fs})
	for c.order.Len() > c.max {
		old := c.order.Back()
		c.order.Remove(old)
		delete(c.byKey, old.Value.(*findingsEntry).key)
	}
}

// len is the number of entries (for tests).
func (c *findingsCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
