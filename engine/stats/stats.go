// Package stats holds the statistics of the annual report: the spread of points within a
// branch (gonum/stat) and the branch ranking by a composite index weighted with the entropy
// weight method (熵权法). Pure functions over slices: no SQL, no spreadsheets.
package stats

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/stat"
)

// Spread of a branch's totals (points): mean, median, lower and upper quartiles and the sample
// standard deviation (0 for a single member). All NaN for no members. The median and quartiles
// are those of Excel's and WPS's MEDIAN and QUARTILE.INC (linear interpolation between the
// closest ranks: h = (n−1)p, x[⌊h⌋] + (h−⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋])), so that a clerk checking
// 附件6 in a spreadsheet gets the same numbers: the median of an even count is the mean of the
// middle two.
type Spread struct {
	Mean, Median, Q1, Q3, StdDev float64
}

// Describe computes the Spread of totals (points); the slice is not changed.
func Describe(totals []float64) Spread {
	if len(totals) == 0 {
		n := math.NaN()
		return Spread{n, n, n, n, n}
	}
	x := append([]float64(nil), totals...)
	sort.Float64s(x)
	s := Spread{
		Mean:   stat.Mean(x, nil),
		Median: quantileInc(0.5, x),
		Q1:     quantileInc(0.25, x),
		Q3:     quantileInc(0.75, x),
	}
	if len(x) > 1 {
		s.StdDev = stat.StdDev(x, nil)
	}
	return s
}

// quantileInc is the p-quantile of sorted x as QUARTILE.INC computes it.
func quantileInc(p float64, x []float64) float64 {
	h := float64(len(x)-1) * p
	lo := int(math.Floor(h))
	if lo+1 >= len(x) {
		return x[len(x)-1]
	}
	return x[lo] + (h-float64(lo))*(x[lo+1]-x[lo])
}

// Ranking is the entropy-weight composite index of the branches: Weights[j] of indicator j
// (they sum to 1), Scores[i] of branch i (0–1: Σ_j weight × min-max normalised value), and
// Rank[i] (1 = best; ties share the better rank).
type Ranking struct {
	Weights []float64
	Scores  []float64
	Rank    []int
}

// EntropyRank ranks m branches on n indicators, values[i][j] for branch i and indicator j, all
// "more is better". Each column is min-max normalised; p_ij = x'_ij / Σ_i x'_ij; the entropy
// e_j = −Σ_i p_ij ln p_ij / ln m (stat.Entropy); the weight w_j = (1 − e_j) / Σ_k (1 − e_k). A
// column where every branch is equal carries no information: weight 0. With fewer than two
// branches, or no information at all, the weights are equal. NaN values (an undefined rate)
// count as the column's minimum.
func EntropyRank(values [][]float64) Ranking {
	m := len(values)
	if m == 0 {
		return Ranking{}
	}
	n := len(values[0])
	norm := make([][]float64, m)
	for i := range norm {
		norm[i] = make([]float64, n)
	}
	d := make([]float64, n)
	for j := 0; j < n; j++ {
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := 0; i < m; i++ {
			if v := values[i][j]; !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
		if m < 2 || math.IsInf(lo, 0) || hi == lo {
			continue // no spread: no information, weight 0
		}
		sum := 0.0
		for i := 0; i < m; i++ {
			v := values[i][j]
			if math.IsNaN(v) {
				v = lo
			}
			norm[i][j] = (v - lo) / (hi - lo)
			sum += norm[i][j]
		}
		p := make([]float64, m)
		for i := range p {
			p[i] = norm[i][j] / sum
		}
		e := stat.Entropy(p) / math.Log(float64(m)) // stat.Entropy skips zero p (0·ln 0 = 0)
		d[j] = 1 - e
	}
	total := 0.0
	for _, x := range d {
		total += x
	}
	r := Ranking{Weights: make([]float64, n), Scores: make([]float64, m), Rank: make([]int, m)}
	for j := range d {
		if total > 0 {
			r.Weights[j] = d[j] / total
		} else {
			r.Weights[j] = 1 / float64(n)
		}
	}
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			r.Scores[i] += r.Weights[j] * norm[i][j]
		}
	}
	for i := range r.Rank {
		r.Rank[i] = 1
		for k := range r.Scores {
			if r.Scores[k] > r.Scores[i]+1e-12 {
				r.Rank[i]++
			}
		}
	}
	return r
}
