package handlers

import "strconv"

// bodyLimitString writes a byte count the way Echo's BodyLimit middleware parses it.
func bodyLimitString(n int64) string {
	if n <= 0 {
		n = 1 << 20
	}
	return strconv.FormatInt(n, 10) + "B"
}
