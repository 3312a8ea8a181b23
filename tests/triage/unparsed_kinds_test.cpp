// Every kind of a CDIR-C bundle is parsed or named with the reason (#17): the kinds triage
// has no parser for give one info diagnostic each, naming the first file and the count.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "../test_util.hpp"
#include "triage/parse_stage.hpp"

TEST_CASE("kinds triage does not parse are named once each, with the reason") {
  std::vector<kk::cdir::ManifestEntry> entries;
  auto add = [&](const char* source, kk::cdir::Kind kind) {
    kk::cdir::ManifestEntry e;
    e.source = source;
    e.path = std::string("/nonexistent/") + source;  // never opened: no parser reads them
    e.kind = kind;
    entries.push_back(e);
  };
  add("NTFS/C_$SECURE-$SDS", kk::cdir::Kind::kSecureSds);
  add("RAM_PC01.raw", kk::cdir::Kind::kMemory);
  add("Misc/a.bin", kk::cdir::Kind::kOther);
  add("Misc/b.bin", kk::cdir::Kind::kOther);
  const std::string dir = kk_test::temp_dir();
  kk::Diagnostics diag("triage");
  diag.set_stderr_limit(0);
  REQUIRE(diag.open_jsonl(dir + "/diag.jsonl", nullptr));
  kk::triage::ParseOptions o;
  const kk::triage::ParseCounts c =
      kk::triage::parse_bundle(entries, o, diag, [](std::string_view) {});
  CHECK(c.unparsed_files == 4);
  diag.flush();
  std::ifstream in(diag.jsonl_path());
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text.find("1 secure_sds file(s) not parsed: $SECURE:$SDS") != std::string::npos);
  CHECK(text.find("1 memory file(s) not parsed: memory images") != std::string::npos);
  CHECK(text.find("2 other file(s) not parsed: no known CDIR-C artifact") != std::string::npos);
  CHECK(text.find("Misc/a.bin") != std::string::npos);
  CHECK(diag.warnings() == 0);
  diag.finish();
}
