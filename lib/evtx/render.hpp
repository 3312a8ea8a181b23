// Rendering a compiled record (node tree + substitution values) as a contract
// JSON line, and as Windows-style XML text.
#pragma once

#include <cstdint>
#include <string_view>

#include "evtx/binxml.hpp"
#include "evtx/evtx.hpp"
#include "evtx/text_buffer.hpp"

namespace kk::evtx {

struct RecordMeta {
  std::uint64_t record_id = 0;
  std::uint64_t written_time = 0;  // record header FILETIME, used if TimeCreated is absent
  std::uint32_t chunk = 0;         // chunk number in the file (0-based, as on disk)
  std::uint64_t offset = 0;        // record offset in the file
  bool recovered = false;
};

struct RenderOptions {
  bool xml = false;
  const Filter* filter = nullptr;
  std::string_view source_json;  // the "source" value, already a quoted JSON string
};

enum class RenderResult { kWritten, kFiltered };

// Appends one JSON line for the record whose top-level nodes start at FIRST in
// ctx.record_arena.
RenderResult render_record(const ChunkContext& ctx, std::int32_t first, const RecordMeta& meta,
                           const RenderOptions& opt, TextBuffer& out);

// Appends the record as XML text (escaped for a JSON string when IN_JSON).
void render_xml(const ChunkContext& ctx, std::int32_t first, bool in_json, TextBuffer& out);

}  // namespace kk::evtx
