// Single FILE records from the shared corpus (omerbenamram/mft samples). Expected
// values were read from the records' bytes by hand (xxd) and, for the fixup sample,
// agree with the mft crate's own test (valid_fixup == false).
#include <doctest/doctest.h>

#include "ntfs/file_record.hpp"
#include "ntfs/mft_entry.hpp"
#include "ntfs/path_table.hpp"
#include "ntfs_test_util.hpp"

namespace {
std::string one(const std::string& name, kk::Diagnostics& diag) {
  return ntfs_test::run_mft(ntfs_test::bytes_of(ntfs_test::data(name)), diag);
}
bool has(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}
}  // namespace

TEST_CASE("entry_102130_fixup_issue: bad fixup reported, record still read") {
  kk::Diagnostics diag("test");
  const std::string out = one("entry_102130_fixup_issue", diag);
  CHECK(diag.warnings() == 1);
  CHECK(has(
      out,
      R"("entry":102130,"sequence":8,"in_use":true,"is_dir":true,"path":"\\$OrphanFiles\\Application Data")"));
  CHECK(has(out, R"("fixup_ok":false)"));
  CHECK(has(out, R"("name":"APPLIC~1","parent_entry":101990,"parent_sequence":7)"));
  CHECK(has(out, R"("attributes":["HIDDEN","SYSTEM","REPARSE_POINT","NOT_CONTENT_INDEXED"])"));
  CHECK(has(out, R"("si":{"created":"2018-01-02T23:36:07.186655Z")"));
  // SI created (2018-01-02) precedes FN created (2018-01-12).
  CHECK(has(out, R"("timestomp_suspect":true)"));
}

TEST_CASE("entry_long_name_and_res_ads_002: resident named stream") {
  kk::Diagnostics diag("test");
  const std::string out = one("entry_long_name_and_res_ads_002", diag);
  CHECK(diag.warnings() == 0);
  CHECK(has(
      out,
      R"("entry":46,"sequence":1,"in_use":true,"is_dir":false,"path":"\\$OrphanFiles\\longname_res_with_ads.txt","size":24)"));
  CHECK(has(out, R"("streams":[{"name":"res.ads","size":37}])"));
  CHECK(has(out, R"("namespace":"POSIX")"));
}

TEST_CASE("entry_single_file: Win32 and DOS names, non-resident data") {
  kk::Diagnostics diag("test");
  const std::string out = one("entry_single_file", diag);
  CHECK(has(
      out,
      R"("entry":26370,"sequence":1,"in_use":true,"is_dir":false,"path":"\\$OrphanFiles\\test_cfuncs.py","size":8072)"));
  CHECK(has(out, R"({"name":"TEST_C~3.PY","parent_entry":26359,"parent_sequence":1)"));
  CHECK(has(
      out,
      R"("si":{"created":"2008-02-29T04:12:36.000000Z","modified":"2008-02-29T04:12:36.000000Z","mft_modified":"2009-11-13T01:56:44.000000Z")"));
  CHECK(has(out, R"("usn":29607584)"));
}

TEST_CASE("entry_super_long_name_001 and entry_multiple_index_root_entries") {
  kk::Diagnostics diag("test");
  const std::string a = one("entry_super_long_name_001", diag);
  CHECK(has(a, R"("entry":47,)"));
  CHECK(has(a, "super__super_super_super_super_super_super_super_super_longname.txt\""));
  const std::string b = one("entry_multiple_index_root_entries", diag);
  CHECK(has(
      b,
      R"("entry":26359,"sequence":1,"in_use":true,"is_dir":true,"path":"\\$OrphanFiles\\test")"));
  CHECK(diag.warnings() == 0);
}

TEST_CASE("entry_data_run_at_offset: a lone extension record is reported as its own entry") {
  kk::Diagnostics diag("test");
  const std::string out = one("entry_data_run_at_offset", diag);
  // Header: entry 97583, base record 57676 sequence 1, one non-resident unnamed $DATA.
  CHECK(has(out, R"("entry":97583,"sequence":1,)"));
  CHECK(has(out, R"("path":null)"));
  CHECK(has(out, R"("base_entry":57676,"base_sequence":1)"));
}

TEST_CASE("fixups: every stride restored; mismatch counted; truncated and garbage slots") {
  // Used size 808: the first stride's tail (510) is inside the copy, the second's is not.
  auto raw = ntfs_test::bytes_of(ntfs_test::data("entry_super_long_name_001"));
  kk::ntfs::FileRecord rec;
  REQUIRE(kk::ntfs::read_file_record(raw, rec, nullptr) == kk::ntfs::RecordStatus::kOk);
  CHECK(rec.fixups_ok());
  CHECK(rec.bytes.size() == 808);
  // The stored tail of sector 1 is the update sequence number; after fixup it is the saved value.
  CHECK(raw[510] == raw[0x30]);
  CHECK(raw[511] == raw[0x31]);
  CHECK(rec.bytes[510] == raw[0x32]);
  CHECK(rec.bytes[511] == raw[0x33]);
  raw[1022] ^= 0xFF;  // tear the second sector: counted although past the used size
  REQUIRE(kk::ntfs::read_file_record(raw, rec, nullptr) == kk::ntfs::RecordStatus::kOk);
  CHECK(rec.bad_fixups == 1);
  std::vector<std::uint8_t> zero(1024, 0), junk(1024, 0x41);
  CHECK(kk::ntfs::read_file_record(zero, rec, nullptr) == kk::ntfs::RecordStatus::kEmpty);
  std::string why;
  CHECK(kk::ntfs::read_file_record(junk, rec, &why) == kk::ntfs::RecordStatus::kNotARecord);
  CHECK(why == "no FILE signature");
  // A garbage slot in an $MFT is reported with its offset, the rest still parsed.
  auto mft = ntfs_test::bytes_of(ntfs_test::data("entry_single_file"));
  mft.insert(mft.begin(), junk.begin(), junk.end());
  kk::Diagnostics diag("test");
  const std::string out = ntfs_test::run_mft(mft, diag);
  CHECK(diag.warnings() >= 1);
  CHECK(ntfs_test::lines(out).size() == 1);
}

TEST_CASE("--format csv: file and stream names that are formulas stay text (issue #22)") {
  kk::ntfs::MftEntry e;
  e.entry = 64;
  e.sequence = 1;
  e.in_use = true;
  kk::ntfs::FileName fn;
  fn.name = "+HYPERLINK(\"http://x\")";
  fn.name_space = 1;
  e.names.push_back(fn);
  e.streams.push_back({"", 10, false, ""});
  e.streams.push_back({"-2+3", 4, true, ""});
  kk::ntfs::PathTable paths;
  kk::ntfs::MftOptions opts;
  opts.format = kk::ntfs::OutputFormat::kCsv;
  std::string out;
  REQUIRE(kk::ntfs::render_mft_entry(e, paths, opts, out));
  INFO(out);
  CHECK(out.find(",\"'+HYPERLINK(\"\"http://x\"\")\",") != std::string::npos);
  CHECK(out.find(",\"'-2+3:4\",") != std::string::npos);
}
