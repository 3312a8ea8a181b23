// A bigger bundle from the shared corpus: every EVTX file of evtx-attack-samples as Evtx/,
// every Win10 prefetch file as Prefetch/. The manifest's SHA-256 of each file must equal the
// corpus FILES.tsv (computed independently with sha256sum when the corpus was built).
#include <doctest/doctest.h>

#include <map>
#include <sstream>

#include "unpack_helpers.hpp"

TEST_CASE("corpus: hashes of a corpus-built bundle agree with FILES.tsv") {
  namespace fs = kk_test::fs;
  const fs::path corpus = KK_CORPUS;
  if (!fs::exists(corpus / "FILES.tsv")) {
    MESSAGE("corpus not available; skipped");
    return;
  }
  std::map<std::string, std::string> expected;  // corpus relative path -> sha256
  std::istringstream tsv(kk_test::read_file((corpus / "FILES.tsv").string()));
  std::string line;
  while (std::getline(tsv, line)) {
    auto t1 = line.find('\t'), t2 = line.find('\t', t1 + 1), t3 = line.find('\t', t2 + 1);
    if (t3 == std::string::npos) continue;
    expected[line.substr(0, t1)] = line.substr(t2 + 1, t3 - t2 - 1);
  }
  auto parent = fs::path(kk_test::temp_dir());
  auto root = parent / "CORPUS-PC_20240501120405";
  std::map<std::string, std::string> source_sha;  // bundle source -> expected sha256
  for (auto& e : fs::recursive_directory_iterator(corpus / "evtx/evtx-attack-samples")) {
    if (!e.is_regular_file() || e.path().extension() != ".evtx") continue;
    std::string rel = fs::relative(e.path(), corpus).generic_string();
    std::string name = e.path().filename().string();
    if (source_sha.count("Evtx/" + name)) continue;
    fs::create_directories(root / "Evtx");
    fs::copy_file(e.path(), root / "Evtx" / name);
    source_sha["Evtx/" + name] = expected[rel];
  }
  for (auto& e : fs::directory_iterator(corpus / "prefetch/ez-prefetch/Win10")) {
    std::string rel = fs::relative(e.path(), corpus).generic_string();
    fs::create_directories(root / "Prefetch");
    fs::copy_file(e.path(), root / "Prefetch" / e.path().filename());
    source_sha["Prefetch/" + e.path().filename().string()] = expected[rel];
  }
  kk_test::Unpacked u;
  auto opts = kk_test::test_options();
  opts.hashes = kk::HashSet::sha256_only();
  kk_test::run_unpack(u, root.string(), "", opts);
  REQUIRE(u.result.bundles.size() == 1);
  const auto& b = u.result.bundles[0];
  CHECK(b.entries.size() == source_sha.size());
  std::size_t agree = 0;
  for (const auto& e : b.entries) {
    auto it = source_sha.find(e.source);
    REQUIRE(it != source_sha.end());
    if (e.digests.sha256 == it->second) ++agree;
  }
  CHECK(agree == source_sha.size());
  MESSAGE("corpus bundle: " << agree << " of " << source_sha.size()
                            << " SHA-256 agree with FILES.tsv");
  CHECK(b.summary.counts[static_cast<int>(kk::cdir::Kind::kEvtx)] +
            b.summary.counts[static_cast<int>(kk::cdir::Kind::kPrefetch)] ==
        b.entries.size());
  fs::remove_all(parent);
}
