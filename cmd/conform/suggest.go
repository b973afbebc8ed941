package main

// nearest keeps, of cobra's suggestions for a mistyped word, those at the least edit distance
// counting a swap of two neighbouring letters as one edit: "lsit" suggests list, not also
// init (cobra counts the swap as two).
func nearest(word string, suggestions []string) []string {
	best, out := -1, []string(nil)
	for _, s := range suggestions {
		switch d := editDistance(word, s); {
		case best < 0 || d < best:
			best, out = d, []string{s}
		case d == best:
			out = append(out, s)
		}
	}
	return out
}

// editDistance is the optimal string alignment distance: insertions, deletions, substitutions
// and swaps of adjacent letters, each one edit.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range rb {
		d[0][j+1] = j + 1
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
