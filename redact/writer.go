package redact

import (
	"bytes"
	"io"
	"strings"
	"sync"
)

// Writer masks secrets in what it passes on to another writer. It passes on whole lines as
// they complete, so that progress shows as it happens, and holds back the rest of a line
// (beyond maxPending bytes, all but a tail that could start a secret) until it completes or
// Flush is called. A secret with a line break in it is held back until it can be seen whole.
type Writer struct {
	r   *Redactor
	w   io.Writer
	mu  sync.Mutex
	buf []byte
}

// maxPending is how much of an unfinished line a Writer holds.
const maxPending = 64 << 10

// Writer returns a Writer that masks r's secrets in what it writes to w. Call Flush when done.
func (r *Redactor) Writer(w io.Writer) *Writer { return &Writer{r: r, w: w} }

// Write takes p and passes on every line it completes, masked.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	if err := w.pass(false); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush passes on everything held, masked.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.pass(true)
}

// pass writes the part of buf no secret can straddle any more: all of it with all, else up to
// the last line end (less what a secret holding a line break could still need), or, for a
// long unfinished line, all but the longest secret's length.
func (w *Writer) pass(all bool) error {
	if len(w.buf) == 0 {
		return nil
	}
	m := w.r.matcher()
	cut := len(w.buf)
	if !all && m != nil {
		cut = bytes.LastIndexByte(w.buf, '\n') + 1
		if len(w.buf)-cut > maxPending {
			cut = len(w.buf) - m.maxLen + 1
		}
		if m.maxNL > 0 {
			cut = min(cut, len(w.buf)-m.maxNL+1)
		}
		if cut <= 0 {
			return nil
		}
	}
	s := string(w.buf)
	var out strings.Builder
	if m == nil {
		out.WriteString(s)
	} else {
		spans := m.spans(s)
		// A span crossing the cut is held back whole, to be found again with what follows.
		kept := spans[:0]
		for _, sp := range spans {
			if sp.from < cut && sp.to > cut {
				cut = sp.from
			}
			if sp.to <= cut {
				kept = append(kept, sp)
			}
		}
		writeMasked(&out, s[:cut], kept)
	}
	w.buf = append(w.buf[:0], w.buf[cut:]...)
	if out.Len() == 0 {
		return nil
	}
	_, err := io.WriteString(w.w, out.String())
	return err
}
