package twofactor

import (
	"context"
	"strings"
	"sync"
)

// Message is one thing a sink received: a mail or a webhook body.
type Message struct {
	// Seq numbers messages in arrival order, from 1.
	Seq uint64
	// To lists the envelope recipients of a mail; empty for a webhook.
	To []string
	// Text is what the code is extracted from: a mail's subject and decoded body, or a
	// webhook's raw body.
	Text string
}

// ForAddress reports whether the message was sent to addr (case-insensitive, as mail
// domains are and most mail systems treat local parts).
func (m Message) ForAddress(addr string) bool {
	for _, to := range m.To {
		if strings.EqualFold(strings.Trim(to, "<> "), addr) {
			return true
		}
	}
	return false
}

// inbox keeps what a sink received and wakes waiters when something arrives.
type inbox struct {
	mu   sync.Mutex
	msgs []Message
	seq  uint64
	more chan struct{} // closed and replaced on every arrival
}

func newInbox() *inbox { return &inbox{more: make(chan struct{})} }

// maxKept bounds memory when a target sends more than any run reads.
const maxKept = 1000

func (b *inbox) add(m Message) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.seq++
	m.Seq = b.seq
	b.msgs = append(b.msgs, m)
	if len(b.msgs) > maxKept {
		b.msgs = append([]Message(nil), b.msgs[len(b.msgs)-maxKept:]...)
	}
	close(b.more)
	b.more = make(chan struct{})
}

func (b *inbox) mark() uint64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.seq
}

func (b *inbox) count() uint64 { return b.mark() }

// wait returns the first message after mark that ok accepts, waiting for one until ctx ends.
func (b *inbox) wait(ctx context.Context, mark uint64, ok func(Message) bool) (Message, error) {
	next := mark
	for {
		b.mu.Lock()
		var found *Message
		for i := range b.msgs {
			m := b.msgs[i]
			if m.Seq <= next {
				continue
			}
			next = m.Seq
			if ok(m) {
				found = &m
				break
			}
		}
		more := b.more
		b.mu.Unlock()
		if found != nil {
			return *found, nil
		}
		select {
		case <-ctx.Done():
			return Message{}, ctx.Err()
		case <-more:
		}
	}
}

// Messages returns a copy of everything kept, for diagnostics and tests.
func (b *inbox) messages() []Message {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]Message(nil), b.msgs...)
}
