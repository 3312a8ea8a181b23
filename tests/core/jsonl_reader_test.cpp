#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "../test_util.hpp"
#include "core/jsonl_batch.hpp"
#include "core/jsonl_reader.hpp"

TEST_CASE("JSONL reader streams lines of any size, skips blanks, reports bad lines") {
  std::string path = kk_test::temp_file();
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    std::string big(3 << 20, 'x');  // a 3 MiB string spans several read blocks
    std::fprintf(f, "{\"a\":1}\r\n\n  \n{\"big\":\"%s\"}\nnot json\n{\"z\":\"last\"}", big.c_str());
    std::fclose(f);
  }
  kk::JsonlReader r;
  std::string err;
  REQUIRE(r.open(path, &err));
  simdjson::dom::element doc;
  REQUIRE(r.next(&doc, &err));
  CHECK(err.empty());
  CHECK(kk::json_int(doc, "a") == 1);
  REQUIRE(r.next(&doc, &err));
  CHECK(kk::json_str(doc, "big").size() == (3u << 20));
  CHECK(r.line_number() == 4);
  REQUIRE(r.next(&doc, &err));
  CHECK_FALSE(err.empty());
  REQUIRE(r.next(&doc, &err));
  CHECK(err.empty());
  CHECK(kk::json_str(doc, "z") == "last");
  CHECK_FALSE(r.next(&doc, &err));
  std::remove(path.c_str());
  CHECK_FALSE(r.open("/nonexistent/x.jsonl", &err));
}

TEST_CASE("JSONL reader: lines parsed in place agree with their text across block edges") {
  // Lines of every length around the 1 MiB block edge, so some end exactly at it, some
  // straddle it and some start right after it.
  std::string path = kk_test::temp_file();
  std::vector<std::size_t> lengths;
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    std::size_t written = 0, i = 0;
    while (written < (2u << 20) + 4096) {
      std::size_t n = (i * 7919) % 3000;
      std::string line =
          "{\"i\":" + std::to_string(i) + ",\"s\":\"" + std::string(n, 'a' + i % 26) + "\"}\n";
      std::fputs(line.c_str(), f);
      written += line.size();
      lengths.push_back(n);
      ++i;
    }
    std::fclose(f);
  }
  kk::JsonlReader r;
  std::string err;
  REQUIRE(r.open(path, &err));
  simdjson::dom::element doc;
  std::size_t seen = 0;
  while (r.next(&doc, &err)) {
    REQUIRE(err.empty());
    CHECK(kk::json_int(doc, "i") == static_cast<std::int64_t>(seen));
    std::string_view s = kk::json_str(doc, "s");
    CHECK(s.size() == lengths[seen]);
    CHECK(r.line().size() == s.size() + 13 + std::to_string(seen).size());
    ++seen;
  }
  CHECK(seen == lengths.size());
  std::remove(path.c_str());
}

TEST_CASE("JSONL reader: a mapped file reads as the stream does, its lines left in place") {
  std::string path = kk_test::temp_file();
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    std::string big(3 << 20, 'x');
    std::fprintf(f, "{\"a\":1}\r\n\n  \n{\"big\":\"%s\"}\nnot json\n{\"n\":2}  \n{\"z\":\"last\"}",
                 big.c_str());
    std::fclose(f);
  }
  kk::MappedFile mapped;
  std::string err;
  REQUIRE(mapped.open(path, &err));
  kk::JsonlReader stream, in_place;
  REQUIRE(stream.open(path, &err));
  in_place.open_mapped(mapped);
  CHECK(in_place.path() == path);
  const auto* begin = reinterpret_cast<const char*>(mapped.bytes().data());
  simdjson::dom::element a, b;
  std::string err_a, err_b;
  std::vector<std::string> stable;
  while (stream.next(&a, &err_a)) {
    REQUIRE(in_place.next(&b, &err_b));
    CHECK(err_a == err_b);
    CHECK(stream.line() == in_place.line());
    CHECK(stream.line_number() == in_place.line_number());
    if (err_a.empty()) CHECK(simdjson::minify(a) == simdjson::minify(b));
    std::string_view s = in_place.stable_line();
    if (!s.empty()) {  // where the line lies in the file, its end included
      CHECK(s.data() >= begin);
      CHECK(s.data() + s.size() <= begin + mapped.size());
      CHECK(s.back() == '\n');
    }
    stable.emplace_back(s);
  }
  CHECK_FALSE(in_place.next(&b, &err_b));
  REQUIRE(stable.size() == 5);
  CHECK(stable[0] == "{\"a\":1}\r\n");  // a line end the caller must still trim
  CHECK(stable[3] == "{\"n\":2}  \n");
  CHECK(stable[4].empty());  // the last line has no '\n'
  CHECK(in_place.records() == stream.records());
  std::remove(path.c_str());
}

TEST_CASE("JSONL reader: a mapped binary file is not JSON Lines") {
  std::string path = kk_test::temp_file();
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    std::fwrite("ElfFile\0\0\0\n{\"a\":1}\n", 1, 19, f);
    std::fclose(f);
  }
  kk::MappedFile mapped;
  std::string err;
  REQUIRE(mapped.open(path, &err));
  kk::JsonlReader r;
  r.stop_if_not_json_lines();
  r.open_mapped(mapped);
  simdjson::dom::element doc;
  CHECK_FALSE(r.next(&doc, &err));
  CHECK(r.not_json_lines());
  std::remove(path.c_str());
}

TEST_CASE("JSONL batch: every line of an in-memory batch, bad ones flagged") {
  kk::JsonlBatch batch;
  std::string text = "{\"a\":1}\n\n{oops}\r\n  \n{\"b\":\"x\"}";
  std::vector<std::string> seen;
  batch.for_each(text, [&](std::string_view line, simdjson::dom::element e, bool ok) {
    seen.push_back(std::string(line) + (ok ? " ok" : " bad"));
    if (ok && line[2] == 'a') CHECK(kk::json_int(e, "a") == 1);
    if (ok && line[2] == 'b') CHECK(kk::json_str(e, "b") == "x");
  });
  REQUIRE(seen.size() == 3);
  CHECK(seen[0] == "{\"a\":1} ok");
  CHECK(seen[1] == "{oops} bad");
  CHECK(seen[2] == "{\"b\":\"x\"} ok");
  batch.for_each("", [&](std::string_view, simdjson::dom::element, bool) { FAIL("no lines"); });
}

TEST_CASE("JSONL reader: an input that is not JSON Lines ends at once when asked to check") {
  auto read_all = [](const std::string& content, bool check, std::uint64_t* records) {
    std::string path = kk_test::temp_file();
    {
      std::FILE* f = std::fopen(path.c_str(), "wb");
      std::fwrite(content.data(), 1, content.size(), f);
      std::fclose(f);
    }
    kk::JsonlReader r;
    std::string err;
    REQUIRE(r.open(path, &err));
    if (check) r.stop_if_not_json_lines();
    simdjson::dom::element doc;
    int calls = 0;
    while (r.next(&doc, &err)) ++calls;
    *records = r.records();
    std::remove(path.c_str());
    return std::make_pair(calls, r.not_json_lines());
  };
  std::uint64_t n = 0;
  // A NUL byte in the first block (an .evtx, a hive): binary, not read line by line.
  std::string binary("ElfFile\0\0\0\n{\"a\":1}\n", 18);
  CHECK(read_all(binary, true, &n) == std::make_pair(0, true));
  CHECK(read_all(binary, false, &n) == std::make_pair(2, false));  // unchecked: as before
  CHECK(read_all("Date,Time,Path\n{\"a\":1}\n", true, &n) == std::make_pair(0, true));
  CHECK(read_all("[1,2]\n", true, &n) == std::make_pair(0, true));  // JSON, not records
  // Damage after a first good record is ordinary damage, line by line.
  CHECK(read_all("{\"a\":1}\nnot json\n{\"b\":2}\n", true, &n) == std::make_pair(3, false));
  CHECK(n == 2);
  CHECK(read_all("\n\n", true, &n) == std::make_pair(0, false));  // empty, not wrong
  CHECK(n == 0);
  CHECK(kk::not_json_lines_message("case/Evtx/Security.evtx") ==
        "not JSON Lines — run parse-evtx on it first");
  CHECK(kk::not_json_lines_message("x/Prefetch/CMD.EXE-1.pf") ==
        "not JSON Lines — run parse-prefetch on it first");
}

TEST_CASE("JSONL reader: a file read once through its own mapping reads as the stream does") {
  // 72 MiB: the mapping gives back what lies behind the line being read twice on the way.
  std::string path = kk_test::temp_file();
  std::string content;
  for (int i = 0; content.size() < (72u << 20); ++i) {
    content += "{\"n\":" + std::to_string(i) + ",\"pad\":\"" + std::string(i % 5000, 'p') + "\"}\n";
    if (i % 1000 == 0) content += "not json\n\n";
  }
  content += "{\"last\":true}";  // no '\n' at the end
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    std::fwrite(content.data(), 1, content.size(), f);
    std::fclose(f);
  }
  kk::JsonlReader stream, sequential;
  std::string err, err_a, err_b;
  REQUIRE(stream.open(path, &err));
  REQUIRE(sequential.open_sequential(path, &err));
  CHECK(sequential.path() == path);
  simdjson::dom::element a, b;
  std::uint64_t lines = 0;
  while (stream.next(&a, &err_a)) {
    REQUIRE(sequential.next(&b, &err_b));
    REQUIRE(err_a == err_b);
    REQUIRE(stream.line() == sequential.line());
    if (err_a.empty()) REQUIRE(simdjson::minify(a) == simdjson::minify(b));
    CHECK(sequential.stable_line().empty());  // its pages are given back behind it
    ++lines;
  }
  CHECK_FALSE(sequential.next(&b, &err_b));
  CHECK(sequential.records() == stream.records());
  CHECK(sequential.line_number() == stream.line_number());
  CHECK(lines > 10000);
  // The file is evidence: still the same bytes.
  kk::MappedFile again;
  REQUIRE(again.open(path, &err));
  CHECK(std::string_view(reinterpret_cast<const char*>(again.bytes().data()), again.size()) ==
        content);
  std::remove(path.c_str());
}

TEST_CASE("JSONL reader: what is not a regular file is read as a stream") {
  kk::JsonlReader r;
  std::string err;
  REQUIRE(r.open_sequential("/dev/null", &err));  // a device: nothing to map, nothing to read
  simdjson::dom::element doc;
  CHECK_FALSE(r.next(&doc, &err));
  kk::JsonlReader missing;
  CHECK_FALSE(missing.open_sequential("/nonexistent/x.jsonl", &err));
  CHECK_FALSE(err.empty());
  kk::JsonlReader dir;  // a directory: fopen() takes it, and it has no lines
  const bool read = dir.open_sequential("/", &err) && dir.next(&doc, &err);
  CHECK_FALSE(read);
}

TEST_CASE("JSONL reader: lines handed on unparsed are the lines next() gives") {
  const std::string content =
      "{\"a\":1}\r\n\n  \t \n{\"b\":2}\nnot json\n\n{\"c\":3}";  // no '\n' at the end
  std::string path = kk_test::temp_file();
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    std::fwrite(content.data(), 1, content.size(), f);
    std::fclose(f);
  }
  kk::JsonlReader parsed, unparsed;
  std::string err;
  REQUIRE(parsed.open(path, &err));
  REQUIRE(unparsed.open_sequential(path, &err));
  parsed.stop_if_not_json_lines();
  unparsed.stop_if_not_json_lines();
  simdjson::dom::element doc;
  std::vector<std::pair<std::string, std::uint64_t>> a, b;
  while (parsed.next(&doc, &err)) a.emplace_back(parsed.line(), parsed.line_number());
  while (unparsed.next_unparsed()) b.emplace_back(unparsed.line(), unparsed.line_number());
  CHECK(a == b);
  REQUIRE(b.size() == 4);
  CHECK(b[0].first == "{\"a\":1}");  // the line end trimmed
  CHECK(b[2] == std::pair<std::string, std::uint64_t>("not json", 5));
  CHECK(unparsed.records() == 0);  // parsed elsewhere
  CHECK_FALSE(unparsed.not_json_lines());
  std::remove(path.c_str());

  // The first line still decides whether the input is JSON Lines at all.
  path = kk_test::temp_file();
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    std::fputs("Date,Time,Path\n{\"a\":1}\n", f);
    std::fclose(f);
  }
  kk::JsonlReader csv;
  REQUIRE(csv.open_sequential(path, &err));
  csv.stop_if_not_json_lines();
  CHECK_FALSE(csv.next_unparsed());
  CHECK(csv.not_json_lines());
  std::remove(path.c_str());
}

TEST_CASE("JSONL reader: each line's byte offset counts line ends and blank lines, in every mode") {
  // CRLF and LF line ends, blank and space-only lines, lines of every length around the 1 MiB
  // block edge (some spanning two blocks), and a last line without its '\n'.
  std::string text;
  std::vector<std::uint64_t> want;  // each non-blank line's offset
  for (std::size_t i = 0; text.size() < (3u << 20); ++i) {
    if (i % 7 == 3) text += i % 2 ? "\r\n" : "  \n";
    want.push_back(text.size());
    text +=
        "{\"n\":" + std::to_string(i) + ",\"pad\":\"" + std::string(i * 2917 % 300000, 'x') + "\"}";
    text += i % 3 ? "\n" : "\r\n";
  }
  want.push_back(text.size());
  text += "{\"last\":true}";
  std::string path = kk_test::temp_file();
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  }
  auto offsets = [&](kk::JsonlReader& r, bool parsed) {
    std::vector<std::uint64_t> got;
    simdjson::dom::element doc;
    std::string err;
    while (parsed ? r.next(&doc, &err) : r.next_unparsed()) {
      CHECK(err.empty());
      CHECK(text.compare(r.line_offset(), r.line().size(), r.line()) == 0);
      got.push_back(r.line_offset());
    }
    return got;
  };
  std::string err;
  {
    kk::JsonlReader r;
    REQUIRE(r.open(path, &err));
    CHECK(offsets(r, true) == want);
  }
  {
    kk::JsonlReader r;
    REQUIRE(r.open_sequential(path, &err));
    CHECK(offsets(r, false) == want);
  }
  {
    kk::MappedFile file;
    REQUIRE(file.open(path, &err));
    kk::JsonlReader r;
    r.open_mapped(file);
    CHECK(offsets(r, true) == want);
  }
  std::remove(path.c_str());
}

TEST_CASE("JSONL reader: a line longer than the limit is told and skipped unread, in every mode") {
  // Limits of 1,000 bytes (lines within a block) and of 3 MiB (a 5 MiB line spanning the
  // 1 MiB blocks of a stream), with a long line last and without its '\n' as well.
  auto record = [](std::size_t size) {  // a JSON object of SIZE bytes
    return "{\"p\":\"" + std::string(size - 8, 'x') + "\"}";
  };
  for (std::size_t limit : {std::size_t{1000}, std::size_t{3} << 20}) {
    CAPTURE(limit);
    const std::vector<std::size_t> sizes = {limit / 2, limit + 1, limit, 5 * limit / 3,
                                            limit * 2 + 7};  // the last has no '\n'
    std::string text;
    for (std::size_t i = 0; i < sizes.size(); ++i)
      text += record(sizes[i]) + (i + 1 < sizes.size() ? (i % 2 ? "\r\n" : "\n\n") : "");
    std::string path = kk_test::temp_file();
    {
      std::FILE* f = std::fopen(path.c_str(), "wb");
      std::fwrite(text.data(), 1, text.size(), f);
      std::fclose(f);
    }
    auto check = [&](kk::JsonlReader& r) {
      r.limit_line_bytes(limit);
      simdjson::dom::element doc;
      std::string err;
      std::size_t offset = 0, line = 1;
      for (std::size_t i = 0; i < sizes.size(); ++i) {
        CAPTURE(i);
        REQUIRE(r.next(&doc, &err));
        CHECK(r.line_number() == line);
        CHECK(r.line_offset() == offset);
        CHECK(r.line_too_long() == (sizes[i] > limit));
        if (sizes[i] > limit) {
          CHECK(err == "longer than " + std::to_string(limit) + " bytes, not read");
          CHECK(r.line().empty());
        } else {
          CHECK(err.empty());
          CHECK(kk::json_str(doc, "p").size() == sizes[i] - 8);
        }
        offset += sizes[i] + 2;  // "\r\n" or "\n\n"
        line += i % 2 ? 1 : 2;
      }
      CHECK_FALSE(r.next(&doc, &err));
      CHECK(r.records() == 2);
    };
    std::string err;
    {
      kk::JsonlReader r;
      REQUIRE(r.open(path, &err));
      check(r);
    }
    {
      kk::JsonlReader r;
      REQUIRE(r.open_sequential(path, &err));
      check(r);
    }
    {
      kk::MappedFile file;
      REQUIRE(file.open(path, &err));
      kk::JsonlReader r;
      r.open_mapped(file);
      check(r);
    }
    // Checked for its format, an input whose first line is too long is not JSON Lines.
    for (bool unparsed : {false, true}) {
      kk::JsonlReader r;
      REQUIRE(r.open(path, &err));
      r.limit_line_bytes(sizes[0] - 1);
      r.stop_if_not_json_lines();
      simdjson::dom::element doc;
      const bool more = unparsed ? r.next_unparsed() : r.next(&doc, &err);
      CHECK_FALSE(more);
      CHECK(r.not_json_lines());
    }
    std::remove(path.c_str());
  }
}
