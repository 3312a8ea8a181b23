// The safe writer (issue #22): every result file is created O_EXCL|O_NOFOLLOW under a
// temporary name relative to a folder descriptor, and renamed when complete; a refused
// folder gets nothing. The link cases run as root against a folder another user id
// prepared (setpriv), as the security review did; they skip when not root.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "../test_util.hpp"
#include "core/case_dir.hpp"
#include "core/diagnostics.hpp"
#include "core/output.hpp"

namespace fs = std::filesystem;

namespace {

std::size_t entries(const std::string& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

bool is_root() {
  return ::geteuid() == 0;
}

// Runs the shell COMMAND as user id 65534 (nobody), as a local user preparing a trap would.
bool as_other_user(const std::string& command) {
  std::string cmd = "setpriv --reuid=65534 --regid=65534 --clear-groups sh -c '" + command + "'";
  return std::system(cmd.c_str()) == 0;
}

// A shared folder another user can write in (like a team share or /srv/incoming).
std::string shared_dir() {
  std::string d = kk_test::temp_dir();
  ::chmod(d.c_str(), 0777);
  return d;
}

}  // namespace

TEST_CASE("AtomicFile: the name appears only at commit; abandoned, nothing is left") {
  std::string dir = kk_test::temp_dir();
  auto d = kk::CaseDir::open(dir, {true, {}});
  REQUIRE(d);
  {
    auto f = d->create_file("notice.html");
    REQUIRE(f);
    REQUIRE(kk::write_all(f->fd(), "half"));
    CHECK_FALSE(fs::exists(dir + "/notice.html"));  // being written: only the temporary name
    CHECK(fs::exists(f->temp_path()));
  }  // destroyed without commit: an interrupted run
  CHECK(entries(dir) == 0);
  REQUIRE(d->write_file("notice.html", "done"));
  CHECK(kk_test::read_file(dir + "/notice.html") == "done");
  // A case folder's files are written once: a second write is refused, the first stays.
  auto again = d->write_file("notice.html", "other");
  CHECK_FALSE(again);
  CHECK(again.error().message.find("already exists") != std::string::npos);
  CHECK(kk_test::read_file(dir + "/notice.html") == "done");
  CHECK(entries(dir) == 1);
  fs::remove_all(dir);
}

TEST_CASE("AtomicFile: a planted link is never written through") {
  std::string dir = kk_test::temp_dir();
  std::string victim = kk_test::temp_file();
  write_text(victim, "victim");
  fs::create_symlink(victim, dir + "/run.json");
  auto d = kk::CaseDir::open(dir, {true, {}});
  REQUIRE(d);
  CHECK_FALSE(d->write_file("run.json", "{}"));  // no-replace: refused
  CHECK(kk_test::read_file(victim) == "victim");
  // Replace (a tool's -o FILE) swaps the directory entry: the link goes, its target stays.
  REQUIRE(d->write_file("run.json", "{}", kk::AtomicFile::Replace::kExisting));
  CHECK(kk_test::read_file(victim) == "victim");
  CHECK_FALSE(fs::is_symlink(dir + "/run.json"));
  CHECK(kk_test::read_file(dir + "/run.json") == "{}");
  fs::remove_all(dir);
  fs::remove(victim);
}

TEST_CASE("Output -o FILE: replaced only when the run completes; devices written in place") {
  std::string dir = kk_test::temp_dir();
  std::string path = dir + "/out.jsonl";
  write_text(path, "previous result\n");
  {
    kk::Output out;
    REQUIRE(out.open(path, nullptr));
    out.write("partial");
  }  // the run failed before close(): the previous result is intact, no debris
  CHECK(kk_test::read_file(path) == "previous result\n");
  CHECK(entries(dir) == 1);
  {
    kk::Output out;
    REQUIRE(out.open(path, nullptr));
    out.write_in_background();
    out.write("new result\n");
    CHECK(out.close());
  }
  CHECK(kk_test::read_file(path) == "new result\n");
  CHECK(entries(dir) == 1);
  // Buffers handed over (swapped, not copied) keep their place among the copied writes,
  // and come back empty and reusable — in the background and in place.
  for (const bool background : {true, false}) {
    kk::Output out;
    REQUIRE(out.open(path, nullptr));
    if (background) out.write_in_background();
    kk::OutBuffer buf;
    std::string expected;
    for (int i = 0; i < 300; ++i) {
      const std::string line = std::to_string(i) + std::string(i * 37 % 9000, 'x') + "\n";
      if (i % 3 == 0) {
        out.write(line);
      } else {
        buf.append(line);
        if (i % 3 == 2) {
          out.write(buf);
          CHECK(buf.empty());
        }
      }
      expected += line;
    }
    out.write(buf);
    CHECK(out.close());
    CHECK(kk_test::read_file(path) == expected);
  }
  // /dev/null stays a device (a rename onto it, as root, would replace it with a file).
  {
    kk::Output out;
    REQUIRE(out.open("/dev/null", nullptr));
    out.write("x");
    CHECK(out.close());
  }
  struct stat st {};
  REQUIRE(::stat("/dev/null", &st) == 0);
  CHECK(S_ISCHR(st.st_mode));
  std::string err;
  kk::Output missing;
  CHECK_FALSE(missing.open(dir + "/no/such/folder/x.jsonl", &err));
  CHECK(err == "No such file or directory");
  fs::remove_all(dir);
}

TEST_CASE("Diagnostics --diagnostics FILE: complete at finish(), readable while written") {
  std::string dir = kk_test::temp_dir();
  kk::Diagnostics d("test");
  d.set_stderr_limit(0);
  REQUIRE(d.open_jsonl(dir + "/diag.jsonl", nullptr));
  d.warning("a", 1, "one");
  d.flush();
  CHECK(kk_test::read_file(d.jsonl_path()).find("\"one\"") != std::string::npos);
  CHECK_FALSE(fs::exists(dir + "/diag.jsonl"));
  d.finish();
  CHECK(kk_test::read_file(dir + "/diag.jsonl").find("\"one\"") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("CaseDir: refused folders are left exactly as they were") {
  std::string root = kk_test::temp_dir();
  // Created, with its parents.
  auto made = kk::CaseDir::open(root + "/a/b/case", {});
  REQUIRE(made);
  CHECK(made->created());
  // An existing empty folder of this user is taken.
  fs::create_directory(root + "/empty");
  auto taken = kk::CaseDir::open(root + "/empty/", {});
  REQUIRE(taken);
  CHECK_FALSE(taken->created());
  CHECK(taken->path() == root + "/empty");
  // Not empty: refused, nothing added.
  fs::create_directory(root + "/full");
  write_text(root + "/full/run.json", "{\"status\":\"completed\"}");
  auto full = kk::CaseDir::open(root + "/full", {});
  REQUIRE_FALSE(full);
  CHECK(full.error().message.find("is not empty") != std::string::npos);
  CHECK(entries(root + "/full") == 1);
  CHECK(kk::CaseDir::open(root + "/full", {true, {}}));  // allowed where the caller says so
  // A link (to a system folder, say): refused, nothing created behind it.
  fs::create_directory(root + "/target");
  fs::create_directory_symlink(root + "/target", root + "/link");
  auto link = kk::CaseDir::open(root + "/link", {true, {}});
  REQUIRE_FALSE(link);
  CHECK(link.error().message.find("symbolic link") != std::string::npos);
  CHECK(entries(root + "/target") == 0);
  // A file: refused.
  write_text(root + "/file", "x");
  CHECK_FALSE(kk::CaseDir::open(root + "/file", {true, {}}));
  // The input folder itself or a folder inside it: refused, nothing created.
  fs::create_directories(root + "/PC01_20240501120000/Evtx");
  kk::CaseDir::Policy in_input{true, {root + "/PC01_20240501120000"}};
  for (std::string out : {"/PC01_20240501120000", "/PC01_20240501120000/Evtx",
                          "/PC01_20240501120000/new/case", "/a/../PC01_20240501120000/x"}) {
    auto r = kk::CaseDir::open(root + out, in_input);
    INFO(out);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("inside, the input") != std::string::npos);
  }
  CHECK(entries(root + "/PC01_20240501120000") == 1);
  CHECK(entries(root + "/PC01_20240501120000/Evtx") == 0);
  CHECK(kk::CaseDir::open(root + "/beside", in_input));
  // Subfolders are new (mkdirat) and never links.
  REQUIRE(made->create_dir("records"));
  CHECK_FALSE(made->create_dir("records"));
  fs::create_directory_symlink(root + "/target", root + "/a/b/case/evidence");
  CHECK_FALSE(made->open_dir("evidence"));
  CHECK_FALSE(made->create_dir(".."));
  fs::remove_all(root);
}

TEST_CASE("CaseDir as root: a folder another user prepared is refused; plants do not redirect") {
  if (!is_root()) {
    MESSAGE("skipped: the link cases run as root (the analysts' service runs the tools so)");
    return;
  }
  std::string share = shared_dir();
  std::string victim = share + "/victim";  // a root-owned file the attacker wants overwritten
  write_text(victim, "root's file");
  ::chmod(victim.c_str(), 0644);
  // An empty folder the other user made: root may not write there (they could plant links
  // while the run goes on); refused before anything is written.
  REQUIRE(as_other_user("mkdir " + share + "/case"));
  auto theirs = kk::CaseDir::open(share + "/case", {});
  REQUIRE_FALSE(theirs);
  CHECK(theirs.error().message.find("belongs to user id 65534") != std::string::npos);
  CHECK(entries(share + "/case") == 0);
  // A folder of theirs holding run.json -> victim: refused, the victim untouched.
  REQUIRE(as_other_user("mkdir " + share + "/case2 && ln -s " + victim + " " + share +
                        "/case2/run.json"));
  CHECK_FALSE(kk::CaseDir::open(share + "/case2", {}));
  CHECK(kk_test::read_file(victim) == "root's file");
  // Even in a folder of root's that others can write to (a lax umask), what the other user
  // plants while the run goes on is never written through.
  auto ours = kk::CaseDir::open(share + "/case3", {});
  REQUIRE(ours);
  ::chmod((share + "/case3").c_str(), 0777);
  REQUIRE(as_other_user("ln -s " + victim + " " + share + "/case3/notice.html && mkdir " + share +
                        "/case3/records"));
  CHECK_FALSE(ours->write_file("notice.html", "<html>"));
  CHECK_FALSE(ours->create_dir("records"));  // theirs: not used
  CHECK_FALSE(ours->open_dir("records"));    // and not entered
  CHECK(kk_test::read_file(victim) == "root's file");
  REQUIRE(ours->write_file("notice.md", "ok"));
  fs::remove_all(share);
}
