// libFuzzer target: one EVTX chunk (up to 64 KiB: header, string and template tables,
// records, slack) handed straight to process_chunk, in memory. Why beside fuzz_evtx_file:
// that one writes each input as a file and reads up to four chunks through parse_files (the
// file header, the block reads, the carved-record dedup across chunks); this one fuzzes the
// chunk, BinXML and rendering code, which is where nearly all of the EVTX code is, at
// about twice the speed per input. A real file as input (starting "ElfFile") is read from its first
// chunk, so EVTX files are seeds as they are. The input's last byte (it stays part of the
// chunk, as in fuzz_evtx_file) picks one form: XML, --recover, CSV, CRCs checked or not (a
// format 3.2 "no CRC32" file), and whether the chunk is first read up to its free-space
// offset and parsed again whole when it reports something (parse_files without --recover).
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <span>

#include "evtx/chunk.hpp"
#include "evtx/csv.hpp"
#include "evtx/structures.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t mode = data[size - 1];
  std::span<const std::uint8_t> block(data, size);
  if (size >= kk::evtx::kDefaultHeaderBlock && std::memcmp(data, "ElfFile", 8) == 0)
    block = block.subspan(kk::evtx::kDefaultHeaderBlock);
  block = block.first(std::min(block.size(), kk::evtx::kChunkSize));
  // Kept between inputs, as a parse_files worker keeps them between chunks.
  static kk::evtx::ChunkContext ctx;
  static kk::evtx::ChunkOutput out;
  static kk::evtx::TextBuffer csv;
  static const kk::evtx::Filter no_filter;
  kk::evtx::RenderOptions ro;
  ro.xml = mode & 2;
  ro.filter = &no_filter;
  ro.source_json = "\"fuzz\"";
  kk::evtx::ChunkTask task;
  task.block = block;
  task.file_offset = kk::evtx::kDefaultHeaderBlock;
  task.recover = mode & 4;
  task.check_crc = !(mode & 16);
  if ((mode & 1) && !task.recover && block.size() >= kk::evtx::kChunkHeaderSize) {
    const std::uint32_t free = kk::evtx::parse_chunk_header(block).free_space_offset;
    if (free >= kk::evtx::kChunkHeaderSize && free < block.size())
      task.loaded = std::max<std::size_t>(free, std::min<std::size_t>(block.size(), 4096));
  }
  out.clear();
  kk::evtx::process_chunk(task, ro, ctx, out);
  if (task.loaded != SIZE_MAX && (out.bad || out.damaged || !out.notes.empty())) {
    task.loaded = SIZE_MAX;
    out.clear();
    kk::evtx::process_chunk(task, ro, ctx, out);
  }
  if (mode & 8) {
    csv.clear();
    kk::evtx::jsonl_to_csv(out.text.view(), ro.xml, csv);
  }
  return 0;
}
