// parse-wmi on the corpus repositories: APTSimulator's WMI persistence (ActiveScript
// consumer "KillProcess" bound to filter "ProcessStartTrigger") and dissect.cim's default
// one; the same found by carving when the mapping files are gone or damaged; mapping files
// of Windows 7 and XP; empty and short OBJECTS.DATA.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "../ese/ese_fixture.hpp"  // gunzip_file
#include "core/mapped_file.hpp"
#include "wmi/mapping.hpp"
#include "wmi/wmi.hpp"

namespace fs = std::filesystem;

namespace {
const fs::path kCorpus = fs::path(KK_CORPUS) / "wmi";

// Decompresses the corpus repository SUB/{OBJECTS.DATA,MAPPING1-3.MAP}.gz into a fresh
// folder (only the files named in WITH).
std::string unpack(const std::string& sub, const std::vector<std::string>& with) {
  std::string dir = kk_test::temp_dir();
  for (const auto& name : with) {
    auto bytes = kk_test::gunzip_file((kCorpus / sub / (name + ".gz")).string());
    std::ofstream f(dir + "/" + name, std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  }
  return dir;
}

struct Parsed {
  kk::wmi::Summary sum;
  std::string out;
  std::uint64_t warnings = 0, errors = 0;
};

Parsed parse(const std::string& objects) {
  Parsed p;
  kk::Diagnostics diag("test");
  diag.set_stderr_limit(0);
  p.sum = kk::wmi::parse_repository(objects, "WMI/OBJECTS.DATA", {}, p.out, diag);
  p.warnings = diag.warnings();
  p.errors = diag.errors();
  return p;
}

bool has(const std::string& out, const std::string& s) {
  return out.find(s) != std::string::npos;
}

std::size_t lines(const std::string& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

const std::string kApt = "dfir-artifact-museum/Win10/APTSimulatorVM_Defender";
const std::vector<std::string> kAll = {"OBJECTS.DATA", "MAPPING1.MAP", "MAPPING2.MAP",
                                       "MAPPING3.MAP"};
}  // namespace

TEST_CASE("wmi: APTSimulator's ActiveScript persistence, read through the mapping") {
  if (!fs::exists(kCorpus / kApt)) {
    MESSAGE("shared corpus not present, skipped");
    return;
  }
  std::string dir = unpack(kApt, kAll);
  auto p = parse(dir + "/OBJECTS.DATA");
  REQUIRE(p.sum.readable);
  CHECK(p.sum.mapping != "");
  CHECK(p.sum.pages == 23937024 / 8192);
  CHECK(lines(p.out) == 6);  // two filters, two consumers, two bindings
  CHECK(p.warnings == 0);
  CHECK(has(
      p.out,
      R"("artifact":"wmi_filter","source":"WMI/OBJECTS.DATA","time":"2022-03-10T16:35:19.258492Z","class":"__EventFilter","name":"ProcessStartTrigger")"));
  CHECK(has(
      p.out,
      R"("query":"SELECT * FROM Win32_ProcessStartTrace WHERE ProcessName = 'procexp64.exe'","query_language":"WQL","event_namespace":"ROOT\\cimv2")"));
  CHECK(has(
      p.out,
      R"("class":"ActiveScriptEventConsumer","name":"KillProcess","namespace":null,"consumer_type":"active_script")"));
  CHECK(has(p.out, R"(Set oLocation = CreateObject(\"WbemScripting.SWbemLocator\"))"));
  CHECK(has(p.out, R"("scripting_engine":"VBScript","settings":{"KillTimeout":45})"));
  CHECK(has(
      p.out,
      R"("filter":"__EventFilter.Name=\"ProcessStartTrigger\"","consumer":"ActiveScriptEventConsumer.Name=\"KillProcess\"")"));
  CHECK(has(p.out, R"("creator_sid":"S-1-5-21-2212929841-2730996645-2649195864-1000")"));
  // The built-in subscription of every Windows.
  CHECK(has(p.out, R"("name":"SCM Event Log Filter")"));
  CHECK(has(p.out, R"("recovered":false)"));
  fs::remove_all(dir);
}

TEST_CASE("wmi: without its mapping files every page is carved, with the same result") {
  if (!fs::exists(kCorpus / kApt)) {
    MESSAGE("shared corpus not present, skipped");
    return;
  }
  std::string dir = unpack(kApt, {"OBJECTS.DATA"});
  auto p = parse(dir + "/OBJECTS.DATA");
  CHECK(p.sum.mapping == "");
  CHECK(p.warnings == 1);  // "no MAPPING*.MAP next to it: every page is carved"
  CHECK(lines(p.out) == 6);
  CHECK(has(p.out, R"("name":"KillProcess")"));
  CHECK(has(p.out, R"("name":"ProcessStartTrigger")"));

  // Damaged mapping files (cut in half) are not used: carving again.
  std::string dir2 = unpack(kApt, kAll);
  for (const char* m : {"MAPPING1.MAP", "MAPPING2.MAP", "MAPPING3.MAP"})
    fs::resize_file(dir2 + "/" + m, fs::file_size(dir2 + "/" + m) / 2);
  auto q = parse(dir2 + "/OBJECTS.DATA");
  CHECK(q.sum.mapping == "");
  CHECK(lines(q.out) == 6);
  fs::remove_all(dir);
  fs::remove_all(dir2);
}

TEST_CASE("wmi: dissect.cim's repository holds only the built-in subscription") {
  if (!fs::exists(kCorpus / "dissect-cim")) {
    MESSAGE("shared corpus not present, skipped");
    return;
  }
  std::string dir = unpack("dissect-cim", kAll);
  auto p = parse(dir + "/OBJECTS.DATA");
  CHECK(lines(p.out) == 3);
  CHECK(has(p.out, R"("consumer_type":"event_log")"));
  CHECK(has(
      p.out,
      R"("settings":{"Category":0,"EventType":1,"NameOfUserSIDProperty":"sid","SourceName":"Service Control Manager"})"));
  CHECK(has(p.out, R"("created":"2021-06-05T12:14:02.952806Z")"));
  fs::remove_all(dir);
}

TEST_CASE("wmi: mapping files of Windows 7 and XP") {
  const fs::path win7 = kCorpus / "flare-wmi/win7/wmikatz/MAPPING1.MAP";
  const fs::path xp = kCorpus / "flare-wmi/xp/mapping-only/MAPPING1.MAP";
  if (!fs::exists(win7)) {
    MESSAGE("shared corpus not present, skipped");
    return;
  }
  kk::MappedFile f;
  std::string err;
  REQUIRE(f.open(win7.string(), &err));
  auto m = kk::wmi::read_page_map(f.bytes(), &err);
  REQUIRE(m);
  CHECK(!m->xp);
  CHECK(m->physical.size() > 100);
  kk::MappedFile g;
  REQUIRE(g.open(xp.string(), &err));
  auto x = kk::wmi::read_page_map(g.bytes(), &err);
  REQUIRE(x);
  CHECK(x->xp);
  // Not a mapping file.
  std::vector<std::uint8_t> junk(64, 0x41);
  CHECK(!kk::wmi::read_page_map(junk, &err));
  CHECK(err.find("0xABCD") != std::string::npos);
}

TEST_CASE("wmi: empty, short and random OBJECTS.DATA") {
  std::string dir = kk_test::temp_dir();
  { std::ofstream f(dir + "/OBJECTS.DATA"); }
  auto a = parse(dir + "/OBJECTS.DATA");
  CHECK(!a.sum.readable);
  CHECK(a.errors == 1);
  {
    std::ofstream f(dir + "/OBJECTS.DATA", std::ios::binary);
    f << std::string(100, 'x');
  }
  CHECK(parse(dir + "/OBJECTS.DATA").errors == 1);
  {
    std::ofstream f(dir + "/OBJECTS.DATA", std::ios::binary);
    std::string page(8192 * 4, '\0');
    std::uint32_t x = 12345;
    for (auto& c : page) {
      x = x * 1103515245 + 12345;
      c = static_cast<char>(x >> 24);
    }
    f << page;
  }
  auto c = parse(dir + "/OBJECTS.DATA");
  CHECK(c.sum.readable);
  CHECK(c.out.empty());
  fs::remove_all(dir);
}
