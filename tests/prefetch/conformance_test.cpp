// Conformance with libscca's sccainfo: for every prefetch file that has a reference
// output, every field sccainfo prints must agree with parse_prefetch, value by value.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "core/mapped_file.hpp"
#include "prefetch/prefetch.hpp"
#include "sccainfo_reference.hpp"

namespace fs = std::filesystem;

namespace {

struct Tally {
  std::size_t files = 0, fields = 0, agreed = 0;
};

// Counts one compared field; CHECKs it so a disagreement names file and field.
template <typename A, typename B>
void agree(Tally& t, const std::string& file, const char* field, const A& ours, const B& theirs) {
  ++t.fields;
  if (ours == theirs) {
    ++t.agreed;
    return;
  }
  CHECK_MESSAGE(ours == theirs, file << ": " << std::string(field) << " differs from sccainfo");
}

void compare(const std::string& pf, const kk_test::SccaInfoReference& ref, Tally& t) {
  kk::MappedFile mf;
  std::string err;
  REQUIRE_MESSAGE(mf.open(pf, &err), pf << ": " << err);
  auto r = kk::parse_prefetch(mf.bytes());
  ++t.files;
  if (ref.exit_code != 0) {
    // sccainfo could not open it. Either we refuse it too, with a reason, or (a bare
    // header fragment) we read what exists and say what is missing.
    if (r.ok()) {
      CHECK_MESSAGE(!r->issues.empty(), pf << ": sccainfo fails on it, we report no damage");
    } else {
      CHECK_MESSAGE(!r.error().message.empty(), pf);
    }
    return;
  }
  REQUIRE_MESSAGE(r.ok(), pf << ": " << (r.ok() ? std::string() : r.error().message));
  const kk::PrefetchInfo& info = *r;
  CHECK_MESSAGE(info.issues.empty(), pf << ": unexpected issue: "
                                        << (info.issues.empty() ? "" : info.issues[0].message));
  // Not printed by sccainfo, but every corpus file lists its own executable.
  CHECK_MESSAGE(info.executable_path.has_value(), pf << ": executable not found among the files");
  agree(t, pf, "version", info.version, ref.version);
  agree(t, pf, "prefetch hash", info.prefetch_hash, ref.prefetch_hash);
  agree(t, pf, "executable", info.executable, ref.executable);
  agree(t, pf, "run count", info.run_count, ref.run_count);
  agree(t, pf, "number of last run times", info.last_run_times.size(), ref.last_run_times.size());
  for (std::size_t i = 0; i < std::min(info.last_run_times.size(), ref.last_run_times.size()); ++i)
    agree(t, pf, "last run time", info.last_run_times[i], ref.last_run_times[i]);
  agree(t, pf, "number of filenames", info.files.size(), ref.number_of_filenames);
  REQUIRE(ref.filenames.size() == ref.number_of_filenames);
  for (std::size_t i = 0; i < std::min(info.files.size(), ref.filenames.size()); ++i)
    agree(t, pf, "filename", info.files[i].path, ref.filenames[i]);
  agree(t, pf, "number of volumes", info.volumes.size(), ref.number_of_volumes);
  for (std::size_t i = 0; i < std::min(info.volumes.size(), ref.volumes.size()); ++i) {
    agree(t, pf, "volume device path", info.volumes[i].device_path, ref.volumes[i].device_path);
    agree(t, pf, "volume creation time", info.volumes[i].created, ref.volumes[i].created);
    agree(t, pf, "volume serial number", info.volumes[i].serial, ref.volumes[i].serial);
  }
}

// Every "<X>.sccainfo.txt" under REFS, compared with the prefetch file <X> under FILES.
Tally compare_tree(const fs::path& refs, const fs::path& files) {
  Tally t;
  for (const auto& e : fs::recursive_directory_iterator(refs)) {
    const std::string name = e.path().filename().string();
    const std::string suffix = ".sccainfo.txt";
    if (!e.is_regular_file() || name.size() <= suffix.size() ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    const fs::path rel = fs::relative(e.path(), refs);
    const fs::path pf = files / rel.parent_path() / name.substr(0, name.size() - suffix.size());
    auto ref = kk_test::read_sccainfo_reference(e.path().string());
    REQUIRE(ref.has_value());
    REQUIRE_MESSAGE(fs::exists(pf), pf.string());
    compare(pf.string(), *ref, t);
  }
  return t;
}

}  // namespace

TEST_CASE("conformance: test data agrees with sccainfo field by field") {
  const fs::path dir = fs::path(KK_TEST_DATA) / "prefetch";
  Tally t = compare_tree(dir, dir);
  CHECK(t.files == 6);
  CHECK(t.agreed == t.fields);
  MESSAGE("tests/data/prefetch: " << t.files << " files, " << t.agreed << "/" << t.fields
                                  << " fields agree with sccainfo");
}

TEST_CASE("conformance: every corpus prefetch file agrees with sccainfo field by field") {
  const fs::path corpus = KK_CORPUS;
  if (!fs::exists(corpus / "prefetch_reference")) {
    MESSAGE("corpus not found at " << corpus.string() << "; skipped");
    return;
  }
  Tally t = compare_tree(corpus / "prefetch_reference", corpus / "prefetch");
  CHECK(t.files == 47);  // 44 prefetch files, Bad/notAPrefetch.pf and 2 libscca fragments
  CHECK(t.agreed == t.fields);
  MESSAGE("corpus: " << t.files << " files, " << t.agreed << "/" << t.fields
                     << " fields agree with sccainfo");
}

TEST_CASE("conformance: the non-prefetch file gives a clear error") {
  kk::MappedFile mf;
  std::string err;
  REQUIRE(mf.open(std::string(KK_TEST_DATA) + "/prefetch/Bad/notAPrefetch.pf", &err));
  auto r = kk::parse_prefetch(mf.bytes());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message ==
        "not a prefetch file: signature \"SCCA\" expected at offset 4, found \"SDCA\"");
  CHECK(r.error().offset == 4);
}

TEST_CASE("prefetch: facts of the Windows 10 CMD.EXE file (MAM, v30, two volumes)") {
  kk::MappedFile mf;
  std::string err;
  REQUIRE(mf.open(std::string(KK_TEST_DATA) + "/prefetch/Win10/CMD.EXE-D269B812.pf", &err));
  auto r = kk::parse_prefetch(mf.bytes());
  REQUIRE(r.ok());
  CHECK(r->format == "MAM");
  CHECK(r->size == 6298);
  CHECK(r->version == 30);
  CHECK(r->run_count == 55);
  REQUIRE(r->last_run_times.size() == 8);
  CHECK(kk::format_iso(r->last_run_times[0]) == "2016-01-12T20:07:03.981069Z");
  CHECK(kk::format_iso(r->last_run_times[7]) == "2015-12-17T22:34:21.579861Z");
  REQUIRE(r->volumes.size() == 2);
  CHECK(r->volumes[1].device_path == "\\VOLUME{01d1217a9c4c6779-8c9f49ec}");
  CHECK(r->volumes[1].serial == 0x8c9f49ec);
  // Directory strings are not printed by sccainfo: every one must lie on its volume.
  std::size_t dirs = 0;
  for (const auto& v : r->volumes)
    for (const auto& d : v.directories) {
      CHECK(d.rfind(v.device_path, 0) == 0);
      ++dirs;
    }
  CHECK(dirs > 0);
}

TEST_CASE("prefetch hash: recomputed from the executable's device path") {
  // libscca's worked example for the Windows XP function.
  CHECK(kk::prefetch_path_hash("\\DEVICE\\HARDDISKVOLUME1\\WINDOWS\\NOTEPAD.EXE", 17) ==
        0x189578DA);
  auto info = [](const std::string& rel) {
    kk::MappedFile mf;
    std::string err;
    REQUIRE(mf.open(std::string(KK_TEST_DATA) + "/prefetch/" + rel, &err));
    auto r = kk::parse_prefetch(mf.bytes());
    REQUIRE(r.ok());
    return *r;
  };
  CHECK(kk::path_hash_matches(info("XPPro/CALC.EXE-02CD573A.pf")) == true);
  CHECK(kk::path_hash_matches(info("Vista/CMD.EXE-89305D47.pf")) == true);
  CHECK(kk::path_hash_matches(info("Win8x/CMD.EXE-4A81B364.pf")) == true);
  // Windows 10 records \VOLUME{...} paths: the hash cannot be recomputed.
  CHECK_FALSE(kk::path_hash_matches(info("Win10/CMD.EXE-D269B812.pf")).has_value());

  const fs::path corpus = fs::path(KK_CORPUS) / "prefetch" / "ez-prefetch";
  if (!fs::exists(corpus)) return;
  // Hosting processes hash their command line too: DLLHOST, TASKHOST, WWAHOST and
  // LIVECOMM (a WinRT app host) differ; every other corpus executable matches.
  std::size_t matched = 0, differed = 0, unknown = 0;
  for (const auto& e : fs::recursive_directory_iterator(corpus)) {
    if (e.path().extension() != ".pf" || e.path().parent_path().filename() == "Bad") continue;
    kk::MappedFile mf;
    std::string err;
    REQUIRE(mf.open(e.path().string(), &err));
    auto r = kk::parse_prefetch(mf.bytes());
    REQUIRE(r.ok());
    auto m = kk::path_hash_matches(*r);
    if (!m) {
      ++unknown;
    } else if (*m) {
      ++matched;
    } else {
      ++differed;
      const std::string exe = r->executable;
      CHECK_MESSAGE((exe == "DLLHOST.EXE" || exe == "TASKHOST.EXE" || exe == "WWAHOST.EXE" ||
                     exe == "LIVECOMM.EXE"),
                    e.path().string());
    }
  }
  CHECK(matched == 32);
  CHECK(differed == 6);
  CHECK(unknown == 6);
}
