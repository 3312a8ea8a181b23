// Archives built to attack the extractor. Each must end in a clear error, and nothing may
// appear outside DIR. They are written with libarchive's writer, which (unlike zip/tar
// front ends) stores whatever names and link targets it is given.
#include <archive.h>
#include <archive_entry.h>
#include <doctest/doctest.h>

#include "unpack_helpers.hpp"

using namespace kk::cdir;

namespace {

struct Entry {
  std::string name;
  std::string content;
  mode_t type = AE_IFREG;
  std::string link;         // symlink target or hardlink source
  std::uint64_t zeros = 0;  // content of this many zero bytes instead
};

void write_archive(const std::string& path, const std::vector<Entry>& entries, bool zip) {
  archive* a = archive_write_new();
  if (zip)
    archive_write_set_format_zip(a);
  else {
    archive_write_set_format_pax_restricted(a);
    archive_write_add_filter_gzip(a);
  }
  REQUIRE(archive_write_open_filename(a, path.c_str()) == ARCHIVE_OK);
  for (const auto& e : entries) {
    archive_entry* ae = archive_entry_new();
    archive_entry_set_pathname(ae, e.name.c_str());
    archive_entry_set_filetype(ae, e.type);
    archive_entry_set_perm(ae, 0644);
    if (e.type == AE_IFLNK) archive_entry_set_symlink(ae, e.link.c_str());
    if (e.type == AE_IFREG && !e.link.empty()) archive_entry_set_hardlink(ae, e.link.c_str());
    std::uint64_t size = e.zeros ? e.zeros : e.content.size();
    if (e.type == AE_IFREG && e.link.empty())
      archive_entry_set_size(ae, static_cast<la_int64_t>(size));
    archive_write_header(a, ae);
    if (e.zeros) {
      std::string block(1 << 20, '\0');
      for (std::uint64_t left = e.zeros; left > 0;) {
        std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, block.size()));
        archive_write_data(a, block.data(), n);
        left -= n;
      }
    } else if (!e.content.empty()) {
      archive_write_data(a, e.content.data(), e.content.size());
    }
    archive_entry_free(ae);
  }
  archive_write_close(a);
  archive_write_free(a);
}

struct Arena {
  kk_test::fs::path base = kk_test::temp_dir();  // holds DIR, the archive and a canary
  kk_test::fs::path dir = base / "DIR";
  ~Arena() { kk_test::fs::remove_all(base); }
  // Everything under base except DIR's contents and the archive itself.
  std::vector<std::string> outside() const {
    std::vector<std::string> v;
    for (auto& f : kk_test::tree_files(base))
      if (!f.starts_with("DIR/") && f != "a.zip" && f != "a.tar.gz") v.push_back(f);
    return v;
  }
};

}  // namespace

TEST_CASE("hostile: zip-slip, absolute and drive-letter names are refused, the rest extracted") {
  Arena ar;
  auto zip = (ar.base / "a.zip").string();
  write_archive(zip,
                {{"PC01_20240501120405/Evtx/ok.evtx", "fine"},
                 {"../escaped.txt", "pwned"},
                 {"PC01_20240501120405/../../escaped2.txt", "pwned"},
                 {(ar.base / "absolute.txt").string(), "pwned"},
                 {"C:\\Windows\\evil.txt", "pwned"}},
                true);
  kk_test::Unpacked u;
  kk_test::run_unpack(u, zip, ar.dir.string());
  CHECK(u.diag.errors() == 4);
  CHECK(ar.outside().empty());
  CHECK(kk_test::tree_files(ar.dir) ==
        std::vector<std::string>{"PC01_20240501120405/Evtx/ok.evtx"});
  REQUIRE(u.result.bundles.size() == 1);
  CHECK(u.result.bundles[0].entries.size() == 1);
}

TEST_CASE("hostile: symbolic and hard links are never created or followed") {
  Arena ar;
  auto tgz = (ar.base / "a.tar.gz").string();
  kk_test::fs::create_directory(ar.base / "victim");
  write_archive(tgz,
                {{"b/link", "", AE_IFLNK, ar.base.string() + "/victim"},
                 {"b/link/planted.txt", "pwned"},
                 {"b/up", "", AE_IFLNK, "../.."},
                 {"b/hard", "", AE_IFREG, "/etc/passwd"},
                 {"b/Evtx/ok.evtx", "fine"}},
                false);
  kk_test::Unpacked u;
  kk_test::run_unpack(u, tgz, ar.dir.string());
  CHECK(u.diag.errors() >=
        3);  // two symlinks and the hard link (planted.txt fails or lands inside)
  CHECK(kk_test::fs::is_empty(ar.base / "victim"));
  CHECK(ar.outside().empty());
  for (auto& f : kk_test::tree_files(ar.dir)) CHECK_FALSE(kk_test::fs::is_symlink(ar.dir / f));
  CHECK(kk_test::fs::exists(ar.dir / "b/Evtx/ok.evtx"));
}

TEST_CASE("hostile: a zip bomb stops at the ratio cap, and the size cap holds") {
  Arena ar;
  auto zip = (ar.base / "a.zip").string();
  write_archive(zip, {{"PC01_20240501120405/Evtx/bomb.evtx", "", AE_IFREG, "", 48ULL << 20}}, true);
  auto opts = kk_test::test_options();
  opts.entry_ratio_floor = 4 << 20;
  opts.max_ratio = 100;
  kk_test::Unpacked u;
  kk_test::run_unpack(u, zip, ar.dir.string(), opts);
  CHECK_FALSE(u.ok);
  CHECK(u.result.stopped.find("--max-ratio") != std::string::npos);
  CHECK(kk_test::tree_files(ar.dir).empty());  // the partial output is removed
  CHECK(ar.outside().empty());

  auto opts2 = kk_test::test_options();
  opts2.max_total_bytes = 1 << 20;
  kk_test::Unpacked v;
  kk_test::run_unpack(v, zip, (ar.dir / "2").string(), opts2);
  CHECK_FALSE(v.ok);
  CHECK(v.result.stopped.find("--max-size") != std::string::npos);
  CHECK(kk_test::tree_files(ar.dir).empty());
}

TEST_CASE("hostile: truncated archives and non-archives give one clear error") {
  Arena ar;
  auto tgz = (ar.base / "a.tar.gz").string();
  std::string big(300000, 'x');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>((i * 2654435761u) >> 13);
  write_archive(
      tgz, {{"PC01_20240501120405/Evtx/a.evtx", big}, {"PC01_20240501120405/Evtx/b.evtx", big}},
      false);
  std::string bytes = kk_test::read_file(tgz);
  {
    std::ofstream(tgz, std::ios::binary | std::ios::trunc) << bytes.substr(0, bytes.size() * 3 / 4);
  }
  kk_test::Unpacked u;
  kk_test::run_unpack(u, tgz, ar.dir.string());
  CHECK_FALSE(u.ok);
  CHECK(u.diag.errors() >= 1);
  CHECK(u.result.stopped.empty());  // damage, not a refusal: what came before is used
  CHECK(u.result.truncated.find("truncated") != std::string::npos);
  REQUIRE(u.result.bundles.size() == 1);
  const auto& entries = u.result.bundles[0].entries;
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].complete);
  CHECK(entries[0].digests.sha256 == kk::sha256_hex(big));
  CHECK_FALSE(entries[1].complete);  // the partial file is kept and marked
  CHECK(ar.outside().empty());

  for (std::string junk : {std::string("just some text, not an archive\n"),
                           kk_test::cdir_data("defender.evtx"), std::string()}) {
    auto path = (ar.base / "a.zip").string();
    std::ofstream(path, std::ios::binary | std::ios::trunc) << junk;
    kk_test::Unpacked v;
    kk_test::run_unpack(v, path, (ar.base / "DIR" / "junk").string());
    CHECK_FALSE(v.ok);
    CHECK(v.diag.errors() == 1);
    CHECK(v.result.bundles.empty());
  }
  CHECK(ar.outside().empty());
}

TEST_CASE("hostile: a damaged gzip libarchive refuses without a message gives one clear error") {
  // ../shared/fuzz-findings/corrupt-gzip-null-error.bin: archive_error_string() is NULL here
  // and was appended to a std::string (segmentation fault in unpack-cdir and triage).
  Arena ar;
  kk_test::Unpacked u;
  kk_test::run_unpack(u, std::string(KK_TEST_DATA) + "/cdir/corrupt-gzip-null-error.bin",
                      ar.dir.string());
  CHECK_FALSE(u.ok);
  CHECK(u.diag.errors() == 1);
  CHECK(u.result.unreadable.find("not a readable archive: libarchive gave no reason") == 0);
  CHECK(u.result.bundles.empty());
  CHECK(ar.outside().empty());
}
