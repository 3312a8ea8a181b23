#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>

#include "../test_util.hpp"
#include "cdir/safe_tree.hpp"

using kk::cdir::safe_components;

TEST_CASE("safe tree: entry names that escape are refused") {
  CHECK_FALSE(safe_components("../evil"));
  CHECK_FALSE(safe_components("a/../../evil"));
  CHECK_FALSE(safe_components("a\\..\\evil"));
  CHECK_FALSE(safe_components("/etc/passwd"));
  CHECK_FALSE(safe_components("\\Windows\\x"));
  CHECK_FALSE(safe_components("C:\\Windows\\x"));
  CHECK_FALSE(safe_components("c:evil"));
  CHECK_FALSE(safe_components(""));
  CHECK_FALSE(safe_components(std::string(300, 'a')));
  auto ok = safe_components(
      "./PC01_20240501120405\\Evtx//Microsoft-Windows-Windows Defender%4Operational.evtx");
  REQUIRE(ok);
  CHECK(ok->size() == 3);
  CHECK((*ok)[2] == "Microsoft-Windows-Windows Defender%4Operational.evtx");
  auto dollar = safe_components("NTFS/C_$UsnJrnl-$J");
  REQUIRE(dollar);
  CHECK((*dollar)[1] == "C_$UsnJrnl-$J");
}

TEST_CASE("safe tree: never overwrites, never follows a planted link") {
  namespace fs = std::filesystem;
  std::string dir = kk_test::temp_dir();
  std::string outside = kk_test::temp_dir();
  kk::cdir::SafeTree tree;
  REQUIRE(tree.open(dir));
  auto fd = tree.create_file({"a", "b.txt"});
  REQUIRE(fd);
  ::close(*fd);
  CHECK_FALSE(tree.create_file({"a", "b.txt"}));  // exists: not overwritten
  fs::create_directory_symlink(outside, fs::path(dir) / "link");
  CHECK_FALSE(tree.create_file({"link", "x.txt"}));
  CHECK(fs::is_empty(outside));
  fs::remove_all(dir);
  fs::remove_all(outside);
}

TEST_CASE("safe tree: thousands of folders do not exhaust file descriptors") {
  std::string dir = kk_test::temp_dir();
  kk::cdir::SafeTree tree;
  REQUIRE(tree.open(dir));
  int created = 0;
  for (int i = 0; i < 3000; ++i) {
    auto fd = tree.create_file({"d" + std::to_string(i), "x" + std::to_string(i % 7), "f"});
    if (fd) {
      ::close(*fd);
      ++created;
    }
  }
  CHECK(created == 3000);
  std::filesystem::remove_all(dir);
}
