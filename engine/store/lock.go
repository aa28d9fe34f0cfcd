package store

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ErrLocked is matched (errors.Is) by every *LockedError.
var ErrLocked = errors.New("数据库正被另一个 jifen 进程使用")

// LockedError says that another process has the database open: DuckDB lets one process write a
// database file at a time (or several only read it), and takes a file lock to ensure it.
type LockedError struct {
	Path string
	// PID is the process holding the lock, as DuckDB reports it (0 if it did not say), and
	// Program its executable.
	PID     int
	Program string
	Waited  time.Duration // how long OpenWait waited for it
}

func (e *LockedError) Error() string {
	what := []string{filepath.Base(e.Path)}
	if e.PID != 0 {
		what = append(what, "PID "+strconv.Itoa(e.PID))
	}
	if e.Waited > 0 {
		what = append(what, fmt.Sprintf("已等待 %s", seconds(e.Waited)))
	}
	return "数据库正被另一个 jifen 进程使用（" + strings.Join(what, "，") + "）：请等它结束后再运行"
}

// Is makes errors.Is(err, ErrLocked) true.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }

func seconds(d time.Duration) string {
	if d < 10*time.Second {
		return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + " 秒"
	}
	return strconv.Itoa(int(d.Round(time.Second).Seconds())) + " 秒"
}

// reLock matches DuckDB's message for a database another process holds, e.g.
// IO Error: Could not set lock on file "/x/jifen.duckdb": Conflicting lock is held in
// /usr/local/bin/jifen (PID 18123). See also https://duckdb.org/docs/stable/connect/concurrency
var (
	reLock   = regexp.MustCompile(`Could not set lock on file`)
	reHolder = regexp.MustCompile(`Conflicting lock is held in (.*?) \(PID (\d+)\)`)
)

// openError turns DuckDB's error on opening a database into jifen's: a *LockedError when
// another process holds it, otherwise 无法打开数据库 with DuckDB's message.
func openError(path string, err error) error {
	msg := err.Error()
	if reLock.MatchString(msg) {
		e := &LockedError{Path: path}
		if m := reHolder.FindStringSubmatch(msg); m != nil {
			e.Program = m[1]
			e.PID, _ = strconv.Atoi(m[2])
		}
		return e
	}
	return fmt.Errorf("无法打开数据库 %s：%v", path, err)
}

// lockPoll is how often OpenWait tries again.
const lockPoll = 100 * time.Millisecond

// OpenWait is Open that, when another process has the database open, tries again until it is
// free or wait has passed; then the error is the *LockedError, saying how long it waited.
func OpenWait(path string, wait time.Duration) (*Store, error) {
	return retryLocked(wait, func() (*Store, error) { return Open(path) })
}

// OpenReadOnlyWait is OpenReadOnly that waits like OpenWait.
func OpenReadOnlyWait(path string, wait time.Duration) (*Store, error) {
	return retryLocked(wait, func() (*Store, error) { return OpenReadOnly(path) })
}

func retryLocked(wait time.Duration, open func() (*Store, error)) (*Store, error) {
	start := time.Now()
	for {
		s, err := open()
		var le *LockedError
		if err == nil || !errors.As(err, &le) || wait <= 0 {
			return s, err
		}
		if waited := time.Since(start); waited >= wait {
			le.Waited = waited
			return nil, le
		}
		time.Sleep(min(lockPoll, wait-time.Since(start)+time.Millisecond))
	}
}
