// Bundles as customers send them: zipped by Japanese Windows (CP932 names, no UTF-8 flag,
// ZipCrypto password), 7z, tar.gz of an old v1.2 layout, several PCs in one zip. The archives
// are made by the real tools (zip, 7z, tar) when they are installed.
#include <doctest/doctest.h>

#include "unpack_helpers.hpp"

using namespace kk::cdir;

namespace {

struct Workdir {
  kk_test::fs::path src = kk_test::temp_dir();
  kk_test::fs::path out = kk_test::fs::path(kk_test::temp_dir()) / "out";
  ~Workdir() {
    kk_test::fs::remove_all(src);
    kk_test::fs::remove_all(out.parent_path());
  }
};

void check_standard_bundle(const Bundle& b, const kk_test::fs::path& out,
                           const std::string& prefix) {
  CHECK(b.summary.host == "DESKTOP-KK01");
  CHECK(b.summary.hash.mismatched == std::vector<std::string>{"Prefetch/CMD.EXE-D269B812.pf"});
  CHECK(b.summary.hash.matched == 14);
  CHECK(b.summary.hash.missing_from_bundle.empty());
  CHECK(b.summary.hash.not_in_log.empty());
  auto* hive = kk_test::find_entry(b, "Registry/山田_太郎_NTUSER.dat.LOG1");
  REQUIRE(hive);
  CHECK(hive->path == (out / prefix / "Registry/山田_太郎_NTUSER.dat.LOG1").string());
  CHECK(hive->hash_match == true);
  auto* defender =
      kk_test::find_entry(b, "Evtx/Microsoft-Windows-Windows Defender%4Operational.evtx");
  REQUIRE(defender);
  CHECK(kk_test::fs::exists(defender->path));
  CHECK(defender->digests.sha256 ==
        "d7bebbe4a9bd6fdcfe53e019e7386a983f89c2fc7919fc51ecf249453ed60780");
  auto* ram = kk_test::find_entry(b, "RAM_DESKTOP-KK01.raw");
  REQUIRE(ram);
  CHECK(ram->skipped);
  CHECK(ram->path.empty());
  CHECK_FALSE(kk_test::fs::exists(out / prefix / "RAM_DESKTOP-KK01.raw"));  // streamed past
}

}  // namespace

TEST_CASE("unpack archive: zip from Japanese Windows, CP932 names, ZipCrypto password") {
  if (!kk_test::have_tool("zip")) {
    MESSAGE("zip not installed; skipped");
    return;
  }
  Workdir w;
  kk_test::BundleSpec spec;
  kk_test::build_bundle(w.src / "cp932", spec, /*cp932_names=*/true);
  // LC_ALL=C: Info-ZIP stores the bytes as they are, without the UTF-8 flag or extra field.
  REQUIRE(kk_test::sh("cd '" + (w.src / "cp932").string() +
                      "' && LC_ALL=C zip -q -r -P 'pa ss' ../b.zip " + spec.folder) == 0);
  auto zip = (w.src / "b.zip").string();
  {
    kk_test::Unpacked u;
    auto opts = kk_test::test_options();
    opts.password = "pa ss";
    kk_test::run_unpack(u, zip, w.out.string(), opts);
    CHECK(u.ok);
    CHECK(u.diag.errors() == 0);
    REQUIRE(u.result.bundles.size() == 1);
    check_standard_bundle(u.result.bundles[0], w.out, spec.folder);
  }
  SUBCASE("wrong password: one clear error, no partial file") {
    auto out2 = w.out.string() + "2";
    kk_test::Unpacked u;
    auto opts = kk_test::test_options();
    opts.password = "wrong";
    kk_test::run_unpack(u, zip, out2, opts);
    CHECK_FALSE(u.ok);
    CHECK(u.diag.errors() == 1);
    CHECK(u.result.stopped.find("wrong password") != std::string::npos);
    CHECK(kk_test::tree_files(out2).empty());
  }
  SUBCASE("no password given") {
    auto out3 = w.out.string() + "3";
    kk_test::Unpacked u;
    kk_test::run_unpack(u, zip, out3);
    CHECK_FALSE(u.ok);
    CHECK(u.result.stopped.find("--password-file") != std::string::npos);
    CHECK(kk_test::tree_files(out3).empty());
  }
}

TEST_CASE("unpack archive: AES-256 zip and 7z made by 7-Zip") {
  if (!kk_test::have_tool("7z")) {
    MESSAGE("7z not installed; skipped");
    return;
  }
  Workdir w;
  kk_test::BundleSpec spec;
  kk_test::build_bundle(w.src, spec);
  REQUIRE(kk_test::sh("cd '" + w.src.string() +
                      "' && 7z a -bd -bso0 -tzip -mem=AES256 -psecret aes.zip " + spec.folder) ==
          0);
  REQUIRE(kk_test::sh("cd '" + w.src.string() + "' && 7z a -bd -bso0 b.7z " + spec.folder) == 0);
  {
    kk_test::Unpacked u;
    auto opts = kk_test::test_options();
    opts.password = "secret";
    kk_test::run_unpack(u, (w.src / "aes.zip").string(), w.out.string(), opts);
    CHECK(u.ok);
    REQUIRE(u.result.bundles.size() == 1);
    check_standard_bundle(u.result.bundles[0], w.out, spec.folder);
  }
  {
    kk_test::Unpacked u;
    auto out7 = kk_test::fs::path(w.out.string() + "7");
    kk_test::run_unpack(u, (w.src / "b.7z").string(), out7.string());
    CHECK(u.ok);
    CHECK(u.diag.errors() == 0);
    REQUIRE(u.result.bundles.size() == 1);
    check_standard_bundle(u.result.bundles[0], out7, spec.folder);
    kk_test::fs::remove_all(out7);
  }
  {
    // 7z AES: libarchive cannot decrypt it; the error says so instead of "wrong password".
    REQUIRE(kk_test::sh("cd '" + w.src.string() + "' && 7z a -bd -bso0 -psecret enc.7z " +
                        spec.folder) == 0);
    kk_test::Unpacked u;
    auto opts = kk_test::test_options();
    opts.password = "secret";
    auto out8 = kk_test::fs::path(w.out.string() + "8");
    kk_test::run_unpack(u, (w.src / "enc.7z").string(), out8.string(), opts);
    CHECK_FALSE(u.ok);
    CHECK(u.diag.errors() == 1);
    CHECK(u.result.stopped.find("cannot decrypt") != std::string::npos);
    kk_test::fs::remove_all(out8);
  }
}

TEST_CASE("unpack archive: old v1.2 layout as tar.gz, English log, single-threaded") {
  Workdir w;
  kk_test::BundleSpec spec;
  spec.v12 = true;
  spec.english_log = true;
  spec.folder = "OLDPC_20190315093000";
  kk_test::build_bundle(w.src, spec);
  REQUIRE(kk_test::sh("cd '" + w.src.string() + "' && tar czf old.tar.gz " + spec.folder) == 0);
  kk_test::Unpacked u;
  auto opts = kk_test::test_options();
  opts.jobs = 1;
  kk_test::run_unpack(u, (w.src / "old.tar.gz").string(), w.out.string(), opts);
  // The same bundle as tar.xz and tar.zst gives the same verified result.
  for (std::string flags : {"cJf old.tar.xz", "--zstd -cf old.tar.zst"}) {
    std::string name = flags.substr(flags.rfind(' ') + 1);
    if (kk_test::sh("cd '" + w.src.string() + "' && tar " + flags + " " + spec.folder +
                    " 2>/dev/null") != 0) {
      MESSAGE("tar cannot write " << name << "; skipped");
      continue;
    }
    kk_test::Unpacked v;
    kk_test::run_unpack(v, (w.src / name).string(), (w.out.parent_path() / name).string());
    CHECK(v.ok);
    REQUIRE(v.result.bundles.size() == 1);
    CHECK(v.result.bundles[0].summary.hash.matched == 9);
  }
  CHECK(u.ok);
  REQUIRE(u.result.bundles.size() == 1);
  const auto& s = u.result.bundles[0].summary;
  CHECK(s.layout == Layout::kV12);
  CHECK(s.host == "OLDPC");
  CHECK(s.log_language == "en");
  CHECK(s.log_encoding == "cp932");  // the user name in the paths is Japanese
  CHECK(kk::format_iso(*s.collection_start) == "2024-05-01T03:04:05.000000Z");
  CHECK(s.hash.matched == 9);
  CHECK(s.hash.mismatched.size() == 1);
  CHECK(s.hash.missing_from_bundle.empty());
  auto* mft = kk_test::find_entry(u.result.bundles[0], "C_$MFT");
  REQUIRE(mft);
  CHECK(mft->kind == Kind::kMft);
  CHECK(mft->hash_match == true);
  CHECK(mft->digests.sha256 == "2b8a700716f1dda596551bde7d351dbc053c1c1e08e919aec2d2afc45c748b3b");
}

TEST_CASE("unpack archive: two PCs in one zip, nested in a case folder") {
  if (!kk_test::have_tool("zip")) {
    MESSAGE("zip not installed; skipped");
    return;
  }
  Workdir w;
  kk_test::BundleSpec a, b;
  b.folder = "LAPTOP-02_D_20240502090000";
  b.wrong_hash_source.clear();
  kk_test::build_bundle(w.src / "case 42", a);
  kk_test::build_bundle(w.src / "case 42", b);
  kk_test::write_bytes(w.src / "case 42" / "readme.txt", "sent by the customer");
  REQUIRE(kk_test::sh("cd '" + w.src.string() + "' && zip -q -r two.zip 'case 42'") == 0);
  kk_test::Unpacked u;
  kk_test::run_unpack(u, (w.src / "two.zip").string(), w.out.string());
  CHECK(u.ok);
  REQUIRE(u.result.bundles.size() == 2);
  CHECK(u.result.bundles[0].summary.root == "case 42/DESKTOP-KK01_20240501120405");
  CHECK(u.result.bundles[0].summary.host == "DESKTOP-KK01");
  CHECK(u.result.bundles[1].summary.host == "LAPTOP-02");
  CHECK(u.result.bundles[1].summary.target_drive == 'D');
  CHECK(u.result.bundles[1].summary.hash.result() == "ok");
  CHECK(u.result.bundles[1].entries[0].host == "LAPTOP-02");
  REQUIRE(u.result.loose.size() == 1);
  CHECK(u.result.loose[0].source == "case 42/readme.txt");
  CHECK(u.result.loose[0].host.empty());
}

TEST_CASE(
    "unpack archive: a bundle zipped from inside its folder takes host from the archive name") {
  if (!kk_test::have_tool("zip")) {
    MESSAGE("zip not installed; skipped");
    return;
  }
  Workdir w;
  kk_test::BundleSpec spec;
  spec.wrong_hash_source.clear();
  auto root = kk_test::build_bundle(w.src, spec);
  REQUIRE(kk_test::sh("cd '" + root.string() + "' && zip -q -r ../PC77_20240601100000.zip .") == 0);
  kk_test::Unpacked u;
  kk_test::run_unpack(u, (w.src / "PC77_20240601100000.zip").string(), w.out.string());
  REQUIRE(u.result.bundles.size() == 1);
  CHECK(u.result.bundles[0].summary.root.empty());
  CHECK(u.result.bundles[0].summary.host == "PC77");
  CHECK(u.result.bundles[0].summary.hash.result() == "ok");

  // A renamed bundle folder inside the archive: the archive's name still gives the host.
  auto renamed = w.src / "renamed";
  kk_test::fs::create_directories(renamed);
  kk_test::fs::rename(root, renamed / "evidence");
  REQUIRE(kk_test::sh("cd '" + renamed.string() +
                      "' && zip -q -r ../PC88_20240601100000.zip evidence") == 0);
  kk_test::Unpacked v;
  kk_test::run_unpack(v, (w.src / "PC88_20240601100000.zip").string(), (w.out.string() + "r"));
  REQUIRE(v.result.bundles.size() == 1);
  CHECK(v.result.bundles[0].summary.root == "evidence");
  CHECK(v.result.bundles[0].summary.host == "PC88");
  kk_test::fs::remove_all(w.out.string() + "r");
}

TEST_CASE("unpack archive: CP932 names whose second byte is 0x5C ('\\') stay whole") {
  if (!kk_test::have_tool("zip")) {
    MESSAGE("zip not installed; skipped");
    return;
  }
  Workdir w;
  // 表 = 0x95 0x5C and ソ = 0x83 0x5C in CP932: a byte-level split on '\' would cut them.
  const std::string user = "表計算_ソフト";
  auto dir = w.src / "PC01_20240501120405" / "Registry";
  kk_test::write_bytes(dir / kk_test::to_cp932(user + "_NTUSER.dat"),
                       kk_test::cdir_data("100_sub_keys.hiv"));
  REQUIRE(kk_test::sh("cd '" + w.src.string() +
                      "' && LC_ALL=C zip -q -r t.zip PC01_20240501120405") == 0);
  kk_test::Unpacked u;
  kk_test::run_unpack(u, (w.src / "t.zip").string(), w.out.string());
  CHECK(u.diag.errors() == 0);
  REQUIRE(u.result.bundles.size() == 1);
  REQUIRE(u.result.bundles[0].entries.size() == 1);
  const auto& e = u.result.bundles[0].entries[0];
  CHECK(e.source == "Registry/" + user + "_NTUSER.dat");
  CHECK(e.user == user);
  CHECK(e.kind == Kind::kRegistry);
  CHECK(e.path == (w.out / "PC01_20240501120405/Registry" / (user + "_NTUSER.dat")).string());
  CHECK(kk_test::fs::exists(e.path));
}
