package model

import (
	"fmt"
	"slices"
)

// GroupJudgement is the model's word on the answers of a group of operations released
// together: explained when some order of the group, run one after the other from the state
// before it, allows every answer (linearizability against the model).
type GroupJudgement struct {
	// Judgements are, per operation of the group (in the group's order), the judgement of the
	// order shown: the first order that explains the answers, or, when none does, the one
	// that explains the most of them before its discrepancy (the first such in lexicographic
	// order, the group's own order first).
	Judgements []Judgement
	// Order is that order, as indices into the group.
	Order []int
	// Failed is the index of the operation whose answer the order shown cannot explain, -1
	// when some order explains them all.
	Failed int
	// Orders counts the orders tried; Explaining those that explain every answer.
	Orders, Explaining int
}

// OK says some order of the group explains its answers.
func (g GroupJudgement) OK() bool { return g.Failed < 0 }

// Group judges the answers as to ops, operations released together, and moves the state on
// by them. Each order of the group (all of them: a group has at most 4 operations, 24
// orders) is run from a copy of the state; the answers are explained when one order allows
// them all. The state after is the merge of the states every explaining order reaches: a
// token live in all of them stays live, one ended in all of them stays ended (by the rule
// they agree on, else by a reading), and a token live in some and ended in others is in
// doubt, so its next use may settle either way. The merge allows every answer one of the
// explaining orders allows, and some more (it forgets which tokens' fates go together):
// the model never fails a target that some order explains.
//
// A Probe or Logout picks its token from the state before the group, as the requests are
// built then: a login in the same group cannot have issued it. ops must hold no Clock, and
// none whose token Pick would not find.
func (s *State) Group(ops []Op, as []Answer) GroupJudgement {
	ops = slices.Clone(ops)
	for i, op := range ops {
		if op.Kind == Probe || op.Kind == Logout {
			ops[i].Token, ops[i].Of = slices.Index(s.tokens, s.Pick(op)), 0
		}
	}
	base := s.step
	g := GroupJudgement{Failed: -1}
	var explained []*State
	best := -1
	for _, order := range Orders(len(ops)) {
		g.Orders++
		c := s.clone()
		js := make([]Judgement, len(ops))
		done, failed := 0, -1
		for _, i := range order {
			c.step = base + i // Step numbers the operation by its place in the sequence
			js[i] = c.Step(ops[i], as[i])
			if !js[i].OK {
				failed = i
				break
			}
			done++
		}
		if failed < 0 {
			c.step = base + len(ops)
			// Tokens in the order of the logins in the sequence, whichever order issued them.
			slices.SortStableFunc(c.tokens[len(s.tokens):], func(a, b *Token) int { return a.Step - b.Step })
			explained = append(explained, c)
			g.Explaining++
			if g.Explaining == 1 {
				g.Judgements, g.Order, g.Failed = js, order, -1
			}
			continue
		}
		if g.Explaining == 0 && done > best {
			best = done
			for _, i := range order[done+1:] {
				js[i] = Judgement{OK: true, Allowed: "not judged: this order fails before it"}
			}
			g.Judgements, g.Order, g.Failed = js, order, failed
		}
	}
	if g.Explaining == 0 {
		s.step = base + len(ops)
		return g
	}
	s.merge(explained, base, len(ops))
	return g
}

// merge makes s the merge of the states cs, which were copies of s moved on by different
// orders of the group of n operations after step base.
func (s *State) merge(cs []*State, base, n int) {
	first := cs[0]
	s.step, s.now = first.step, first.now
	for a := range s.acted {
		for _, c := range cs {
			s.acted[a] = max(s.acted[a], c.acted[a])
		}
	}
	for i := range s.foreign {
		s.foreign[i] = slices.ContainsFunc(cs, func(c *State) bool { return c.foreign[i] })
	}
	for i := len(s.tokens); i < len(first.tokens); i++ {
		t := *first.tokens[i]
		s.tokens = append(s.tokens, &t)
	}
	for i, t := range s.tokens {
		f := first.tokens[i]
		live, dead, ended := 0, 0, f.Ended
		for _, c := range cs {
			switch c.tokens[i].Life {
			case Live:
				live++
			case Dead:
				dead++
				if c.tokens[i].Ended != f.Ended {
					ended = ""
				}
			}
			t.LastUse = max(t.LastUse, c.tokens[i].LastUse)
		}
		switch {
		case live == len(cs):
			t.Life, t.Kept, t.KeptBy = Live, f.Kept, f.KeptBy
		case dead == len(cs):
			t.Life, t.Ended, t.Why = Dead, ended, f.Why
		default:
			t.Life, t.Ended, t.Why = Doubt, "", fmt.Sprintf("steps %d-%d were released together, and the orders that explain their answers leave it live in some and ended in others", base+1, base+n)
		}
	}
}

// clone copies s deeply: its tokens are its own.
func (s *State) clone() *State {
	c := *s
	c.tokens = make([]*Token, len(s.tokens))
	for i, t := range s.tokens {
		u := *t
		c.tokens[i] = &u
	}
	c.foreign = slices.Clone(s.foreign)
	c.acted = slices.Clone(s.acted)
	return &c
}

// Orders lists the orders of n operations in lexicographic order, the identity first.
func Orders(n int) [][]int {
	var out [][]int
	var walk func(prefix []int, rest []int)
	walk = func(prefix, rest []int) {
		if len(rest) == 0 {
			out = append(out, slices.Clone(prefix))
			return
		}
		for i, x := range rest {
			walk(append(prefix, x), slices.Concat(rest[:i], rest[i+1:]))
		}
	}
	rest := make([]int, n)
	for i := range rest {
		rest[i] = i
	}
	walk(nil, rest)
	return out
}
