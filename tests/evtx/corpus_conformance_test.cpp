// Corpus conformance: every .evtx of ../shared/corpus/evtx against the reference
// tools. Where evtxexport and python-evtx agree, the same records with the same
// record ids, event ids, times, channels, computers and EventData values
// (digest of the normalized lines of evtxexport's XML, tests/data/evtx/
// corpus_reference.tsv); where they disagree or fail, at least the better count.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <simdjson.h>

#include "normalize.hpp"

namespace {

struct Ref {
  std::size_t records = 0;
  std::uint64_t digest = 0;
};

// Files where parse-evtx reads more than both reference tools, checked by hand
// (make_reference.py shows every reference record among ours):
const std::map<std::string, std::string> kReadsMore = {
    // chunk 0 holds a record whose size fields are 0; both tools drop the whole chunk
    {"evtx/omerbenamram-evtx/sample-with-zero-data-size-event.evtx", "chunk 0 read too"},
    // the trailing partial chunk (64,832 bytes) still holds 89 whole records
    {"evtx/plaso/System2.evtx", "truncated last chunk read too"},
};

// Where python-evtx's count is higher but its extra record is garbage: the last
// record of HelloForBusiness is half-written (all-zero values, no size copy).
const std::map<std::string, std::size_t> kBetterIsWrong = {
    {"evtx/omerbenamram-evtx/Microsoft-Windows-HelloForBusiness%4Operational.evtx", 5},
};

std::size_t leading_number(const std::string& s) {
  return static_cast<std::size_t>(std::strtoull(s.c_str(), nullptr, 10));
}

}  // namespace

TEST_CASE("corpus conformance with evtxexport and python-evtx") {
  std::string corpus = KK_CORPUS;
  if (!std::filesystem::exists(corpus + "/evtx_reference_counts.tsv")) {
    MESSAGE("corpus not found at " << corpus << ": skipped");
    return;
  }
  std::map<std::string, Ref> refs;
  {
    std::ifstream in(std::string(KK_TEST_DATA) + "/evtx/corpus_reference.tsv");
    for (std::string l; std::getline(in, l);) {
      if (l.empty() || l[0] == '#') continue;
      std::istringstream ls(l);
      std::string file, n, d;
      std::getline(ls, file, '\t');
      std::getline(ls, n, '\t');
      std::getline(ls, d, '\t');
      refs[file] = {leading_number(n), std::strtoull(d.c_str(), nullptr, 16)};
    }
  }
  std::ifstream tsv(corpus + "/evtx_reference_counts.tsv");
  std::string line;
  std::getline(tsv, line);  // header
  std::size_t files = 0, agree_files = 0, agree_equal = 0, other_files = 0, other_ok = 0;
  std::size_t ours_total = 0, ref_total = 0, better_total = 0;
  std::printf("\n%-70s %8s %8s %8s  %s\n", "file (references disagree or fail)", "libevtx",
              "pyevtx", "ours", "verdict");
  while (std::getline(tsv, line)) {
    std::istringstream ls(line);
    std::string rel, size, a, b;
    std::getline(ls, rel, '\t');
    std::getline(ls, size, '\t');
    std::getline(ls, a, '\t');
    std::getline(ls, b, '\t');
    CAPTURE(rel);
    ++files;
    auto p = kk_evtx_test::parse(corpus + "/" + rel);
    CHECK(p.errors == 0);
    std::size_t ours = p.stats.records;
    ours_total += ours;
    std::size_t na = leading_number(a), nb = leading_number(b);
    bool clean = a == b && a.find_first_not_of("0123456789") == std::string::npos;
    auto ref = refs.find(rel);
    if (clean && ref != refs.end()) {
      ++agree_files;
      ref_total += ref->second.records;
      if (kReadsMore.count(rel)) {
        CHECK(ours > ref->second.records);
        ++agree_equal;
        std::printf("%-70.70s %8zu %8zu %8zu  more (%s)\n", rel.c_str() + 5, na, nb, ours,
                    kReadsMore.at(rel).c_str());
        continue;
      }
      auto lines = kk_evtx_test::normalized_lines(p.jsonl);
      bool same =
          lines.size() == ref->second.records && kk_evtx_test::fnv1a(lines) == ref->second.digest;
      CHECK_MESSAGE(same,
                    "records differ from evtxexport: run tests/evtx/make_reference.py --compare");
      agree_equal += same;
    } else {
      ++other_files;
      std::size_t better = std::max(na, nb);
      if (auto w = kBetterIsWrong.find(rel); w != kBetterIsWrong.end()) better = w->second;
      better_total += better;
      bool ok = ours >= better;
      CHECK(ok);
      other_ok += ok;
      std::printf("%-70.70s %8s %8s %8zu  %s\n", rel.c_str() + 5, a.c_str(), b.c_str(), ours,
                  ok ? (ours > better ? "more" : "same") : "FEWER");
    }
  }
  std::printf(
      "\nfiles: %zu; references agree on %zu, parse-evtx identical on %zu (%.1f%%); "
      "others: %zu, at least the better count on %zu\n",
      files, agree_files, agree_equal, agree_files ? 100.0 * agree_equal / agree_files : 0.0,
      other_files, other_ok);
  std::printf(
      "records: parse-evtx %zu; reference (agreeing files) %zu; better of the two on the "
      "others %zu\n",
      ours_total, ref_total, better_total);
}

TEST_CASE("parallel output is identical to sequential output, in file order") {
  std::string corpus = KK_CORPUS;
  std::string file = corpus + "/evtx/omerbenamram-evtx/sample_with_a_bad_chunk_magic.evtx";
  if (!std::filesystem::exists(file)) {
    MESSAGE("corpus not found: skipped");
    return;
  }
  kk::evtx::Options opt;
  opt.recover = true;
  opt.xml = true;
  opt.jobs = 1;
  auto one = kk_evtx_test::parse(file, opt);
  opt.jobs = 4;
  auto four = kk_evtx_test::parse(file, opt);
  CHECK(one.stats.records > 0);
  CHECK(one.jsonl == four.jsonl);
  CHECK(one.warnings == four.warnings);
}

// `time` is the event's own System/TimeCreated/@SystemTime (issue #20): on every record of
// every corpus file, the JSON `time` equals the SystemTime the --xml rendering shows, cut to
// microseconds (XML keeps Windows' 7 or 9 fractional digits, JSON has 6).
TEST_CASE("corpus conformance: time is the rendered TimeCreated on every record") {
  std::string corpus = KK_CORPUS;
  if (!std::filesystem::exists(corpus + "/evtx")) {
    MESSAGE("corpus not found at " << corpus << ": skipped");
    return;
  }
  std::size_t files = 0, records = 0, compared = 0, header_differs = 0;
  simdjson::dom::parser jp;
  for (const auto& e : std::filesystem::recursive_directory_iterator(corpus + "/evtx")) {
    if (e.path().extension() != ".evtx") continue;
    ++files;
    kk::evtx::Options opt;
    opt.xml = true;
    opt.recover = true;
    auto p = kk_evtx_test::parse(e.path().string(), opt);
    std::istringstream in(p.jsonl);
    for (std::string l; std::getline(in, l);) {
      ++records;
      simdjson::dom::element r = jp.parse(l);
      std::string_view xml = r["xml"].get_string().value();
      const std::string_view tag = "<TimeCreated SystemTime=\"";
      auto at = xml.find(tag);
      if (at == std::string_view::npos) continue;
      std::string_view shown = xml.substr(at + tag.size());
      shown = shown.substr(0, shown.find('"'));
      if (shown.size() < 20) continue;  // no time (an empty or damaged value)
      std::string expected(shown.substr(0, std::min<std::size_t>(26, shown.size() - 1)));
      if (expected.size() == 19) expected += ".";
      expected.resize(26, '0');
      expected += 'Z';
      ++compared;
      std::string_view time;
      CHECK_MESSAGE(r["time"].get(time) == simdjson::SUCCESS, e.path().string());
      CHECK_MESSAGE(time == expected, e.path().string()
                                          << " @" << r["offset"].get_uint64().value());
      header_differs += r["record_time"].error() == simdjson::SUCCESS;
    }
  }
  std::printf(
      "\nTimeCreated: %zu files, %zu records, %zu with a TimeCreated, all equal `time`; "
      "%zu with a different header time (record_time)\n",
      files, records, compared, header_differs);
  CHECK(compared > 30000);
}
