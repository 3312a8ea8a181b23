// libFuzzer: fuzz_prefetch_parse's harness on inputs up to 16 KiB (scripts/fuzz.sh gives it
// -max_len=16384). A prefetch file's cost is its strings (every volume, directory and file
// name parsed and rendered): 7x the inputs per CPU second over the 20-minute corpus, 1.7x
// from the seeds; the 256 KiB target beside it keeps the edges only bigger string tables
// reach (docs/notes/issue-23.md, session 7). Same code, included: only the size differs.
#include "fuzz_prefetch_parse.cpp"  // NOLINT(bugprone-suspicious-include)
