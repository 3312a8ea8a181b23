// Archives built to attack the extractor. Each must end in a clear error, and nothing may
// appear outside DIR. They are written with libarchive's writer, which (unlike zip/tar
// front ends) stores whatever names and link targets it is given.
#include <archive.h>
#include <archive_entry.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <optional>

#include "core/crc32.hpp"
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

// ---- issue #22: inputs that stopped a run --------------------------------------------

namespace {

void put16(std::string& s, std::uint16_t v) {
  s.push_back(static_cast<char>(v & 0xff));
  s.push_back(static_cast<char>(v >> 8));
}
void put32(std::string& s, std::uint32_t v) {
  put16(s, static_cast<std::uint16_t>(v & 0xffff));
  put16(s, static_cast<std::uint16_t>(v >> 16));
}
void put64(std::string& s, std::uint64_t v) {
  put32(s, static_cast<std::uint32_t>(v & 0xffffffffu));
  put32(s, static_cast<std::uint32_t>(v >> 32));
}

// A zip written byte by byte (PKWARE APPNOTE 4.3.7 local header, 4.3.12 central header,
// 4.5.3 zip64 extra field), so an entry can declare any size. Each entry is deflated as
// one stored deflate block; DECLARED (when set) replaces the true uncompressed size in a
// zip64 extra field of both headers.
struct RawEntry {
  std::string name, data;
  std::optional<std::uint64_t> declared;
};

struct RawParts {
  std::string locals, central;  // local headers with data; central directory headers
};

// The entries' local headers (the first at offset BASE of the zip) and central headers.
RawParts raw_zip_parts(const std::vector<RawEntry>& entries, std::uint32_t base = 0) {
  std::string out, central;
  for (const auto& e : entries) {
    std::string body;  // deflate: BFINAL=1, BTYPE=00, LEN, NLEN, bytes
    body.push_back(1);
    put16(body, static_cast<std::uint16_t>(e.data.size()));
    put16(body, static_cast<std::uint16_t>(~e.data.size()));
    body += e.data;
    std::uint32_t crc =
        kk::crc32(0, reinterpret_cast<const std::uint8_t*>(e.data.data()), e.data.size());
    const bool z64 = e.declared.has_value();
    std::string extra;
    if (z64) {
      put16(extra, 1);
      put16(extra, 16);
      put64(extra, *e.declared);
      put64(extra, body.size());
    }
    const auto offset = static_cast<std::uint32_t>(base + out.size());
    auto header = [&](std::string& s, bool local) {
      put32(s, local ? 0x04034b50 : 0x02014b50);
      if (!local) put16(s, 45);
      put16(s, 45);    // version needed
      put16(s, 0);     // flags
      put16(s, 8);     // deflate
      put16(s, 0);     // time
      put16(s, 0x21);  // 1980-01-01
      put32(s, crc);
      put32(s, z64 ? 0xffffffffu : static_cast<std::uint32_t>(body.size()));
      put32(s, z64 ? 0xffffffffu : static_cast<std::uint32_t>(e.data.size()));
      put16(s, static_cast<std::uint16_t>(e.name.size()));
      put16(s, static_cast<std::uint16_t>(extra.size()));
      if (!local) {
        put16(s, 0);  // comment
        put16(s, 0);  // disk
        put16(s, 0);  // internal attributes
        put32(s, 0);  // external attributes
        put32(s, offset);
      }
      s += e.name;
      s += extra;
    };
    header(out, true);
    out += body;
    header(central, false);
  }
  return {out, central};
}

// The end of central directory record (APPNOTE 4.3.16).
std::string end_record(std::size_t entries, std::size_t cd_size, std::size_t cd_offset) {
  std::string out;
  put32(out, 0x06054b50);
  put16(out, 0);
  put16(out, 0);
  put16(out, static_cast<std::uint16_t>(entries));
  put16(out, static_cast<std::uint16_t>(entries));
  put32(out, static_cast<std::uint32_t>(cd_size));
  put32(out, static_cast<std::uint32_t>(cd_offset));
  put16(out, 0);
  return out;
}

std::string raw_zip(const std::vector<RawEntry>& entries) {
  RawParts p = raw_zip_parts(entries);
  return p.locals + p.central + end_record(entries.size(), p.central.size(), p.locals.size());
}

void write_encrypted_zip(const std::string& path, const std::string& name,
                         const std::string& content) {
  archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  REQUIRE(archive_write_set_options(a, "zip:encryption=aes256") == ARCHIVE_OK);
  REQUIRE(archive_write_set_passphrase(a, "infected") == ARCHIVE_OK);
  REQUIRE(archive_write_open_filename(a, path.c_str()) == ARCHIVE_OK);
  archive_entry* ae = archive_entry_new();
  archive_entry_set_pathname(ae, name.c_str());
  archive_entry_set_filetype(ae, AE_IFREG);
  archive_entry_set_perm(ae, 0644);
  archive_entry_set_size(ae, static_cast<la_int64_t>(content.size()));
  REQUIRE(archive_write_header(a, ae) == ARCHIVE_OK);
  archive_write_data(a, content.data(), content.size());
  archive_entry_free(ae);
  archive_write_close(a);
  archive_write_free(a);
}

}  // namespace

TEST_CASE("hostile: a first entry whose zip64 size claims 2^62 bytes is skipped, the rest read") {
  Arena ar;
  auto zip = (ar.base / "a.zip").string();
  std::ofstream(zip, std::ios::binary)
      << raw_zip({{"PC01_20240501120405/liar.bin", std::string(25, 'L'), 1ULL << 62},
                  {"PC01_20240501120405/Evtx/ok.evtx", "fine"},
                  {"PC01_20240501120405/Prefetch/A.EXE-12345678.pf", "also fine"}});
  kk_test::Unpacked u;
  kk_test::run_unpack(u, zip, ar.dir.string());
  INFO(u.result.stopped);
  CHECK(u.result.stopped.empty());  // was: "would exceed the size cap ... raise --max-size"
  auto files = kk_test::tree_files(ar.dir);
  std::sort(files.begin(), files.end());
  CHECK(files == std::vector<std::string>{"PC01_20240501120405/Evtx/ok.evtx",
                                          "PC01_20240501120405/Prefetch/A.EXE-12345678.pf"});
  CHECK(u.diag.errors() == 1);  // the skipped entry, named
  REQUIRE(u.result.bundles.size() == 1);
  CHECK(u.result.bundles[0].entries.size() == 2);
  CHECK(ar.outside().empty());
}

TEST_CASE("hostile: entries stored unencrypted in a password-protected zip are named") {
  Arena ar;
  auto zip = (ar.base / "a.zip").string();
  // The collected file, encrypted with the password (libarchive's writer, WinZip AES) ...
  std::string enc_path = (ar.base / "enc.zip").string();
  write_encrypted_zip(enc_path, "PC01_20240501120405/Evtx/Security.evtx", "collected");
  std::string enc = kk_test::read_file(enc_path);
  REQUIRE(enc.size() > 22);
  auto u32 = [&](std::size_t at) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(enc[at])) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(enc[at + 1])) << 8 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(enc[at + 2])) << 16 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(enc[at + 3])) << 24;
  };
  const std::size_t eocd = enc.size() - 22;
  REQUIRE(u32(eocd) == 0x06054b50u);
  const std::uint32_t cd_size = u32(eocd + 12), cd_offset = u32(eocd + 16);
  // ... and the attacker's additions, stored without it: a planted log and a forged
  // collector-log.txt, put into the same zip (entries are encrypted one by one).
  RawParts added = raw_zip_parts({{"PC01_20240501120405/Evtx/Forged.evtx", "planted", {}},
                                  {"PC01_20240501120405/collector-log.txt", "forged log", {}}},
                                 cd_offset);
  std::string mixed = enc.substr(0, cd_offset) + added.locals;
  const std::size_t new_cd = mixed.size();
  mixed += enc.substr(cd_offset, cd_size) + added.central;
  mixed += end_record(3, cd_size + added.central.size(), new_cd);
  std::ofstream(zip, std::ios::binary) << mixed;
  auto opts = kk_test::test_options();
  opts.password = "infected";
  kk_test::Unpacked u;
  kk_test::run_unpack(u, zip, ar.dir.string(), opts);
  REQUIRE(u.result.bundles.size() == 1);
  const auto& b = u.result.bundles[0];
  CHECK(b.summary.hash.not_encrypted ==
        std::vector<std::string>{"Evtx/Forged.evtx", "collector-log.txt"});
  REQUIRE(kk_test::find_entry(b, "Evtx/Security.evtx"));
  CHECK(kk_test::find_entry(b, "Evtx/Security.evtx")->encrypted == true);
  CHECK(kk_test::find_entry(b, "Evtx/Forged.evtx")->encrypted == false);
  std::string jsonl;
  kk::cdir::append_jsonl(jsonl, u.result);
  CHECK(jsonl.find("\"encrypted\":false") != std::string::npos);
  CHECK(jsonl.find("\"not_encrypted\":[\"Evtx/Forged.evtx\",\"collector-log.txt\"]") !=
        std::string::npos);
}
