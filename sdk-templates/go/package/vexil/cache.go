package vexil

// Bulk evaluation per context: the first evaluation for a context asks
// POST /ofrep/v1/evaluate/flags and keeps every flag's answer; later ones are answered from
// memory until the flags change, then revalidated with If-None-Match (a 304 keeps the answers).
// The least recently used context goes when more than the cache size are kept.

import (
	"container/list"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sync"

	"github.com/open-feature/go-sdk/openfeature"
)

type bulkEntry struct {
	key        string
	etag       string
	generation uint64
	items      map[string]item
}

type bulkCache struct {
	size       int
	mu         sync.Mutex
	generation uint64
	order      *list.List // of *bulkEntry, most recently used first
	entries    map[string]*list.Element
}

func newBulkCache(size int) *bulkCache {
	return &bulkCache{size: size, order: list.New(), entries: map[string]*list.Element{}}
}

// invalidate makes every entry revalidate on its next use.
func (c *bulkCache) invalidate() {
	c.mu.Lock()
	c.generation++
	c.mu.Unlock()
}

// get returns the entry for key (nil when absent) and the current generation.
func (c *bulkCache) get(key string) (*bulkEntry, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if element, ok := c.entries[key]; ok {
		c.order.MoveToFront(element)
		return element.Value.(*bulkEntry), c.generation
	}
	return nil, c.generation
}

func (c *bulkCache) put(entry *bulkEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if element, ok := c.entries[entry.key]; ok {
		element.Value = entry
		c.order.MoveToFront(element)
	} else {
		c.entries[entry.key] = c.order.PushFront(entry)
	}
	for c.order.Len() > c.size {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.entries, last.Value.(*bulkEntry).key)
	}
}

func (p *Provider) fromBulk(ctx context.Context, flag string, flat openfeature.FlattenedContext) item {
	// encoding/json sorts map keys, so equal contexts share one entry
	canonical, err := json.Marshal(map[string]any(flat))
	if err != nil {
		return failedItem(failure{"INVALID_CONTEXT", fmt.Sprintf("the evaluation context is not JSON: %v", err)})
	}
	entry, generation := p.cache.get(string(canonical))
	if entry == nil || entry.generation != generation {
		headers := map[string]string{}
		if entry != nil && entry.etag != "" {
			headers["If-None-Match"] = entry.etag
		}
		a, err := p.transport.post(ctx, "/ofrep/v1/evaluate/flags", map[string]any{"context": map[string]any(flat)}, headers)
		switch {
		case err != nil:
			return failedItem(failureOfError(err))
		case a.status == 304 && entry != nil:
			entry = &bulkEntry{key: entry.key, etag: entry.etag, generation: generation, items: entry.items}
		case a.status == 200:
			entry = &bulkEntry{key: string(canonical), etag: a.etag, generation: generation, items: itemsOf(a.body)}
		default:
			return failedItem(failureOf(a))
		}
		p.cache.put(entry)
	}
	if it, ok := entry.items[flag]; ok {
		return it
	}
	return failedItem(failure{"FLAG_NOT_FOUND", fmt.Sprintf("flag %q not found", flag)})
}

func itemsOf(body any) map[string]item {
	items := map[string]item{}
	o, _ := body.(map[string]any)
	flags, _ := o["flags"].([]any)
	for _, raw := range flags {
		if f, ok := raw.(map[string]any); ok {
			if key, ok := f["key"].(string); ok {
				items[key] = itemOf(f)
			}
		}
	}
	return items
}

func pathEscape(key string) string { return url.PathEscape(key) }
