// libFuzzer: fuzz_registry_hive's harness on inputs up to 64 KiB (scripts/fuzz.sh gives it
// -max_len=65536). Its cost is the hive's size (every key and value rendered by the raw
// dump), so small hives run about three times as many inputs per CPU second; the 256 KiB
// target beside it keeps the edges only bigger hives reach (docs/notes/issue-23.md,
// sessions 6 and 7). Same code, included: only the input size differs.
#include "fuzz_registry_hive.cpp"  // NOLINT(bugprone-suspicious-include)
