#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

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

namespace {

// "file:message" of each JSONL record in PATH, in order.
std::vector<std::string> told(const std::string& path) {
  std::vector<std::string> out;
  std::istringstream in(kk_test::read_file(path));
  for (std::string line; std::getline(in, line);) {
    auto field = [&](const std::string& key) {
      std::size_t at = line.find("\"" + key + "\":\"") + key.size() + 4;
      return line.substr(at, line.find('"', at) - at);
    };
    out.push_back(field("file") + ":" + field("message"));
  }
  return out;
}

}  // namespace

TEST_CASE("diagnostics: a closed gate keeps reports; open_gate tells the earlier stage's first") {
  std::string path = kk_test::temp_file();
  {
    kk::Diagnostics d("triage");
    REQUIRE(d.open_jsonl(path, nullptr));
    d.set_stderr_limit(0);
    d.warning("before", std::nullopt, "0");
    d.close_gate(100, [] { FAIL("never full"); });
    d.warning("parse", std::nullopt, "1");
    d.unreadable("parse", "2");
    CHECK(d.warnings() == 1);  // kept, not counted yet
    CHECK(d.errors() == 0);
    kk::Diagnostics unpack("triage", kk::Diagnostics::Hold{});
    unpack.warning("unpack", std::nullopt, "a");
    unpack.warning("unpack", std::nullopt, "b");
    d.open_gate(unpack.take_notes());
    CHECK(d.warnings() == 4);
    CHECK(d.errors() == 1);
    d.open_gate({{kk::Severity::kInfo, "late", std::nullopt, "ignored"}});  // once only
    d.warning("after", std::nullopt, "3");
    d.finish();
  }
  CHECK(told(path) == std::vector<std::string>{"before:0", "unpack:a", "unpack:b", "parse:1",
                                               "parse:2", "after:3"});
  std::remove(path.c_str());
}

TEST_CASE("diagnostics: a full gate calls its opener once; every report told once, in order") {
  std::string path = kk_test::temp_file();
  constexpr int kThreads = 4, kEach = 500;
  int opened = 0;
  {
    kk::Diagnostics d("triage");
    REQUIRE(d.open_jsonl(path, nullptr));
    d.set_stderr_limit(0);
    d.close_gate(50, [&] {
      ++opened;                                                    // once: call_once
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the earlier stage ends
      d.open_gate({{kk::Severity::kWarning, "unpack", std::nullopt, "first"}});
    });
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i)
          d.warning("t" + std::to_string(t), std::nullopt, std::to_string(i));
      });
    for (auto& th : threads) th.join();
    CHECK(d.warnings() == kThreads * kEach + 1);
    d.finish();
  }
  CHECK(opened == 1);
  const auto lines = told(path);
  REQUIRE(lines.size() == kThreads * kEach + 1);
  CHECK(lines.front() == "unpack:first");
  std::vector<int> next(kThreads, 0);  // each thread's reports in its own order
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const int t = lines[i][1] - '0';
    CHECK(lines[i] == "t" + std::to_string(t) + ":" + std::to_string(next[t]++));
  }
  std::remove(path.c_str());
}
