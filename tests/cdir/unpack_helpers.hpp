// Running unpack() in tests and looking things up in its result.
#pragma once

#include <doctest/doctest.h>

#include <string>

#include "bundle_fixture.hpp"
#include "cdir/unpack.hpp"

namespace kk_test {

struct Unpacked {
  kk::Diagnostics diag{"unpack-cdir"};
  kk::cdir::UnpackResult result;
  bool ok = false;
};

inline kk::cdir::UnpackOptions test_options() {
  kk::cdir::UnpackOptions o;
  o.min_free_bytes = 0;  // test machines may be tight; caps are tested explicitly
  o.jobs = 2;
  return o;
}

inline void run_unpack(Unpacked& u, const std::string& input, const std::string& out,
                       const kk::cdir::UnpackOptions& opts = test_options()) {
  u.diag.set_stderr_limit(20);
  u.ok = kk::cdir::unpack(input, out, opts, u.diag, u.result);
}

inline const kk::cdir::ManifestEntry* find_entry(const kk::cdir::Bundle& b,
                                                 const std::string& source) {
  for (const auto& e : b.entries)
    if (e.source == source) return &e;
  return nullptr;
}

}  // namespace kk_test
