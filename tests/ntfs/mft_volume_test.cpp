// parse-mft on a real NTFS volume built by tests/ntfs/make_volume.sh (mkntfs +
// ntfs-3g), checked against what sleuthkit 4.11 (fls -r -p -m, istat) says about it.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "core/time.hpp"
#include "ntfs_test_util.hpp"

namespace {

struct Fn {
  std::string name, path, created, modified, mft_modified, accessed, name_space;
  std::uint64_t parent_entry = 0;
  unsigned parent_sequence = 0;
};
struct Rec {
  std::uint64_t entry = 0;
  unsigned sequence = 0;
  bool in_use = false, is_dir = false, timestomp = false, fixup_ok = false;
  std::string path;  // empty when null
  std::uint64_t size = 0;
  std::map<std::string, std::string> si;
  std::vector<Fn> fn;
  std::map<std::string, std::uint64_t> streams;
  std::string zone;
  bool has_zone = false;
};

std::string str(simdjson::dom::element e) {
  if (e.is_null()) return "";
  return std::string(std::string_view(e.get_string().value()));
}

std::map<std::uint64_t, Rec> parse_output(const std::string& text) {
  std::map<std::uint64_t, Rec> out;
  simdjson::dom::parser p;
  for (const auto& line : ntfs_test::lines(text)) {
    simdjson::dom::element d = p.parse(line).value();
    Rec r;
    r.entry = d["entry"].get_uint64().value();
    r.sequence = static_cast<unsigned>(d["sequence"].get_uint64().value());
    r.in_use = d["in_use"].get_bool().value();
    r.is_dir = d["is_dir"].get_bool().value();
    r.path = str(d["path"]);
    r.size = d["size"].get_uint64().value();
    if (!d["si"].is_null())
      for (auto k : {"created", "modified", "mft_modified", "accessed"}) r.si[k] = str(d["si"][k]);
    for (auto f : d["fn"].get_array()) {
      Fn x{str(f["name"]),         str(f["path"]),     str(f["created"]),  str(f["modified"]),
           str(f["mft_modified"]), str(f["accessed"]), str(f["namespace"])};
      x.parent_entry = f["parent_entry"].get_uint64().value();
      x.parent_sequence = static_cast<unsigned>(f["parent_sequence"].get_uint64().value());
      r.fn.push_back(x);
    }
    for (auto s : d["streams"].get_array())
      r.streams[str(s["name"])] = s["size"].get_uint64().value();
    r.has_zone = !d["zone_identifier"].is_null();
    r.zone = str(d["zone_identifier"]);
    r.timestomp = d["timestomp_suspect"].get_bool().value();
    r.fixup_ok = d["fixup_ok"].get_bool().value();
    out[r.entry] = r;
  }
  return out;
}

// sleuthkit 4.11 renders an unset (zero) FILETIME as this value (2076-11-29 08:54:34);
// parse-mft writes null. mkntfs leaves $MFT's $STANDARD_INFORMATION times zero.
constexpr std::int64_t kSleuthkitZeroTime = 3373865674;

std::int64_t seconds(const std::string& iso) {
  if (iso.empty()) return kSleuthkitZeroTime;
  auto t = kk::parse_user_time(iso, "UTC");
  REQUIRE(t);
  return static_cast<std::int64_t>(std::floor(static_cast<double>(*t) / 1e6));
}

std::string backslashes(std::string s) {
  for (char& c : s)
    if (c == '/') c = '\\';
  return s;
}

const std::map<std::uint64_t, Rec>& volume() {
  static const std::map<std::uint64_t, Rec> recs = [] {
    auto mft = ntfs_test::gunzip(ntfs_test::data("volume.mft.gz"));
    REQUIRE(mft.size() > 0);
    kk::Diagnostics diag("test");
    return parse_output(ntfs_test::run_mft(mft, diag));
  }();
  return recs;
}

// "Created:\t2026-11-22 15:07:12.857398900 (UTC)" → "2026-11-22T15:07:12.857398Z" (our µs
// truncation).
std::string istat_time(const std::string& line) {
  const auto tab = line.find('\t');
  REQUIRE(tab != std::string::npos);
  const std::string v = line.substr(tab + 1);  // "2026-11-22 15:07:12.857398900 (UTC)"
  REQUIRE(v.size() >= 29);
  return v.substr(0, 10) + "T" + v.substr(11, 8) + "." + v.substr(20, 6) + "Z";
}

}  // namespace

TEST_CASE(
    "every fls -r -p -m line agrees with parse-mft: path, SI and FN times, sizes, streams, "
    "deletion") {
  const auto& recs = volume();
  std::ifstream body(ntfs_test::data("fls.body"));
  std::string line;
  int checked = 0, fn_lines = 0, streams = 0, deleted = 0;
  while (std::getline(body, line)) {
    // MD5|name|inode|mode|UID|GID|size|atime|mtime|ctime|crtime
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string x; std::getline(ss, x, '|');) f.push_back(x);
    REQUIRE(f.size() == 11);
    std::string name = f[1];
    if (name.rfind("/$OrphanFiles", 0) == 0)
      continue;  // sleuthkit's virtual folder and nameless entries
    const bool is_deleted =
        name.size() > 10 && name.compare(name.size() - 10, 10, " (deleted)") == 0;
    if (is_deleted) name.resize(name.size() - 10);
    const bool is_fn = name.size() > 13 && name.compare(name.size() - 13, 13, " ($FILE_NAME)") == 0;
    if (is_fn) name.resize(name.size() - 13);
    const std::uint64_t entry = std::stoull(f[2]);
    const std::string type =
        f[2].substr(f[2].find('-') + 1, f[2].find('-', f[2].find('-') + 1) - f[2].find('-') - 1);
    CAPTURE(line);
    REQUIRE(recs.count(entry) == 1);
    const Rec& r = recs.at(entry);
    CHECK(r.in_use == !is_deleted);
    deleted += is_deleted && !is_fn;
    std::string stream;
    if (auto colon = name.rfind(':'); colon != std::string::npos && colon > name.rfind('/')) {
      stream = name.substr(colon + 1);
      name.resize(colon);
    }
    const std::string path = backslashes(name);
    bool path_found = r.path == path;
    for (const auto& x : r.fn) path_found = path_found || x.path == path;
    CHECK(path_found);
    const std::int64_t atime = std::stoll(f[7]), mtime = std::stoll(f[8]), ctime = std::stoll(f[9]),
                       crtime = std::stoll(f[10]);
    if (is_fn) {
      const std::string leaf = path.substr(path.rfind('\\') + 1);
      const Fn* fn = nullptr;
      for (const auto& x : r.fn)
        if (x.name == leaf) fn = &x;
      REQUIRE(fn);
      CHECK(seconds(fn->accessed) == atime);
      CHECK(seconds(fn->modified) == mtime);
      CHECK(seconds(fn->mft_modified) == ctime);
      CHECK(seconds(fn->created) == crtime);
      ++fn_lines;
    } else {
      REQUIRE(!r.si.empty());
      CHECK(seconds(r.si.at("accessed")) == atime);
      CHECK(seconds(r.si.at("modified")) == mtime);
      CHECK(seconds(r.si.at("mft_modified")) == ctime);
      CHECK(seconds(r.si.at("created")) == crtime);
      if (type == "128" && stream.empty()) CHECK(r.size == std::stoull(f[6]));
      if (type == "128" && !stream.empty()) {
        REQUIRE(r.streams.count(stream) == 1);
        CHECK(r.streams.at(stream) == std::stoull(f[6]));
        ++streams;
      }
      CHECK(r.is_dir == (f[3][0] == 'd' || f[3].rfind("-/d", 0) == 0));
    }
    ++checked;
  }
  // The generator's content: every line was compared, including the FN lines of
  // hard links, 40+ named streams and the three deleted entries.
  MESSAGE("checked ", checked, " lines, ", fn_lines, " $FILE_NAME lines, ", streams,
          " named streams");
  CHECK(checked == 414);
  CHECK(fn_lines == 183);
  CHECK(streams == 45);  // 40 + Zone.Identifier + hidden.bin + $SDS + $Bad + $Info
  CHECK(deleted == 3);
}

TEST_CASE("istat details: full-precision times, names, parents, deletion, hard links, DOS names") {
  const auto& recs = volume();
  for (const char* e :
       {"64", "67", "68", "70", "74", "75", "76", "77", "253", "254", "255", "256"}) {
    CAPTURE(e);
    std::ifstream in(ntfs_test::data(std::string("istat/") + e + ".txt"));
    REQUIRE(in.good());
    const Rec& r = recs.at(std::stoull(e));
    std::string line, section;
    std::size_t fn_index = 0;
    while (std::getline(in, line)) {
      if (line.rfind("Entry:", 0) == 0)
        CHECK(line.find("Sequence: " + std::to_string(r.sequence)) != std::string::npos);
      if (line == "Allocated File") CHECK(r.in_use);
      if (line == "Not Allocated File") CHECK_FALSE(r.in_use);
      if (line.rfind("$STANDARD_INFORMATION Attribute Values", 0) == 0) section = "si";
      if (line.rfind("$FILE_NAME Attribute Values", 0) == 0) section = "fn", ++fn_index;
      if (line.rfind("Attributes:", 0) == 0 || line.rfind("$ATTRIBUTE_LIST", 0) == 0) section = "";
      const Fn* fn = fn_index && fn_index <= r.fn.size() ? &r.fn[fn_index - 1] : nullptr;
      if (section == "fn") REQUIRE(fn);
      if (section == "fn" && line.rfind("Name: ", 0) == 0) CHECK(fn->name == line.substr(6));
      if (section == "fn" && line.rfind("Parent MFT Entry: ", 0) == 0) {
        CHECK(line.find("Entry: " + std::to_string(fn->parent_entry) + " ") != std::string::npos);
        CHECK(line.find("Sequence: " + std::to_string(fn->parent_sequence)) != std::string::npos);
      }
      static const std::map<std::string, std::string> kKeys{{"Created:", "created"},
                                                            {"File Modified:", "modified"},
                                                            {"MFT Modified:", "mft_modified"},
                                                            {"Accessed:", "accessed"}};
      for (const auto& [label, key] : kKeys) {
        if (line.rfind(label, 0) != 0) continue;
        if (section == "si") CHECK(r.si.at(key) == istat_time(line));
        if (section == "fn") {
          const std::string& v = key == "created"        ? fn->created
                                 : key == "modified"     ? fn->modified
                                 : key == "mft_modified" ? fn->mft_modified
                                                         : fn->accessed;
          CHECK(v == istat_time(line));
        }
      }
    }
  }
}

TEST_CASE("facts about the generated volume") {
  const auto& recs = volume();
  // Hard link: one entry, two $FILE_NAME in two folders, each with its own path.
  const Rec& x = recs.at(67);
  CHECK(x.path == "\\Folder A\\x.txt");
  REQUIRE(x.fn.size() == 2);
  CHECK(x.fn[1].path == "\\Users\\alice\\x-link.txt");
  // Japanese names survive UTF-16 → UTF-8.
  CHECK(recs.at(70).path == "\\日本語フォルダ\\報告書テスト.txt");
  // Download with Zone.Identifier (resident) and a non-resident second ADS.
  const Rec& dl = recs.at(74);
  CHECK(dl.path == "\\Users\\alice\\Downloads\\invoice.exe");
  CHECK(dl.size == 5000);
  CHECK(dl.streams.at("hidden.bin") == 9000);
  CHECK(dl.streams.at("Zone.Identifier") == 105);
  REQUIRE(dl.has_zone);
  CHECK(dl.zone ==
        "[ZoneTransfer]\r\nZoneId=3\r\nReferrerUrl=https://example.com/mail\r\nHostUrl=https://"
        "example.com/invoice.exe\r\n");
  CHECK_FALSE(dl.timestomp);
  // Long name plus DOS 8.3 alias: path from the Win32 name, both names listed.
  const Rec& ln = recs.at(75);
  CHECK(ln.path == "\\Folder A\\A long file name.txt");
  REQUIRE(ln.fn.size() == 2);
  std::map<std::string, std::string> spaces;
  for (const auto& f : ln.fn) spaces[f.name] = f.name_space;
  CHECK(spaces["A long file name.txt"] == "Win32");
  CHECK(spaces["ALONGF~1.TXT"] == "DOS");
  // Timestomped: SI created 2015 whole seconds, FN keeps the real time.
  const Rec& ts = recs.at(76);
  CHECK(ts.si.at("created") == "2015-03-04T05:06:07.000000Z");
  CHECK(ts.timestomp);
  // $ATTRIBUTE_LIST: $FILE_NAME and 9 of the 40 streams live in extension record 78,
  // 31 more streams in records 79-91; all are merged into entry 77, which is the only line.
  const Rec& many = recs.at(77);
  CHECK(many.path == "\\Folder A\\many-streams.txt");
  CHECK(many.streams.size() == 40);
  CHECK(many.streams.at("s40") == 53);
  for (std::uint64_t e = 78; e <= 91; ++e) CHECK(recs.count(e) == 0);
  // Deleted folder with a deleted file inside: parent sequence 1, folder now 2 (bumped on free).
  CHECK(recs.at(255).path == "\\DelDir");
  CHECK_FALSE(recs.at(255).in_use);
  CHECK(recs.at(256).path == "\\DelDir\\inner.txt");
  CHECK(recs.at(256).fn[0].parent_sequence == 1);
  CHECK(recs.at(255).sequence == 2);
  // Moved file: its $FILE_NAME names the new folder.
  CHECK(recs.at(253).path == "\\Folder A\\Sub\\moved.txt");
  // Every named in-use entry resolves to a real path (no orphans on a clean volume).
  for (const auto& [e, r] : recs)
    if (r.in_use && !r.fn.empty()) CHECK(r.path.rfind("\\$OrphanFiles", 0) != 0);
  CHECK(recs.at(5).path == "\\");
}

TEST_CASE("--jobs gives byte-identical output; filters") {
  auto mft = ntfs_test::gunzip(ntfs_test::data("volume.mft.gz"));
  kk::Diagnostics d1("t"), d2("t");
  const std::string one = ntfs_test::run_mft(mft, d1, 1);
  CHECK(one == ntfs_test::run_mft(mft, d2, 4));
  kk::ntfs::MftOptions o;
  o.path_filter = [](std::string_view p) { return p.find("日本語") != std::string_view::npos; };
  kk::Diagnostics d3("t");
  CHECK(ntfs_test::lines(ntfs_test::run_mft(mft, d3, 1, o)).size() == 2);
  kk::ntfs::MftOptions s;
  s.since = *kk::parse_user_time("2030-01-01T00:00:00Z");
  kk::Diagnostics d4("t");
  CHECK(ntfs_test::run_mft(mft, d4, 1, s).empty());
}
