// parse-wmi on the corpus repositories: APTSimulator's WMI persistence (ActiveScript
// consumer "KillProcess" bound to filter "ProcessStartTrigger") and dissect.cim's default
// one; the same found by carving when the mapping files are gone or damaged; mapping files
// of Windows 7 and XP; empty and short OBJECTS.DATA. Namespaces from INDEX.BTR: a real
// index page (tests/data/wmi), the corpus repositories, a subscription moved to another
// namespace, a missing or damaged INDEX.BTR.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "../ese/ese_fixture.hpp"  // gunzip_file
#include "core/mapped_file.hpp"
#include "wmi/index_btr.hpp"
#include "wmi/instance.hpp"
#include "wmi/mapping.hpp"
#include "wmi/wmi.hpp"

namespace fs = std::filesystem;

namespace {
const fs::path kCorpus = fs::path(KK_CORPUS) / "wmi";

// Decompresses the corpus repository SUB/{OBJECTS.DATA,INDEX.BTR,MAPPING1-3.MAP}.gz into a fresh
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
const std::vector<std::string> kAll = {"OBJECTS.DATA", "INDEX.BTR", "MAPPING1.MAP", "MAPPING2.MAP",
                                       "MAPPING3.MAP"};

std::size_t count(const std::string& out, const std::string& s) {
  std::size_t n = 0;
  for (auto at = out.find(s); at != std::string::npos; at = out.find(s, at + 1)) ++n;
  return n;
}
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
      R"("class":"ActiveScriptEventConsumer","name":"KillProcess","namespace":"ROOT\\subscription","consumer_type":"active_script")"));
  // Every record's namespace, named by walking the __NAMESPACE instances down from ROOT
  // (more names than the 16 well-known ones).
  CHECK(count(p.out, R"("namespace":"ROOT\\subscription")") == 6);
  CHECK(p.sum.namespaces > 16);
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
  std::string dir = unpack(kApt, {"OBJECTS.DATA", "INDEX.BTR"});
  auto p = parse(dir + "/OBJECTS.DATA");
  CHECK(p.sum.mapping == "");
  CHECK(p.warnings == 1);  // "no MAPPING*.MAP next to it: every page is carved"
  CHECK(lines(p.out) == 6);
  // Without the map INDEX.BTR is read page by page; objects are found by record id and size.
  CHECK(count(p.out, R"("namespace":"ROOT\\subscription")") == 6);
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

TEST_CASE("wmi: a real INDEX.BTR page and its keys") {
  kk::MappedFile f;
  std::string err;
  REQUIRE(f.open(std::string(KK_TEST_DATA) + "/wmi/index_page.raw", &err));
  auto keys = kk::wmi::read_index_page(f.bytes());
  REQUIRE(keys);
  CHECK(keys->size() == 45);
  const std::string ns = "NS_" + kk::wmi::class_name_hash("ROOT\\CIMV2\\ms_409", false);
  for (const auto& k : *keys) {
    REQUIRE(k.size() == 2);  // class definitions: NS_<hash>\CD_<hash>.<page>.<id>.<size>
    CHECK(k[0] == ns);
    CHECK(k[1].rfind("CD_", 0) == 0);
    CHECK_FALSE(kk::wmi::instance_key(k));  // not an instance key
  }
  CHECK((*keys)[0][1].substr(64 + 3) == ".151.3977703067.453");

  auto ik = kk::wmi::instance_key(
      {ns, "CI_" + kk::wmi::class_name_hash("__EventFilter", false),
       "IL_" + kk::wmi::class_name_hash("x", false) + ".2703.1019643409.348"});
  REQUIRE(ik);
  CHECK(ik->ns_hash == ns.substr(3));
  CHECK(ik->page == 2703);
  CHECK(ik->record_id == 1019643409);
  CHECK(ik->size == 348);
  CHECK_FALSE(kk::wmi::instance_key({ns, "CI_x", "IL_y.1.2.3"}));
  CHECK_FALSE(kk::wmi::instance_key({ns, "CI_" + ns.substr(3), "IL_" + ns.substr(3) + ".1.2"}));

  // Damage: a cut page, a wrong signature, a key count past the page.
  auto bytes = std::vector<std::uint8_t>(f.bytes().begin(), f.bytes().end());
  CHECK_FALSE(kk::wmi::read_index_page(std::span(bytes).first(4000)));
  auto bad = bytes;
  bad[16] = 0xFF;
  bad[17] = 0xFF;
  CHECK_FALSE(kk::wmi::read_index_page(bad));
  bad = bytes;
  bad[0] = 0xDD;
  CHECK_FALSE(kk::wmi::read_index_page(bad));
}

TEST_CASE("wmi: a subscription outside ROOT/subscription shows its own namespace") {
  if (!fs::exists(kCorpus / kApt)) {
    MESSAGE("shared corpus not present, skipped");
    return;
  }
  // The index keys of ROOT\subscription are moved to ROOT\CIMV2\ms_409 (a namespace only
  // the walk down from ROOT names): the hash is rewritten in INDEX.BTR, same length.
  std::string dir = unpack(kApt, kAll);
  const std::string from = kk::wmi::class_name_hash("ROOT\\subscription", false);
  const std::string to = kk::wmi::class_name_hash("ROOT\\CIMV2\\ms_409", false);
  std::string index;
  {
    std::ifstream in(dir + "/INDEX.BTR", std::ios::binary);
    index.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::size_t moved = 0;
  for (auto at = index.find("NS_" + from); at != std::string::npos;
       at = index.find("NS_" + from, at + 1), ++moved)
    index.replace(at + 3, to.size(), to);
  REQUIRE(moved > 0);
  std::ofstream(dir + "/INDEX.BTR", std::ios::binary) << index;
  auto p = parse(dir + "/OBJECTS.DATA");
  CHECK(lines(p.out) == 6);
  CHECK(count(p.out, R"("namespace":"ROOT\\CIMV2\\ms_409")") == 6);
  CHECK(count(p.out, R"("namespace":"ROOT\\subscription")") == 0);
  fs::remove_all(dir);
}

TEST_CASE("wmi: a missing or damaged INDEX.BTR leaves namespaces null, one diagnostic") {
  if (!fs::exists(kCorpus / kApt)) {
    MESSAGE("shared corpus not present, skipped");
    return;
  }
  std::string dir = unpack(kApt, kAll);
  auto whole = parse(dir + "/OBJECTS.DATA");
  auto same_otherwise = [&](const Parsed& p) {
    CHECK(lines(p.out) == 6);
    CHECK(count(p.out, R"("namespace":null)") == 6);
    CHECK(p.warnings == 1);
    std::string a = p.out, b = whole.out;
    for (std::string* s : {&a, &b})
      for (auto at = s->find("\"namespace\":"); at != std::string::npos;
           at = s->find("\"namespace\":", at + 1))
        s->erase(at, s->find(',', at) - at);
    CHECK(a == b);
  };
  SUBCASE("cut inside its first page") {
    fs::resize_file(dir + "/INDEX.BTR", 4000);
    same_otherwise(parse(dir + "/OBJECTS.DATA"));
  }
  SUBCASE("zeroed") {
    std::ofstream(dir + "/INDEX.BTR", std::ios::binary) << std::string(8192 * 4, '\0');
    same_otherwise(parse(dir + "/OBJECTS.DATA"));
  }
  SUBCASE("missing") {
    fs::remove(dir + "/INDEX.BTR");
    same_otherwise(parse(dir + "/OBJECTS.DATA"));
  }
  fs::remove_all(dir);
}
