// libFuzzer target for `cases init`'s intake check: CASE.json text (any bytes) against a
// folder name and a clock, every field's problem listed, nothing thrown.
#include <cstddef>
#include <cstdint>
#include <string>

#include "cases/intake.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto check = kk::cases::check_intake(text, "KK-SAMPLE-0001", 1569380400000000LL, "Asia/Tokyo");
  (void)check.value.deletion_date();
  return 0;
}
