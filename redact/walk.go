package redact

import (
	"reflect"
)

// Walk masks, in place, every string and []byte reachable from v through exported struct
// fields, pointers, interfaces, slices, arrays and map values: a report before it is encoded,
// whatever fields it grows later. v must be a pointer for its own fields to change. Map keys
// and unexported fields are left as they are.
func (r *Redactor) Walk(v any) {
	m := r.matcher()
	if m == nil || v == nil {
		return
	}
	w := walker{m: m, seen: map[seenKey]bool{}}
	w.walk(reflect.ValueOf(v))
}

type walker struct {
	m    *matcher
	seen map[seenKey]bool // pointers visited, so that a cycle ends
}

type seenKey struct {
	p uintptr
	t reflect.Type
}

func (w *walker) walk(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		k := seenKey{v.Pointer(), v.Type()}
		if w.seen[k] {
			return
		}
		w.seen[k] = true
		w.walk(v.Elem())
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		e := v.Elem()
		if e.Kind() == reflect.Pointer || !v.CanSet() {
			w.walk(e) // a pointer's target is addressable; any other value is a copy
			return
		}
		c := reflect.New(e.Type()).Elem()
		c.Set(e)
		w.walk(c)
		v.Set(c)
	case reflect.Struct:
		t := v.Type()
		for i := range v.NumField() {
			if t.Field(i).IsExported() {
				w.walk(v.Field(i))
			}
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			if v.CanSet() && !v.IsNil() {
				s := string(v.Bytes())
				if out := w.m.replace(s); out != s {
					v.SetBytes([]byte(out))
				}
			}
			return
		}
		for i := range v.Len() {
			w.walk(v.Index(i))
		}
	case reflect.Array:
		for i := range v.Len() {
			w.walk(v.Index(i))
		}
	case reflect.Map:
		if v.IsNil() || !v.CanInterface() {
			return
		}
		it := v.MapRange()
		for it.Next() {
			c := reflect.New(it.Value().Type()).Elem()
			c.Set(it.Value())
			w.walk(c)
			v.SetMapIndex(it.Key(), c)
		}
	case reflect.String:
		if v.CanSet() {
			s := v.String()
			if out := w.m.replace(s); out != s {
				v.SetString(out)
			}
		}
	}
}
