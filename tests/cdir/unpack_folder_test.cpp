#include <doctest/doctest.h>

#include "unpack_helpers.hpp"

using namespace kk::cdir;
using kk::cdir::Kind;

TEST_CASE("unpack folder: v1.3.7 layout read in place, chain of custody with one wrong hash") {
  auto parent = kk_test::fs::path(kk_test::temp_dir());
  kk_test::BundleSpec spec;
  spec.extra_log_paths = {"C:\\Windows\\System32\\winevt\\Logs\\System.evtx"};
  auto root = kk_test::build_bundle(parent, spec);
  auto before = kk_test::tree_files(parent);
  kk_test::Unpacked u;
  kk_test::run_unpack(u, root.string(), "");
  CHECK(u.ok);
  CHECK(kk_test::tree_files(parent) == before);  // read in place: nothing added
  REQUIRE(u.result.bundles.size() == 1);
  CHECK(u.result.loose.empty());
  const auto& b = u.result.bundles[0];
  const auto& s = b.summary;
  CHECK(s.host == "DESKTOP-KK01");
  CHECK(s.layout == Layout::kV13);
  CHECK(s.log_encoding == "cp932");
  CHECK(s.log_language == "ja");
  REQUIRE(s.collection_start);
  CHECK(kk::format_iso(*s.collection_start) == "2024-05-01T03:04:05.000000Z");
  CHECK(kk::format_iso(*s.collection_end) == "2024-05-01T03:31:40.000000Z");
  CHECK(kk::format_iso(*s.folder_time) == "2024-05-01T03:04:05.000000Z");
  CHECK(s.files == 17);  // 16 evidence files + collector-log.txt
  CHECK(s.counts[static_cast<int>(Kind::kEvtx)] == 2);
  CHECK(s.counts[static_cast<int>(Kind::kRegistry)] == 3);
  CHECK(s.counts[static_cast<int>(Kind::kRegistryLog)] == 2);
  CHECK(s.counts[static_cast<int>(Kind::kMemory)] == 1);
  CHECK(s.memory_skipped == 1);
  CHECK(s.hash.log_rows == 16);
  CHECK(s.hash.matched == 14);
  CHECK(s.hash.mismatched == std::vector<std::string>{"Prefetch/CMD.EXE-D269B812.pf"});
  CHECK(s.hash.missing_from_bundle ==
        std::vector<std::string>{"C:\\Windows\\System32\\winevt\\Logs\\System.evtx"});
  CHECK(s.hash.not_in_log.empty());
  CHECK(s.hash.result() == "mismatch");
  CHECK(s.categories_absent.empty());
  // Facts from FILES.tsv (sha256 of the corpus originals).
  auto* evtx = kk_test::find_entry(b, "Evtx/Microsoft-Windows-Windows Defender%4Operational.evtx");
  REQUIRE(evtx);
  CHECK(evtx->digests.sha256 == "d7bebbe4a9bd6fdcfe53e019e7386a983f89c2fc7919fc51ecf249453ed60780");
  CHECK(evtx->hash_match == true);
  CHECK(evtx->path ==
        (root / "Evtx/Microsoft-Windows-Windows Defender%4Operational.evtx").string());
  CHECK(
      evtx->windows_path ==
      "C:\\Windows\\System32\\winevt\\Logs\\Microsoft-Windows-Windows Defender%4Operational.evtx");
  CHECK_FALSE(evtx->wevtutil);
  REQUIRE(evtx->source_created);
  CHECK(kk::format_iso(*evtx->source_created) == "2024-04-30T01:02:03.000000Z");
  auto* security = kk_test::find_entry(b, "Evtx/Security.evtx");
  REQUIRE(security);
  CHECK(security->wevtutil);
  auto* pf = kk_test::find_entry(b, "Prefetch/CMD.EXE-D269B812.pf");
  REQUIRE(pf);
  CHECK(pf->digests.sha256 == "0ef6ce683365dac64191608b47a74665ddec28eaae530ce2622900130c404077");
  CHECK(pf->hash_match == false);
  REQUIRE(pf->collector_sha256);
  CHECK(*pf->collector_sha256 != pf->digests.sha256);
  auto* hive = kk_test::find_entry(b, "Registry/山田_太郎_NTUSER.dat");
  REQUIRE(hive);
  CHECK(hive->user == "山田_太郎");
  CHECK(hive->hash_match == true);
  CHECK(hive->digests.md5.size() == 32);
  auto* ram = kk_test::find_entry(b, "RAM_DESKTOP-KK01.raw");
  REQUIRE(ram);
  CHECK(ram->skipped);
  CHECK(ram->digests.sha256.empty());
  CHECK_FALSE(ram->hash_match);
  auto* usn = kk_test::find_entry(b, "NTFS/C_$UsnJrnl-$J");
  REQUIRE(usn);
  CHECK(usn->kind == Kind::kUsnJrnl);
  CHECK(usn->collected_at == s.collection_start);
  CHECK(u.diag.errors() == 0);
  CHECK(u.diag.warnings() == 2);  // the mismatch and the missing System.evtx

  std::string jsonl;
  append_jsonl(jsonl, u.result);
  CHECK(jsonl.find(R"("artifact":"manifest","source":"NTFS/C_$MFT","path":")") !=
        std::string::npos);
  CHECK(
      jsonl.find(
          R"("kind":"memory","host":"DESKTOP-KK01","collected_at":"2024-05-01T03:04:05.000000Z","size":8192,"sha256":null,"collector_sha256":null,"hash_match":null)") !=
      std::string::npos);
  CHECK(
      jsonl.find(
          R"({"artifact":"bundle_summary","source":"DESKTOP-KK01_20240501120405","host":"DESKTOP-KK01")") !=
      std::string::npos);
  CHECK(jsonl.find(R"("hash_check":{"result":"mismatch","log_rows":16,"matched":14)") !=
        std::string::npos);
  kk_test::fs::remove_all(parent);
}

TEST_CASE(
    "unpack folder: --include-memory hashes the image; --copy copies and leaves the input alone") {
  auto parent = kk_test::fs::path(kk_test::temp_dir());
  kk_test::BundleSpec spec;
  spec.wrong_hash_source.clear();
  auto root = kk_test::build_bundle(parent, spec);
  auto out = kk_test::fs::path(kk_test::temp_dir()) / "out";
  auto opts = kk_test::test_options();
  opts.include_memory = true;
  opts.copy = true;
  kk_test::Unpacked u;
  kk_test::run_unpack(u, root.string(), out.string(), opts);
  CHECK(u.ok);
  REQUIRE(u.result.bundles.size() == 1);
  const auto& b = u.result.bundles[0];
  CHECK(b.summary.hash.result() == "ok");
  CHECK(b.summary.hash.matched == 15);
  auto* ram = kk_test::find_entry(b, "RAM_DESKTOP-KK01.raw");
  REQUIRE(ram);
  CHECK_FALSE(ram->skipped);
  CHECK(ram->digests.sha256 == kk::sha256_hex(std::string(8192, '\x5a')));
  auto* hive = kk_test::find_entry(b, "Registry/山田_太郎_UsrClass.dat");
  REQUIRE(hive);
  CHECK(hive->path == (out / spec.folder / "Registry/山田_太郎_UsrClass.dat").string());
  CHECK(kk_test::read_file(hive->path) == kk_test::cdir_data("100_sub_keys.hiv"));
  CHECK(b.summary.root_path == (out / spec.folder).string());
  // Copying again into the same DIR must not overwrite anything: every file is refused.
  kk_test::Unpacked again;
  kk_test::run_unpack(again, root.string(), out.string(), opts);
  CHECK(again.diag.errors() == 17);
  kk_test::fs::remove_all(parent);
  kk_test::fs::remove_all(out.parent_path());
}

TEST_CASE("unpack folder: files added after collection and a bundle without a log") {
  auto parent = kk_test::fs::path(kk_test::temp_dir());
  kk_test::BundleSpec spec;
  spec.wrong_hash_source.clear();
  auto root = kk_test::build_bundle(parent, spec);
  kk_test::write_bytes(root / "Evtx" / "Added.evtx", "x");
  // A link inside the folder is reported and never followed.
  kk_test::fs::create_symlink("/etc/passwd", root / "Evtx" / "link.evtx");
  kk_test::fs::create_directory_symlink("/etc", root / "linkdir");
  kk_test::Unpacked u;
  kk_test::run_unpack(u, root.string(), "");
  REQUIRE(u.result.bundles.size() == 1);
  CHECK(u.result.bundles[0].summary.hash.not_in_log == std::vector<std::string>{"Evtx/Added.evtx"});
  CHECK(u.result.bundles[0].summary.hash.result() == "incomplete");
  CHECK(u.result.bundles[0].entries.size() == 18);  // 17 + Added.evtx; neither link
  CHECK(u.diag.warnings() == 3);                    // Added.evtx, two links
  kk_test::Unpacked slash;                          // "PC01_.../" names the same folder
  kk_test::run_unpack(slash, root.string() + "/", "");
  REQUIRE(slash.result.bundles.size() == 1);
  CHECK(slash.result.bundles[0].summary.host == "DESKTOP-KK01");

  kk_test::BundleSpec nolog;
  nolog.folder = "PC02_20240102030405";
  nolog.write_log = false;
  auto root2 = kk_test::build_bundle(parent, nolog);
  kk_test::Unpacked v;
  kk_test::run_unpack(v, root2.string(), "");
  REQUIRE(v.result.bundles.size() == 1);
  const auto& s = v.result.bundles[0].summary;
  CHECK(s.hash.result() == "no_log");
  CHECK(s.host == "PC02");
  CHECK_FALSE(s.collection_start);
  REQUIRE(s.folder_time);
  CHECK(kk::format_iso(*s.folder_time) == "2024-01-01T18:04:05.000000Z");
  CHECK(v.result.bundles[0].entries[0].collected_at ==
        s.folder_time);  // falls back to the folder time
  kk_test::fs::remove_all(parent);
}

TEST_CASE("unpack folder with no hash asked: listed and classified, no file read") {
  auto parent = kk_test::fs::path(kk_test::temp_dir());
  kk_test::BundleSpec spec;
  auto root = kk_test::build_bundle(parent, spec);
  kk::cdir::UnpackOptions opts = kk_test::test_options();
  opts.hashes = kk::HashSet{};
  kk_test::Unpacked listed, hashed;
  kk_test::run_unpack(listed, root.string(), "", opts);
  kk_test::run_unpack(hashed, root.string(), "");
  REQUIRE(listed.ok);
  REQUIRE(listed.result.bundles.size() == 1);
  CHECK(listed.result.read_cpu_seconds == 0);  // nothing read
  CHECK(hashed.result.read_cpu_seconds > 0);
  const auto& l = listed.result.bundles[0];
  const auto& h = hashed.result.bundles[0];
  CHECK(l.summary.host == h.summary.host);
  CHECK(l.summary.layout == h.summary.layout);
  CHECK(l.summary.hash.matched == 0);  // nothing to check: every listed file not verified
  CHECK(l.summary.hash.mismatched.empty());
  REQUIRE(l.entries.size() == h.entries.size());
  for (std::size_t i = 0; i < l.entries.size(); ++i) {  // the same files, kinds and places
    INFO(h.entries[i].source);
    CHECK(l.entries[i].source == h.entries[i].source);
    CHECK(l.entries[i].path == h.entries[i].path);
    CHECK(l.entries[i].kind == h.entries[i].kind);
    CHECK(l.entries[i].size == h.entries[i].size);
    CHECK(l.entries[i].skipped == h.entries[i].skipped);
    CHECK(l.entries[i].digests.sha256.empty());
  }
  kk_test::fs::remove_all(parent);
}
