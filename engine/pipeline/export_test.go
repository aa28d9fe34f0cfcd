package pipeline

// SetKeepCells sets how many cells Import keeps between classifying files and importing them,
// for tests; the returned function restores it.
func SetKeepCells(n int) func() {
	old := keepCells
	keepCells = n
	return func() { keepCells = old }
}
