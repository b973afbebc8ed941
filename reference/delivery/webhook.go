package delivery

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Webhook texts codes by POSTing them, as JSON, to an SMS gateway's URL.
type Webhook struct {
	// URL receives the POST.
	URL string
	// Client sends it; nil means http.DefaultClient. Timeout applies either way.
	Client *http.Client
	// Timeout bounds the request; zero means 10 s.
	Timeout time.Duration
}

var _ Sender = Webhook{}

// webhookBody is the JSON posted for one message.
type webhookBody struct {
	To   string `json:"to"`
	User string `json:"user"`
	Code string `json:"code"`
	Text string `json:"text"`
}

// Send posts m and succeeds on any 2xx answer.
func (h Webhook) Send(ctx context.Context, m Message) error {
	body, err := json.Marshal(webhookBody{To: m.To, User: m.User, Code: m.Code, Text: m.Text})
	if err != nil {
		return errorf("sms", m, fmt.Errorf("encode: %w", err))
	}
	ctx, cancel := withTimeout(ctx, h.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(body))
	if err != nil {
		return errorf("sms", m, fmt.Errorf("webhook URL %q: %w", h.URL, err))
	}
	req.Header.Set("Content-Type", "application/json")
	client := h.Client
	if client == nil {
		client = http.DefaultClient // the context above bounds the request
	}
	resp, err := client.Do(req)
	if err != nil {
		return errorf("sms", m, fmt.Errorf("POST %s: %w", h.URL, err))
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) //nolint:errcheck // drained for connection reuse only
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return errorf("sms", m, fmt.Errorf("POST %s: HTTP %d", h.URL, resp.StatusCode))
	}
	return nil
}
