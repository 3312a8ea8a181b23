// Hostile and damaged input: never refused beyond "not ESE", never aborted, every
// skip named with its file offset, the rest still read.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>

#include "ese/ese.hpp"
#include "ese_fixture.hpp"

using kk::ese::Database;

namespace {
std::uint64_t count_all(const Database& db) {
  std::uint64_t n = 0;
  for (const auto& t : db.tables()) n += db.for_each_record(t, [](const auto&) {}).records;
  return n;
}
bool any_issue(const Database& db, const std::string& text) {
  return std::any_of(db.issues().begin(), db.issues().end(),
                     [&](const auto& i) { return i.message.find(text) != std::string::npos; });
}
}  // namespace

TEST_CASE("ese: empty and non-ESE files are refused with the reason and offset") {
  std::vector<std::uint8_t> empty;
  auto r = Database::open(empty);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("too small") != std::string::npos);

  std::vector<std::uint8_t> text(8192, 'A');
  r = Database::open(text);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "not an ESE database (no 0x89ABCDEF signature at offset 4)");
  CHECK(r.error().offset == 4u);
}

TEST_CASE("ese: a dirty-shutdown header is read and reported, never refused") {
  auto file = kk_test::small_srum();
  file[52] = 2;  // JET_dbstateDirtyShutdown
  auto db = Database::open(file);
  REQUIRE(db.ok());
  CHECK(db->header().dirty());
  CHECK(db->header().state_name() == "dirty_shutdown");
  CHECK(count_all(*db) == 161 * 2 + 28 + 7 + 106 + 6 + 3 + 203 + 3 + 3 + 2);
}

TEST_CASE("ese: a broken first header falls back to the shadow copy") {
  auto file = kk_test::small_srum();
  std::memset(file.data(), 0, 4096);
  auto db = Database::open(file);
  REQUIRE(db.ok());
  CHECK(db->header().from_shadow);
  CHECK(db->tables().size() == 12);
  CHECK(any_issue(*db, "shadow copy"));
}

TEST_CASE("ese: a truncated database gives what lies before the cut") {
  auto file = kk_test::small_srum();
  file.resize(file.size() / 2 + 100);  // also ends inside a page
  auto db = Database::open(file);
  REQUIRE(db.ok());
  const auto n = count_all(*db);
  CHECK(n > 300);
  CHECK(n < 161 * 2 + 28 + 7 + 106 + 6 + 3 + 203 + 3 + 3 + 2);
  CHECK(any_issue(*db, "file ends inside a page"));
  CHECK(any_issue(*db, "is outside the file"));
}

TEST_CASE("ese: a page whose tag array is noise is skipped value by value, with its offset") {
  auto file = kk_test::small_srum();
  auto clean = Database::open(file);
  REQUIRE(clean.ok());
  // The SruDbIdMapTable leaf page holding IdIndex 10 (sihost.exe).
  std::uint32_t page = 0;
  clean->for_each_record(*clean->table("SruDbIdMapTable"), [&](const kk::ese::Record& r) {
    if (r.get("IdIndex").integer() == 10) page = r.page();
  });
  REQUIRE(page != 0);
  const std::size_t end = (page + 2) * 4096ull;
  for (std::size_t i = end - 64; i < end; ++i) file[i] = static_cast<std::uint8_t>(i * 37 + 11);
  auto db = Database::open(file);
  REQUIRE(db.ok());
  auto stats = db->for_each_record(*db->table("SruDbIdMapTable"), [](const auto&) {});
  CHECK(stats.records < 106);
  CHECK(stats.records > 0);
  REQUIRE_FALSE(db->issues().empty());
  CHECK(db->issues().front().offset >= (page + 1) * 4096ull);
  CHECK(db->issues().front().offset < end);
}

TEST_CASE("ese: a branch that points back to its root is a loop, reported once, not followed") {
  auto file = kk_test::small_srum();
  auto clean = Database::open(file);
  REQUIRE(clean.ok());
  const auto* t = clean->table("{D10CA2FE-6FCF-4F6D-848E-B2E99266FA89}");
  REQUIRE(t != nullptr);
  // Every page of the file that is a branch of this table: point its first child at the root.
  bool patched = false;
  for (std::size_t p = 1; (p + 1) * 4096 < file.size(); ++p) {
    const std::size_t off = (p + 1) * 4096;
    std::uint32_t objid, flags;
    std::memcpy(&objid, &file[off + 24], 4);
    std::memcpy(&flags, &file[off + 36], 4);
    if (objid != t->objid || (flags & 2) || !(flags & 1)) continue;
    // Tag 1 of the root: the node's child page number is its last 4 bytes.
    std::uint16_t cb, ib;
    std::memcpy(&cb, &file[off + 4096 - 8], 2);
    std::memcpy(&ib, &file[off + 4096 - 6], 2);
    const std::size_t value_end = off + 40 + (ib & 0x1FFF) + (cb & 0x1FFF);
    std::memcpy(&file[value_end - 4], &t->root_page, 4);
    patched = true;
  }
  REQUIRE(patched);
  auto db = Database::open(file);
  REQUIRE(db.ok());
  auto stats = db->for_each_record(*db->table(t->name), [](const auto&) {});
  CHECK(stats.records < 203);
  CHECK(any_issue(*db, "reached twice"));
}
