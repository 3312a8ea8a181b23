// The unpack-cdir command itself: exit status, the one-line password error, -o DIR, --manifest.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <sstream>

#include "unpack_helpers.hpp"

namespace {

const std::string kTool = std::string(KK_BIN_DIR) + "/unpack-cdir";

std::size_t count_lines(const std::string& s, const std::string& needle = "") {
  std::istringstream in(s);
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line))
    if (needle.empty() || line.find(needle) != std::string::npos) ++n;
  return n;
}

}  // namespace

TEST_CASE("tool: folder in place, zip with password file, wrong password, usage errors") {
  if (!kk_test::fs::exists(kTool)) {
    MESSAGE("unpack-cdir not built; skipped");
    return;
  }
  auto base = kk_test::fs::path(kk_test::temp_dir());
  kk_test::BundleSpec spec;
  spec.wrong_hash_source.clear();
  auto root = kk_test::build_bundle(base / "src", spec);
  auto err = (base / "err.txt").string(), man = (base / "m.jsonl").string();
  auto run = [&](const std::string& args) {
    return WEXITSTATUS(kk_test::sh(kTool + " " + args + " --min-free 0 2>'" + err + "'"));
  };
  CHECK(run("'" + root.string() + "' --manifest '" + man + "'") == 0);
  std::string m = kk_test::read_file(man);
  CHECK(count_lines(m, "\"artifact\":\"manifest\"") == 17);
  CHECK(count_lines(m, "\"hash_check\":{\"result\":\"ok\"") == 1);
  CHECK(kk_test::read_file(err).empty());

  if (kk_test::have_tool("zip")) {
    REQUIRE(kk_test::sh("cd '" + (base / "src").string() + "' && zip -q -r -P 's3cret' ../b.zip " +
                        spec.folder) == 0);
    kk_test::write_bytes(base / "pw.txt", "s3cret\r\n");
    kk_test::write_bytes(base / "bad.txt", "nope\n");
    auto zip = (base / "b.zip").string();
    CHECK(run("'" + zip + "' -o '" + (base / "out").string() + "' --password-file '" +
              (base / "pw.txt").string() + "' --manifest '" + man + "'") == 0);
    CHECK(count_lines(kk_test::read_file(man), "\"hash_match\":true") == 15);
    CHECK(run("'" + zip + "' -o '" + (base / "out2").string() + "' --password-file '" +
              (base / "bad.txt").string() + "' --manifest '" + man + "'") == 1);
    std::string e = kk_test::read_file(err);
    CHECK(count_lines(e, "wrong password") == 1);
    CHECK(count_lines(e, "unpack-cdir:") == 1);  // one clear error, nothing else
    CHECK(kk_test::tree_files(base / "out2").empty());
    CHECK(run("'" + zip + "'") == 2);  // an archive needs -o DIR
  }
  CHECK(run("--max-size 12Q '" + root.string() + "'") == 2);
  kk_test::fs::remove_all(base);
}

TEST_CASE("tool: a damaged gzip (fuzz finding) ends in one line and exit 1, in bounded memory") {
  if (!kk_test::fs::exists(kTool)) {
    MESSAGE("unpack-cdir not built; skipped");
    return;
  }
  auto base = kk_test::fs::path(kk_test::temp_dir());
  auto err = (base / "err.txt").string();
  std::string input = std::string(KK_TEST_DATA) + "/cdir/corrupt-gzip-null-error.bin";
  int status = kk_test::sh(
      kk_test::bounded(kTool + " '" + input + "' -o '" + (base / "out").string() + "' --min-free 0",
                       1024, 60) +
      " 2>'" + err + "'");
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);  // was a segmentation fault (139)
  std::string e = kk_test::read_file(err);
  CHECK(count_lines(e) == 1);
  CHECK(count_lines(e, "not a readable archive") == 1);
  kk_test::fs::remove_all(base);
}

// Issue #20: re-running the README pipeline unpacks into the evidence folder it made the
// first time. Identical files are verified and reused (same manifest, exit 0); a file whose
// content changed is refused, kept as it is, and the run exits 1.
TEST_CASE("tool: a rerun into the same evidence folder verifies and reuses it") {
  if (!kk_test::fs::exists(kTool) || !kk_test::have_tool("zip")) {
    MESSAGE("unpack-cdir or zip not available; skipped");
    return;
  }
  auto base = kk_test::fs::path(kk_test::temp_dir());
  kk_test::BundleSpec spec;
  spec.wrong_hash_source.clear();
  kk_test::build_bundle(base / "src", spec);
  REQUIRE(kk_test::sh("cd '" + (base / "src").string() + "' && zip -q -r ../b.zip " +
                      spec.folder) == 0);
  auto err = (base / "err.txt").string();
  auto run = [&](const std::string& manifest) {
    return WEXITSTATUS(kk_test::sh(kTool + " '" + (base / "b.zip").string() + "' -o '" +
                                   (base / "ev").string() + "' --min-free 0 --manifest '" +
                                   (base / manifest).string() + "' 2>'" + err + "'"));
  };
  int first = run("m1.jsonl");
  CHECK(first == 0);
  CHECK(run("m2.jsonl") == first);
  CHECK(kk_test::read_file(base / "m1.jsonl") == kk_test::read_file(base / "m2.jsonl"));
  std::string e = kk_test::read_file(err);
  CHECK(count_lines(e) == 1);
  CHECK(count_lines(e, "identical to the archive's (MD5, SHA-1, SHA-256): verified and reused") ==
        1);
  auto changed = base / "ev" / spec.folder / "Evtx" / "Security.evtx";
  REQUIRE(kk_test::fs::exists(changed));
  kk_test::write_bytes(changed, "not the original");
  CHECK(run("m3.jsonl") == 1);
  CHECK(kk_test::read_file(changed) == "not the original");  // never overwritten
  CHECK(count_lines(kk_test::read_file(err), "with other content; not overwritten") == 1);
  kk_test::fs::remove_all(base);
}
