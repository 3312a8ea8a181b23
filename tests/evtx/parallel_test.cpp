// --jobs N gives the output and diagnostics of --jobs 1, byte for byte and in the same
// order, for the two shapes parse-evtx parallelises: one log of many chunks (chunks
// handed to workers) and a folder of many logs of very different sizes (files opened
// by the workers, small and large mixed, unreadable ones among them).
#include <doctest/doctest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "../test_util.hpp"
#include "core/crc32.hpp"
#include "evtx/evtx.hpp"
#include "evtx/structures.hpp"

namespace {

const std::string kData = std::string(KK_TEST_DATA) + "/evtx/";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The real 64 KiB chunks of the test logs (those starting with "ElfChnk").
std::vector<std::string> real_chunks() {
  std::vector<std::string> out;
  for (const char* name : {"Security_short_selected.evtx", "sysmon_13_keylogger_directx.evtx",
                           "Application_no_crc32.evtx", "MSExchange_Management_wec.evtx",
                           "renumbered_export.evtx"}) {
    std::string b = slurp(kData + name);
    for (std::size_t off = 4096; off + 0x10000 <= b.size(); off += 0x10000)
      if (b.compare(off, 8, std::string("ElfChnk\0", 8)) == 0) out.push_back(b.substr(off, 0x10000));
  }
  return out;
}

// A log: Security_short_selected's header block, then BLOCKS.
std::string write_log(const std::string& path, const std::vector<std::string>& blocks) {
  std::ofstream out(path, std::ios::binary);
  out << slurp(kData + "Security_short_selected.evtx").substr(0, 4096);
  for (const auto& b : blocks) out << b;
  return path;
}

struct Run {
  std::string jsonl, diagnostics;
  kk::evtx::Stats stats;
};

Run run(const std::vector<kk::evtx::Input>& inputs, unsigned jobs, bool recover) {
  Run r;
  std::string diag_path = kk_test::temp_file();
  {
    kk::Diagnostics diag("parse-evtx");
    diag.set_stderr_limit(0);
    std::string err;
    REQUIRE(diag.open_jsonl(diag_path, &err));
    kk::evtx::Options opt;
    opt.jobs = jobs;
    opt.recover = recover;
    opt.xml = recover;
    r.stats = kk::evtx::parse_files(inputs, opt, diag,
                                    [&](std::string_view lines) { r.jsonl.append(lines); });
    diag.finish();
  }
  r.diagnostics = slurp(diag_path);
  return r;
}

void same_for_any_jobs(const std::vector<kk::evtx::Input>& inputs, std::uint64_t min_records) {
  for (bool recover : {false, true}) {
    Run one = run(inputs, 1, recover);
    CHECK(one.stats.records >= min_records);
    CHECK(!one.diagnostics.empty());
    for (unsigned jobs : {2u, 3u}) {
      INFO("jobs " << jobs << ", recover " << recover);
      Run n = run(inputs, jobs, recover);
      CHECK(n.jsonl == one.jsonl);
      CHECK(n.diagnostics == one.diagnostics);
      CHECK(n.stats.records == one.stats.records);
      CHECK(n.stats.chunks == one.stats.chunks);
      CHECK(n.stats.files == one.stats.files);
    }
  }
}

}  // namespace

TEST_CASE("parallel: one log of many chunks, damaged blocks among them, same as one job") {
  auto chunks = real_chunks();
  REQUIRE(chunks.size() >= 3);
  std::vector<std::string> blocks;
  for (int rep = 0; rep < 12; ++rep)
    for (const auto& c : chunks) blocks.push_back(c);
  blocks.insert(blocks.begin() + 7, std::string(0x10000, '\0'));  // never used
  std::string bad = chunks[0];
  bad[0] = 'X';  // bad magic: reported (and carved with --recover)
  blocks.insert(blocks.begin() + 20, bad);
  blocks.push_back(chunks[1].substr(0, 30000));  // truncated last chunk
  std::string dir = kk_test::temp_dir();
  std::string log = write_log(dir + "/many.evtx", blocks);
  same_for_any_jobs({{log, "Evtx/many.evtx"}}, 12 * chunks.size());
  std::filesystem::remove_all(dir);
}

TEST_CASE("parallel: a bundle-shaped folder of small and large logs, same as one job") {
  auto chunks = real_chunks();
  std::string dir = kk_test::temp_dir();
  std::vector<kk::evtx::Input> inputs;
  auto add = [&](const std::string& name, const std::vector<std::string>& blocks) {
    inputs.push_back({write_log(dir + "/" + name, blocks), "Evtx/" + name});
  };
  for (int i = 0; i < 60; ++i) {
    std::string name = "small" + std::to_string(i) + ".evtx";
    if (i == 10) {  // a large log among the small ones
      std::vector<std::string> big;
      for (int rep = 0; rep < 8; ++rep) big.insert(big.end(), chunks.begin(), chunks.end());
      add("Security.evtx", big);
    } else if (i == 20) {
      std::ofstream(dir + "/" + name, std::ios::binary) << "not an event log";
      inputs.push_back({dir + "/" + name, "Evtx/" + name});
    } else if (i == 30) {
      inputs.push_back({dir + "/missing.evtx", "Evtx/missing.evtx"});
    } else if (i == 40) {
      add(name, {});  // header only
    } else {
      add(name, {chunks[static_cast<std::size_t>(i) % chunks.size()]});
      if (i % 3 == 0) add("two" + name, {chunks[0], chunks[1]});
    }
  }
  same_for_any_jobs(inputs, 60);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a chunk is read up to its free space; a reference past it reads the whole chunk") {
  // Only a chunk's used bytes are read; BinXML that points past them makes the chunk be
  // read whole and parsed again, so that the result is the one of the whole block. Here
  // record 2's template definition points into the slack, where a copy of the definition
  // lies (the checksums fixed). The copy's names still point to the original, so it does
  // not parse: read whole, the error is found inside the copy ("expected close start element
  // token"); read up to the free space only, the definition would be "unusable".
  std::string b = slurp(kData + "Security_short_selected.evtx");
  std::string chunk = b.substr(4096, 0x10000);
  auto u32 = [&](std::size_t at) {
    std::uint32_t v;
    std::memcpy(&v, chunk.data() + at, 4);
    return v;
  };
  auto put32 = [&](std::size_t at, std::uint32_t v) { std::memcpy(chunk.data() + at, &v, 4); };
  const std::uint32_t free = u32(48);
  const std::size_t rec2 = 512 + u32(512 + 4);
  const std::size_t tok = rec2 + 24 + 4;
  REQUIRE(static_cast<unsigned char>(chunk[tok]) == 0x0c);
  const std::uint32_t def = u32(tok + 6);
  REQUIRE(def != tok + 10);  // record 2 uses a template defined by an earlier record
  const std::size_t def_len = 24 + u32(def + 20);
  const std::size_t moved = 0x10000 - def_len - 64;
  REQUIRE(moved > free);
  chunk.replace(moved, def_len, chunk.substr(def, def_len));
  put32(tok + 6, static_cast<std::uint32_t>(moved));
  put32(52, kk::crc32(0, reinterpret_cast<const std::uint8_t*>(chunk.data()) + 512, free - 512));
  put32(124, kk::evtx::chunk_header_crc(std::span(
                 reinterpret_cast<const std::uint8_t*>(chunk.data()), chunk.size())));
  std::string dir = kk_test::temp_dir();
  std::string moved_log = write_log(dir + "/moved.evtx", {chunk});
  Run one = run({{moved_log, "Evtx/x.evtx"}}, 1, false);
  CHECK(one.stats.damaged == 1);
  CHECK(one.stats.records == 6);
  CHECK(one.diagnostics.find("expected close start element token") != std::string::npos);
  CHECK(one.diagnostics.find("unusable") == std::string::npos);
  Run two = run({{moved_log, "Evtx/x.evtx"}}, 2, false);
  CHECK(two.jsonl == one.jsonl);
  CHECK(two.diagnostics == one.diagnostics);
  std::filesystem::remove_all(dir);
}

TEST_CASE("compiled templates are reused across chunks only when every byte read is the same") {
  // Templates are cached per thread across chunks and files (binxml.cpp, TemplateCache).
  // Chunk B is chunk A with one text of its first template changed ("SourceAddress" ->
  // "SourceAddresZ"): same template GUID, same size, other bytes. Each chunk must render its
  // own definition, in either order, and B as rendered by a thread with an empty cache.
  std::string a = slurp(kData + "Security_short_selected.evtx").substr(4096, 0x10000);
  std::string b = a;
  const std::string from = std::string("S\0o\0u\0r\0c\0e\0A\0d\0d\0r\0e\0s\0s\0", 26);
  const std::size_t at = b.find(from);
  REQUIRE(at != std::string::npos);
  b[at + 24] = 'Z';
  auto u32 = [&](std::size_t off) {
    std::uint32_t v;
    std::memcpy(&v, b.data() + off, 4);
    return v;
  };
  auto put32 = [&](std::size_t off, std::uint32_t v) { std::memcpy(b.data() + off, &v, 4); };
  const std::uint32_t free = u32(48);
  put32(52, kk::crc32(0, reinterpret_cast<const std::uint8_t*>(b.data()) + 512, free - 512));
  put32(124, kk::evtx::chunk_header_crc(
                 std::span(reinterpret_cast<const std::uint8_t*>(b.data()), b.size())));
  std::string dir = kk_test::temp_dir();
  auto lines_with = [](const std::string& jsonl, std::string_view chunk, std::string_view text) {
    std::size_t n = 0;
    for (std::size_t p = 0, nl; (nl = jsonl.find('\n', p)) != std::string::npos; p = nl + 1) {
      std::string_view line(jsonl.data() + p, nl - p);
      if (line.find(chunk) != std::string_view::npos && line.find(text) != std::string_view::npos)
        ++n;
    }
    return n;
  };
  Run b_alone;  // on a new thread: a cache that never saw chunk A
  std::thread([&] { b_alone = run({{write_log(dir + "/b.evtx", {b}), "x.evtx"}}, 1, false); })
      .join();
  Run a_alone = run({{write_log(dir + "/a.evtx", {a}), "x.evtx"}}, 1, false);
  // Another template of the chunk has its own "SourceAddress": it stays in B.
  const std::size_t total = lines_with(a_alone.jsonl, "\"chunk\":0", "\"SourceAddress\"");
  const std::size_t used = lines_with(b_alone.jsonl, "\"chunk\":0", "\"SourceAddresZ\"");
  CHECK(used >= 1);
  CHECK(used < total);
  CHECK(lines_with(b_alone.jsonl, "", "\"SourceAddress\"") == total - used);
  CHECK(lines_with(a_alone.jsonl, "", "\"SourceAddresZ\"") == 0);
  for (unsigned jobs : {1u, 2u}) {
    INFO("jobs " << jobs);
    Run ab = run({{write_log(dir + "/ab.evtx", {a, b}), "x.evtx"}}, jobs, false);
    CHECK(lines_with(ab.jsonl, "\"chunk\":0", "\"SourceAddress\"") == total);
    CHECK(lines_with(ab.jsonl, "\"chunk\":1", "\"SourceAddresZ\"") == used);
    CHECK(lines_with(ab.jsonl, "\"chunk\":1", "\"SourceAddress\"") == total - used);
    CHECK(lines_with(ab.jsonl, "", "\"SourceAddresZ\"") == used);
    Run ba = run({{write_log(dir + "/ba.evtx", {b, a}), "x.evtx"}}, jobs, false);
    CHECK(lines_with(ba.jsonl, "\"chunk\":0", "\"SourceAddresZ\"") == used);
    CHECK(lines_with(ba.jsonl, "\"chunk\":1", "\"SourceAddress\"") == total);
    CHECK(lines_with(ba.jsonl, "", "\"SourceAddresZ\"") == used);
    CHECK(ab.stats.damaged == 0);
    CHECK(ba.jsonl.substr(0, b_alone.jsonl.size()) == b_alone.jsonl);
  }
  std::filesystem::remove_all(dir);
}
