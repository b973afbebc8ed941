package twofactor

import (
	"context"
	"slices"
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
	// owed holds, per account (a source's kind), the marks before requests that made the
	// target send the account a message nobody has read yet, oldest first. It lives with
	// the sink, for the run.
	owed map[string][]uint64
}

func newInbox() *inbox { return &inbox{more: make(chan struct{}), owed: map[string][]uint64{}} }

// maxOwed bounds the marks kept per account: a target that never sends would otherwise make
// every request owe one more.
const maxOwed = 64

// owe records a message owed to account after mark.
func (b *inbox) owe(account string, mark uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	o := append(b.owed[account], mark)
	slices.Sort(o)
	if len(o) > maxOwed {
		o = o[len(o)-maxOwed:]
	}
	b.owed[account] = o
}

// takeOwed returns and forgets what is owed to account.
func (b *inbox) takeOwed(account string) []uint64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	o := b.owed[account]
	delete(b.owed, account)
	return o
}

// paid forgets the oldest mark owed to account that the message seq, read as its code, came
// after: that message pays its request.
func (b *inbox) paid(account string, seq uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	o := b.owed[account]
	if len(o) > 0 && o[0] < seq {
		b.owed[account] = o[1:]
	}
}

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
