package stats

import (
	"math"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// Totals 60, 70, 80, 90, 100: mean 80; median 80 (the 3rd of 5); Q1: h = 4·0.25 = 1 → x[1] = 70;
// Q3: h = 3 → x[3] = 90; sample variance Σ(x−80)²/4 =
// (400+100+0+100+400)/4 = 250 → sd √250 = 15.8113883….
func TestDescribe(t *testing.T) {
	s := Describe([]float64{90, 60, 100, 70, 80})
	if !near(s.Mean, 80) || !near(s.Median, 80) || !near(s.Q1, 70) || !near(s.Q3, 90) || !near(s.StdDev, math.Sqrt(250)) {
		t.Errorf("Describe = %+v", s)
	}
	if s := Describe([]float64{75}); s.StdDev != 0 || s.Median != 75 {
		t.Errorf("one member: %+v", s)
	}
	// An even count, as a trial's branch: 81, 73, 67, 64.5, 58.5, 63.5 sorted 58.5 63.5 64.5 67
	// 73 81. Excel's MEDIAN: (64.5 + 67)/2 = 65.75 (the empirical quantile said 64.5). QUARTILE.INC
	// 1: h = 5·0.25 = 1.25 → 63.5 + 0.25·(64.5 − 63.5) = 63.75; 3: h = 3.75 → 67 + 0.75·(73 − 67) = 71.5.
	if s := Describe([]float64{81, 73, 67, 64.5, 58.5, 63.5}); !near(s.Median, 65.75) || !near(s.Q1, 63.75) || !near(s.Q3, 71.5) {
		t.Errorf("even count: %+v, want median 65.75, Q1 63.75, Q3 71.5", s)
	}
}

// Three branches, two indicators. Indicator 0: 90, 80, 70 → normalised 1, 0.5, 0 → p = 2/3,
// 1/3, 0 → e = −(2/3 ln 2/3 + 1/3 ln 1/3)/ln 3 = 0.5793801643 → d0 = 0.4206198357. Indicator 1:
// 50, 50, 100 → normalised 0, 0, 1 → p = 0, 0, 1 → e = 0 → d1 = 1. Weights: d/Σd = 0.2960…,
// 0.7039…. Scores: branch 0: 0.2960·1 = 0.2960; branch 1: 0.2960·0.5 = 0.1480; branch 2:
// 0.7039·1 = 0.7039 → ranks 2, 3, 1. A column where every branch is equal gets weight 0.
func TestEntropyRank(t *testing.T) {
	r := EntropyRank([][]float64{{90, 50, 7}, {80, 50, 7}, {70, 100, 7}})
	e0 := -(2.0/3*math.Log(2.0/3) + 1.0/3*math.Log(1.0/3)) / math.Log(3)
	d0, d1 := 1-e0, 1.0
	w0, w1 := d0/(d0+d1), d1/(d0+d1)
	if !near(r.Weights[0], w0) || !near(r.Weights[1], w1) || r.Weights[2] != 0 {
		t.Errorf("weights = %v, want %v, %v, 0", r.Weights, w0, w1)
	}
	if !near(r.Scores[0], w0) || !near(r.Scores[1], w0/2) || !near(r.Scores[2], w1) {
		t.Errorf("scores = %v", r.Scores)
	}
	if r.Rank[0] != 2 || r.Rank[1] != 3 || r.Rank[2] != 1 {
		t.Errorf("ranks = %v, want 2 3 1", r.Rank)
	}
}
