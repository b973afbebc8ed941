package env

import (
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"github.com/conformhq/conform/client"
)

func TestScalarsWalksValuesNotKeys(t *testing.T) {
	vals, err := Scalars(&client.Response{Body: []byte(`{"k":"v","n":[1,2.5e3,{"t":true,"f":false,"z":null}],"e":{},"s":"a\nb"}`)})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range vals {
		got = append(got, v.Text)
	}
	if want := "v|1|2.5e3|true|false|null|a\nb"; strings.Join(got, "|") != want {
		t.Errorf("values %q, want %q", strings.Join(got, "|"), want)
	}
	if vals[5].Kind != gjson.Null || vals[3].Kind != gjson.True || vals[1].Kind != gjson.Number {
		t.Errorf("kinds %v", vals)
	}
}

// TestScalarsIsBoundedOnHostileAnswers: a million nested arrays and a million values each cost
// one pass, and end in an error naming conform's bound.
func TestScalarsIsBoundedOnHostileAnswers(t *testing.T) {
	for name, body := range map[string]string{
		"deep": `{"a":` + strings.Repeat("[", 1_000_000) + strings.Repeat("]", 1_000_000) + `}`,
		"wide": `[` + strings.Repeat(`1,`, 1_000_000) + `1]`,
	} {
		start := time.Now()
		_, err := Scalars(&client.Response{Body: []byte(body)})
		if err == nil || !strings.Contains(err.Error(), "conform") {
			t.Errorf("%s: %v, want an error naming conform's bound", name, err)
		}
		// One pass takes milliseconds; the recursive walk it replaced never finished the
		// deep one. The bound leaves room for the race detector on a busy machine.
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("%s: took %s", name, took)
		}
	}
}
