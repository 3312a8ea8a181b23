// parse-usnjrnl on the corpus $J fragments (expected values from plaso's own test of
// UsnJrnl.raw, and read by hand from the Velociraptor sample's bytes) and on records
// built here per Microsoft's USN_RECORD_V2/V3/V4 layouts, joined with the test volume.
#include <doctest/doctest.h>

#include <cstring>

#include "ntfs/usn_record.hpp"
#include "ntfs/usnjrnl.hpp"
#include "ntfs_test_util.hpp"

namespace {

std::string run(const std::vector<std::uint8_t>& j, kk::Diagnostics& diag,
                kk::ntfs::UsnStats* stats = nullptr, const kk::ntfs::PathTable* mft = nullptr) {
  kk::ntfs::UsnOptions o;
  o.source = o.file = "J";
  o.mft = mft;
  std::string out;
  auto s = kk::ntfs::parse_usnjrnl({j.data(), j.size()}, o, diag,
                                   [&](std::string_view v) { out.append(v); });
  if (stats) *stats = s;
  return out;
}
bool has(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

template <typename T>
void put(std::vector<std::uint8_t>& b, std::size_t off, T v) {
  std::memcpy(b.data() + off, &v, sizeof v);
}

std::uint64_t ref(std::uint64_t entry, std::uint16_t seq) {
  return entry | (std::uint64_t{seq} << 48);
}

// USN_RECORD_V2 (or V3 when v3) with NAME (ASCII) — layout from Microsoft's documentation.
std::vector<std::uint8_t> record(int version, std::uint64_t file, std::uint64_t parent,
                                 std::int64_t usn, std::uint32_t reason, std::uint32_t attributes,
                                 const std::string& name) {
  const std::size_t name_off = version == 3 ? 0x4C : 0x3C;
  const std::size_t len = (name_off + name.size() * 2 + 7) / 8 * 8;
  std::vector<std::uint8_t> b(len, 0);
  put<std::uint32_t>(b, 0, static_cast<std::uint32_t>(len));
  put<std::uint16_t>(b, 4, static_cast<std::uint16_t>(version));
  const std::size_t d = version == 3 ? 0x10 : 0;  // 128-bit references shift the rest by 16
  put<std::uint64_t>(b, 0x08, file);
  put<std::uint64_t>(b, 0x10 + d / 2, parent);
  put<std::int64_t>(b, 0x18 + d, usn);
  put<std::uint64_t>(b, 0x20 + d, 130936257272031250ULL);  // 2015-11-30T21:15:27.203125Z
  put<std::uint32_t>(b, 0x28 + d, reason);
  put<std::uint32_t>(b, 0x34 + d, attributes);
  put<std::uint16_t>(b, 0x38 + d, static_cast<std::uint16_t>(name.size() * 2));
  put<std::uint16_t>(b, 0x3A + d, static_cast<std::uint16_t>(name_off));
  for (std::size_t i = 0; i < name.size(); ++i)
    b[name_off + 2 * i] = static_cast<std::uint8_t>(name[i]);
  return b;
}

void append(std::vector<std::uint8_t>& j, const std::vector<std::uint8_t>& r) {
  j.insert(j.end(), r.begin(), r.end());
}

}  // namespace

TEST_CASE("plaso UsnJrnl.raw: 19 V2 records, first as plaso reads it") {
  kk::Diagnostics diag("test");
  kk::ntfs::UsnStats st;
  const std::string out = run(ntfs_test::bytes_of(ntfs_test::data("plaso-UsnJrnl.raw")), diag, &st);
  CHECK(st.records == 19);
  CHECK(st.by_version[2] == 19);
  CHECK(diag.warnings() == 0);
  const auto first = ntfs_test::lines(out).at(0);
  // plaso: file reference 30-1, parent 5-5, USN_REASON_FILE_CREATE, 2015-11-30 21:15:27.2031250.
  CHECK(
      first ==
      R"({"artifact":"usnjrnl","source":"J","offset":0,"usn":0,"time":"2015-11-30T21:15:27.203125Z","entry":30,"sequence":1,)"
      R"("parent_entry":5,"parent_sequence":5,"name":"Nieuw - Tekstdocument.txt","path":"\\Nieuw - Tekstdocument.txt",)"
      R"("reasons":["FILE_CREATE"],"attributes":["ARCHIVE"],"version":2,"source_info":[],"security_id":260})");
}

TEST_CASE("Velociraptor $J: 50 records, a record cut by the end of the file is reported") {
  kk::Diagnostics diag("test");
  kk::ntfs::UsnStats st;
  const std::string out =
      run(ntfs_test::bytes_of(ntfs_test::data("velociraptor-UsnJrnl-J.bin")), diag, &st);
  CHECK(st.records == 50);
  CHECK(st.truncated == 1);  // at 0x13e0: 96 bytes claimed, 32 left
  CHECK(diag.warnings() == 1);
  // Bytes 0..0x67: length 0x68, V2, file 0x000c000000011f99, parent 0x000200000003b886,
  // USN 0x26000000, reason 0x2, attributes 0x20, "2024-08-14.json.tidx".
  CHECK(has(
      ntfs_test::lines(out).at(0),
      R"("offset":0,"usn":637534208,"time":"2024-08-14T15:29:55.239237Z","entry":73625,"sequence":12,"parent_entry":243846,"parent_sequence":2,"name":"2024-08-14.json.tidx","path":null,"reasons":["DATA_EXTEND"],"attributes":["ARCHIVE"],"version":2)"));
}

TEST_CASE("zero gaps are skipped, garbage resynchronised, V3 and V4 decoded") {
  std::vector<std::uint8_t> j;
  append(j, record(2, ref(40, 1), ref(5, 5), 0, 0x100, 0x20, "a.txt"));
  j.resize(j.size() + 4096 * 3, 0);  // a zero-filled gap
  const std::size_t garbage_at = j.size();
  for (int i = 0; i < 40; ++i) j.push_back(static_cast<std::uint8_t>(0xA5 ^ i));
  const std::size_t v3_at = j.size();
  append(j, record(3, ref(41, 2), ref(5, 5), 4096, 0x80000200, 0x20, "b.txt"));
  // USN_RECORD_V4 with one extent.
  std::vector<std::uint8_t> v4(0x50, 0);
  put<std::uint32_t>(v4, 0, 0x50);
  put<std::uint16_t>(v4, 4, 4);
  put<std::uint64_t>(v4, 0x08, ref(41, 2));
  put<std::uint64_t>(v4, 0x18, ref(5, 5));
  put<std::int64_t>(v4, 0x28, 8192);
  put<std::uint32_t>(v4, 0x30, 0x1);
  put<std::uint32_t>(v4, 0x38, 0);
  put<std::uint16_t>(v4, 0x3C, 1);
  put<std::uint16_t>(v4, 0x3E, 16);
  put<std::int64_t>(v4, 0x40, 65536);
  put<std::int64_t>(v4, 0x48, 4096);
  append(j, v4);
  kk::Diagnostics diag("test");
  kk::ntfs::UsnStats st;
  const std::string out = run(j, diag, &st);
  CHECK(st.records == 3);
  CHECK(st.zero_bytes >= 4096 * 3);
  CHECK(st.garbage_runs == 1);
  CHECK(st.garbage_bytes == 40);
  CHECK(diag.warnings() == 1);
  const auto l = ntfs_test::lines(out);
  REQUIRE(l.size() == 3);
  CHECK(has(l[1], "\"offset\":" + std::to_string(v3_at) + ",\"usn\":4096,"));
  CHECK(has(l[1], R"("reasons":["FILE_DELETE","CLOSE"])"));
  CHECK(has(l[1], R"("version":3)"));
  CHECK(has(
      l[2],
      R"("time":null,"entry":41,"sequence":2,"parent_entry":5,"parent_sequence":5,"name":null)"));
  CHECK(has(l[2], R"("reasons":["DATA_OVERWRITE"])"));
  CHECK(has(l[2], R"("extents":[{"offset":65536,"length":4096}])"));
  (void)garbage_at;
}

TEST_CASE("USN joined with the generated volume's $MFT, and the journal's own rename history") {
  auto mft = ntfs_test::gunzip(ntfs_test::data("volume.mft.gz"));
  kk::Diagnostics diag("test");
  auto index = kk::ntfs::build_mft_index({mft.data(), mft.size()}, 2, diag, "volume.mft");
  std::vector<std::uint8_t> j;
  // invoice.exe is entry 74-1 in folder 73-1 (\Users\alice\Downloads), as fls reports.
  append(j, record(2, ref(74, 1), ref(73, 1), 0, 0x100, 0x20, "invoice.exe"));
  // inner.txt (256-2) was created in DelDir 255-1, freed since (now 255-2).
  append(j, record(2, ref(256, 1), ref(255, 1), 0x100, 0x100, 0x20, "inner.txt"));
  // A folder the $MFT no longer knows (entry 300): named by the journal, renamed later.
  append(j, record(2, ref(300, 4), ref(64, 1), 0x200, 0x100, 0x10, "Staging"));
  append(j, record(2, ref(301, 1), ref(300, 4), 0x300, 0x100, 0x20, "payload.dll"));
  append(j, record(2, ref(300, 4), ref(64, 1), 0x400, 0x2000, 0x10, "Renamed"));
  append(j, record(2, ref(302, 1), ref(300, 4), 0x500, 0x100, 0x20, "later.txt"));
  // A parent whose sequence does not match the $MFT and the journal never names.
  append(j, record(2, ref(303, 1), ref(70, 9), 0x600, 0x100, 0x20, "lost.txt"));
  kk::ntfs::UsnStats st;
  const auto l = ntfs_test::lines(run(j, diag, &st, &index.paths));
  REQUIRE(l.size() == 7);
  CHECK(has(l[0], R"("path":"\\Users\\alice\\Downloads\\invoice.exe")"));
  CHECK(has(l[1], R"("path":"\\DelDir\\inner.txt")"));
  CHECK(has(l[2], R"("path":"\\Folder A\\Staging")"));
  CHECK(has(l[3], R"("path":"\\Folder A\\Staging\\payload.dll")"));
  CHECK(has(l[5], R"("path":"\\Folder A\\Renamed\\later.txt")"));
  CHECK(has(l[6], R"("path":null)"));
  CHECK(st.resolved == 6);
  CHECK(st.unresolved == 1);
  // Without the $MFT only what hangs off the root through the journal resolves.
  kk::ntfs::UsnStats alone;
  const auto m = ntfs_test::lines(run(j, diag, &alone, nullptr));
  CHECK(has(m[0], R"("path":null)"));
  CHECK(alone.resolved == 0);
}

TEST_CASE("reason and attribute names") {
  auto r = kk::ntfs::usn_reason_names(0x80000102);
  REQUIRE(r.size() == 3);
  CHECK(r[0] == "DATA_EXTEND");
  CHECK(r[1] == "FILE_CREATE");
  CHECK(r[2] == "CLOSE");
  std::vector<std::uint8_t> tiny(0x38, 0);
  CHECK_FALSE(kk::ntfs::decode_usn_record(tiny));
}

TEST_CASE("--format csv: a USN name that is a spreadsheet formula stays text (issue #22)") {
  std::vector<std::uint8_t> j;
  append(j, record(2, ref(40, 1), ref(5, 5), 100, 0x100, 0x20, "=cmd|' /C calc'!A0"));
  append(j, record(2, ref(41, 1), ref(5, 5), 200, 0x100, 0x20, "@SUM(1+1)"));
  kk::Diagnostics diag("test");
  kk::ntfs::UsnOptions o;
  o.source = o.file = "J";
  o.format = kk::ntfs::OutputFormat::kCsv;
  std::string out;
  kk::ntfs::parse_usnjrnl({j.data(), j.size()}, o, diag, [&](std::string_view v) { out.append(v); });
  INFO(out);
  CHECK(has(out, ",\"'=cmd|' /C calc'!A0\","));
  CHECK(has(out, ",\"'@SUM(1+1)\","));
  CHECK_FALSE(has(out, ",=cmd"));
}
