package component

import "testing"

// TestCheckSemver: versions in import and export names are Semantic
// Versioning 2.0.0, strictly.
func TestCheckSemver(t *testing.T) {
	good := []string{"0.2.0", "0.2.12", "1.0.0-rc.1", "0.3.0-rc-2025-09-16", "1.2.3+build.7", "1.0.0-alpha.0+x"}
	bad := []string{"", ".", "1.", "1.2", "a.2.0", "2.b.0", "2.0x0.0", "01.0.0", "1.0.0+", "1.0.0-", "1.0.0-01", "1.0.0-a..b", "1.0.0 "}
	for _, v := range good {
		if err := checkSemver(v); err != nil {
			t.Errorf("%q: %v", v, err)
		}
	}
	for _, v := range bad {
		if checkSemver(v) == nil {
			t.Errorf("%q accepted", v)
		}
	}
}
