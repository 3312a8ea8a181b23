#include <doctest/doctest.h>

#include <cstdio>

#include "../test_util.hpp"
#include "core/diagnostics.hpp"

TEST_CASE("diagnostics: location format, JSONL records and exit status") {
  CHECK(kk::format_location("Security.evtx", 0x1a2000) == "Security.evtx@0x1a2000");
  CHECK(kk::format_location("x", std::nullopt) == "x");
  std::string path = kk_test::temp_file();
  {
    kk::Diagnostics d("parse-evtx");
    REQUIRE(d.open_jsonl(path, nullptr));
    d.set_stderr_limit(0);
    d.warning("a.evtx", 4096, "chunk 1: bad \"magic\"");
    CHECK(d.exit_code(false) == 0);
    CHECK(d.exit_code(true) == 1);
    d.unreadable("b.evtx", "No such file");
    CHECK(d.exit_code(false) == 1);
    d.finish();
  }
  CHECK(kk_test::read_file(path) ==
        "{\"tool\":\"parse-evtx\",\"file\":\"a.evtx\",\"offset\":4096,\"severity\":\"warning\","
        "\"message\":\"chunk 1: bad \\\"magic\\\"\"}\n"
        "{\"tool\":\"parse-evtx\",\"file\":\"b.evtx\",\"offset\":null,\"severity\":\"error\","
        "\"message\":\"No such file\"}\n");
  std::remove(path.c_str());
}

TEST_CASE("diagnostics: a holding one keeps its reports; tell() reports them in their order") {
  std::string path = kk_test::temp_file();
  {
    kk::Diagnostics d("triage");
    REQUIRE(d.open_jsonl(path, nullptr));
    d.set_stderr_limit(0);
    kk::Diagnostics second("triage", kk::Diagnostics::Hold{}),
        first("triage", kk::Diagnostics::Hold{});
    second.warning("b.pf", std::nullopt, "second file");  // a thread that finished first
    first.info("a.pf", 16, "first file");
    first.unreadable("a2.pf", "gone");
    CHECK(first.warnings() + first.errors() == 0);  // held, not counted
    d.tell(first.take_notes());
    d.tell(second.take_notes());
    CHECK(first.take_notes().empty());
    CHECK(d.warnings() == 1);
    CHECK(d.errors() == 1);
    d.finish();
  }
  CHECK(kk_test::read_file(path) ==
        "{\"tool\":\"triage\",\"file\":\"a.pf\",\"offset\":16,\"severity\":\"info\","
        "\"message\":\"first file\"}\n"
        "{\"tool\":\"triage\",\"file\":\"a2.pf\",\"offset\":null,\"severity\":\"error\","
        "\"message\":\"gone\"}\n"
        "{\"tool\":\"triage\",\"file\":\"b.pf\",\"offset\":null,\"severity\":\"warning\","
        "\"message\":\"second file\"}\n");
  std::remove(path.c_str());
}
