// Package faults holds the fault-injection tests of Qianfa; it has no code of its own.
//
// The tests build the qianfa binary and run it as a real process against a database
// they start themselves — a throwaway MariaDB server (mariadb-install-db into a
// temporary directory, mariadbd on a free port) or a SQLite file — and then break
// things underneath it:
//
//   - the database stopped and started again while requests flow: /readyz and every
//     API call answer 503 unavailable promptly, and the same process recovers;
//   - the server killed with SIGKILL in the middle of a stream of transitions: after a
//     restart every report's state and version agree with its audit events, and
//     `qianfa audit verify` passes;
//   - a database that refuses writes (MariaDB read_only, a SQLite file that cannot
//     grow): a clear Chinese error, and nothing written in part.
//
// The shared MariaDB server of the other tests is never touched. Without mariadbd the
// MariaDB tests are skipped, or fail when CI=true.
package faults
