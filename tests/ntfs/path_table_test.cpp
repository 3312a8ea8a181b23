#include <doctest/doctest.h>

#include "ntfs/path_table.hpp"

using kk::ntfs::FileReference;
using kk::ntfs::PathTable;

TEST_CASE("paths: sequence checks, deleted parents, orphans, cycles") {
  PathTable t;
  t.set(5, 5, true, true);
  t.set_name(5, {5, 5}, ".");
  t.set(40, 3, true, true);
  t.set_name(40, {5, 5}, "Windows");
  t.set(41, 7, false, true);  // deleted folder: sequence bumped from 6 to 7
  t.set_name(41, {40, 3}, "Temp");
  t.set(50, 2, true, true);  // a loop 50 → 51 → 50
  t.set_name(50, {51, 1}, "a");
  t.set(51, 1, true, true);
  t.set_name(51, {50, 2}, "b");
  CHECK(t.resolve({41, 6}, "x.exe").path == "\\Windows\\Temp\\x.exe");
  CHECK(t.resolve({41, 6}, "x.exe").complete);
  // Sequence 5 is older than the folder that was freed: not the same folder.
  auto r = t.resolve({41, 5}, "x.exe");
  CHECK_FALSE(r.complete);
  CHECK(r.path == "\\$OrphanFiles\\x.exe");
  CHECK(t.resolve({99, 1}, "y").path == "\\$OrphanFiles\\y");
  auto loop = t.resolve({50, 2}, "z");
  CHECK_FALSE(loop.complete);
  CHECK(loop.path.rfind("\\$OrphanFiles\\", 0) == 0);
  CHECK(t.entry_path(5).path == "\\");
  CHECK(t.entry_path(40).path == "\\Windows");
  CHECK(sizeof(PathTable::Node) == 16);
}
