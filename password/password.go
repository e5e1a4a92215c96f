// Package password hashes and checks user passwords with argon2id. Only the hash, with
// its salt and parameters, is ever stored.
package password

import (
	"errors"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"
)

// params follow OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane): slow enough to make
// guessing costly, small enough that a burst of logins does not exhaust a replica's memory.
var params = &argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// MinLength is the shortest password accepted, in characters.
const MinLength = 8

// ErrTooShort and ErrTooLong describe passwords that are refused.
var (
	ErrTooShort = errors.New("密码至少需要 8 个字符")
	ErrTooLong  = errors.New("密码不能超过 128 个字符")
)

// Validate checks a new password's length.
func Validate(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinLength:
		return ErrTooShort
	case n > 128:
		return ErrTooLong
	}
	return nil
}

// Hash returns the argon2id hash of pw in the PHC string format.
func Hash(pw string) (string, error) {
	return argon2id.CreateHash(pw, params)
}

// dummy is compared against when a username does not exist, so that the answer takes
// as long as for a wrong password and does not reveal which usernames exist.
var dummy, _ = argon2id.CreateHash("qianfa-no-such-user", params)

// Verify reports whether pw matches hash. An empty or malformed hash never matches, but
// still costs one hash computation.
func Verify(pw, hash string) bool {
	if hash == "" {
		hash = dummy
	}
	ok, err := argon2id.ComparePasswordAndHash(pw, hash)
	if err != nil {
		_, _ = argon2id.ComparePasswordAndHash(pw, dummy)
		return false
	}
	return ok
}
