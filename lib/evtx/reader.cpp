// Files → chunks → ordered output. Work items are (file, chunk) pairs across all
// inputs, so many small logs use every core as well as one big log does; output
// and diagnostics are consumed in input order with a bounded window in flight.
#include <sys/mman.h>
#include <sys/stat.h>

#include <algorithm>
#include <memory>
#include <unordered_set>

#include "core/json_writer.hpp"
#include "core/mapped_file.hpp"
#include "core/parallel.hpp"
#include "core/progress.hpp"
#include "evtx/chunk.hpp"
#include "evtx/csv.hpp"
#include "evtx/evtx.hpp"
#include "evtx/structures.hpp"

namespace kk::evtx {
namespace {

struct FileState {
  Input input;
  MappedFile map;
  bool readable = false;
  std::size_t first_chunk_offset = kDefaultHeaderBlock;
  std::uint32_t chunk_count = 0;  // 64 KiB blocks on disk (the last may be partial)
  bool check_crc = true;
  std::string source_json;
  std::vector<LiveRun> live;              // --recover only, sorted by first id
  std::vector<std::uint64_t> live_reach;  // live[0..i]'s largest last id
  std::unordered_set<std::uint64_t> carved_keys;
};

struct Item {
  std::uint32_t file = 0;
  std::uint32_t chunk = 0;
};

// True when a carved record (ID, TIME) is a copy of a live record of the file.
bool is_live(const FileState& f, std::uint64_t id, std::uint64_t time) {
  auto it = std::upper_bound(f.live.begin(), f.live.end(), id,
                             [](std::uint64_t v, const LiveRun& r) { return v < r.first_id; });
  for (std::size_t i = static_cast<std::size_t>(it - f.live.begin()); i-- > 0;) {
    if (f.live_reach[i] < id) break;  // no earlier run reaches ID
    const LiveRun& r = f.live[i];
    if (id <= r.last_id && time >= r.min_time && time <= r.max_time) return true;
  }
  return false;
}

std::uint64_t carved_key(std::uint64_t id, std::uint64_t time) {
  return id * 0x9E3779B97F4A7C15ULL ^ time;
}

// Opens a file and reads its header. The header's chunk count is not trusted:
// every 64 KiB block after the header block is a candidate chunk (sysmon.evtx in
// the corpus says 1 chunk and holds 9 valid ones).
void open_file(FileState& f, const Options& opt, Diagnostics& diag) {
  std::string err;
  const std::string& name = f.input.source.empty() ? f.input.path : f.input.source;
  {
    std::string js;
    append_json_string(js, name);
    f.source_json = std::move(js);
  }
  if (!f.map.open(f.input.path, &err)) {
    diag.unreadable(f.input.path, "cannot open: " + err);
    return;
  }
  auto bytes = f.map.bytes();
  auto h = parse_file_header(bytes);
  if (!h) {
    // Without a file header, chunks may still be there (a header overwritten or a
    // carved fragment): look for chunk magic at the usual places.
    if (bytes.size() >= kDefaultHeaderBlock + kChunkHeaderSize &&
        has_chunk_magic(bytes.subspan(kDefaultHeaderBlock))) {
      diag.warning(f.input.path, 0,
                   "no EVTX file header (\"ElfFile\" signature missing), reading chunks anyway");
    } else {
      diag.unreadable(f.input.path, "not an EVTX file (no \"ElfFile\" signature)");
      return;
    }
  } else {
    if (!h->checksum_ok && !(h->flags & kFileNoCrc32))
      diag.warning(f.input.path, 124, "file header checksum mismatch, parsed anyway");
    if (h->major != 3 || (h->minor != 1 && h->minor != 2))
      diag.warning(f.input.path, 36,
                   "unknown format version " + std::to_string(h->major) + "." +
                       std::to_string(h->minor) + ", parsing as 3.1");
    if (h->header_block_size == kDefaultHeaderBlock || h->header_block_size == 0) {
      f.first_chunk_offset = kDefaultHeaderBlock;
    } else {
      diag.warning(f.input.path, 40,
                   "header block size " + std::to_string(h->header_block_size) +
                       " is unusual, assuming 4096");
    }
    f.check_crc = !(h->flags & kFileNoCrc32);
  }
  if (bytes.size() > f.first_chunk_offset) {
    std::size_t rest = bytes.size() - f.first_chunk_offset;
    std::size_t n = (rest + kChunkSize - 1) / kChunkSize;
    f.chunk_count = static_cast<std::uint32_t>(std::min<std::size_t>(n, UINT32_MAX));
  }
  f.readable = true;
  (void)opt;
}

std::span<const std::uint8_t> chunk_block(const FileState& f, std::uint32_t i) {
  auto bytes = f.map.bytes();
  std::size_t off = f.first_chunk_offset + static_cast<std::size_t>(i) * kChunkSize;
  if (off >= bytes.size()) return {};
  return bytes.subspan(off, std::min(kChunkSize, bytes.size() - off));
}

// Drops the pages of a consumed chunk from this process's mapping, so that RSS stays
// bounded by the window of chunks in flight however large the file is. The range
// starts one chunk early: the kernel's fault-around maps whole 64 KiB-aligned
// windows, and chunks start 4 KiB past such a boundary, so reading chunk I maps
// the last page of chunk I-1 again.
void release(const FileState& f, std::uint32_t i) {
  auto b = chunk_block(f, i);
  if (b.empty()) return;
  auto file = f.map.bytes();
  std::size_t back =
      std::min<std::size_t>(kChunkSize, static_cast<std::size_t>(b.data() - file.data()));
  auto base = reinterpret_cast<std::uintptr_t>(b.data() - back);
  std::uintptr_t page = 4096;
  std::uintptr_t start = (base + page - 1) & ~(page - 1);
  std::uintptr_t end = (reinterpret_cast<std::uintptr_t>(b.data()) + b.size()) & ~(page - 1);
  if (i + 1 == f.chunk_count)
    end = (reinterpret_cast<std::uintptr_t>(b.data()) + b.size() + page - 1) & ~(page - 1);
  if (end > start) madvise(reinterpret_cast<void*>(start), end - start, MADV_DONTNEED);
}

struct Worker {
  ChunkContext ctx;
};

}  // namespace

std::string csv_header(const Options& opt) {
  std::string h =
      "artifact,source,record_id,time,event_id,provider,channel,computer,level,task,opcode,"
      "keywords,process_id,thread_id,user_sid,data,chunk,offset,recovered";
  if (opt.xml) h += ",xml";
  h += "\r\n";
  return h;
}

namespace {

// Files mapped at once. A zip with 70,000 tiny .evtx entries (issue #22) mapped them all
// up front and ran into the kernel's limit on mappings (65,530): files are opened, parsed
// and released in groups of this many.
constexpr std::size_t kFilesOpenAtOnce = 256;

void parse_group(const std::vector<Input>& inputs, const Options& opt, Diagnostics& diag,
                 const LinesSink& sink, Stats& st, Progress& progress) {
  std::vector<std::unique_ptr<FileState>> files;
  std::vector<Item> items;
  std::uint64_t total_bytes = 0;
  for (const auto& in : inputs) {
    auto f = std::make_unique<FileState>();
    f->input = in;
    files.push_back(std::move(f));
  }
  // Headers are read up front (mapping costs no I/O); chunks are read by the workers.
  for (std::uint32_t i = 0; i < files.size(); ++i) {
    FileState& f = *files[i];
    open_file(f, opt, diag);
    ++st.files;
    if (!f.readable || f.chunk_count == 0) {
      if (!f.readable) ++st.unreadable_files;
      progress.advance(f.map.size());
      f.map = MappedFile();  // nothing to parse: no mapping held for it
      continue;
    }
    total_bytes += f.map.size();
    for (std::uint32_t c = 0; c < f.chunk_count; ++c) items.push_back({i, c});
    if (opt.recover) {
      for (std::uint32_t c = 0; c < f.chunk_count; ++c) {
        live_record_runs(chunk_block(f, c), f.live);
        release(f, c);
      }
      std::sort(f.live.begin(), f.live.end(),
                [](const LiveRun& a, const LiveRun& b) { return a.first_id < b.first_id; });
      std::uint64_t reach = 0;
      for (const auto& r : f.live) f.live_reach.push_back(reach = std::max(reach, r.last_id));
    }
  }
  st.bytes += total_bytes;

  std::vector<std::unique_ptr<Worker>> workers;
  std::mutex workers_mu;
  auto acquire = [&]() {
    std::lock_guard lock(workers_mu);
    if (workers.empty()) return std::make_unique<Worker>();
    auto w = std::move(workers.back());
    workers.pop_back();
    return w;
  };
  auto give_back = [&](std::unique_ptr<Worker> w) {
    std::lock_guard lock(workers_mu);
    workers.push_back(std::move(w));
  };

  std::vector<std::unique_ptr<ChunkOutput>> outputs;
  std::mutex outputs_mu;

  auto produce = [&](std::size_t k) {
    const Item& it = items[k];
    const FileState& f = *files[it.file];
    std::unique_ptr<ChunkOutput> out;
    {
      // Output buffers are recycled: a warm buffer costs no page faults or regrowth.
      std::lock_guard lock(outputs_mu);
      if (!outputs.empty()) {
        out = std::move(outputs.back());
        outputs.pop_back();
      }
    }
    if (!out) out = std::make_unique<ChunkOutput>();
    ChunkTask task;
    task.block = chunk_block(f, it.chunk);
    task.file_offset = f.first_chunk_offset + static_cast<std::uint64_t>(it.chunk) * kChunkSize;
    task.index = it.chunk;
    task.check_crc = f.check_crc;
    task.recover = opt.recover;
    RenderOptions ro;
    ro.xml = opt.xml;
    ro.filter = &opt.filter;
    ro.source_json = f.source_json;
    auto w = acquire();
    process_chunk(task, ro, w->ctx, *out);
    give_back(std::move(w));
    if (opt.format == Format::kCsv) {
      TextBuffer csv;
      jsonl_to_csv(out->text.view().substr(0, out->live_end), opt.xml, csv);
      std::size_t live_end = csv.size();
      std::vector<CarvedRecord> carved;
      for (auto& c : out->carved) {
        std::size_t b = csv.size();
        jsonl_to_csv(out->text.view().substr(c.begin, c.end - c.begin), opt.xml, csv);
        carved.push_back({c.record_id, c.written_time, b, csv.size()});
      }
      out->text = std::move(csv);
      out->live_end = live_end;
      out->carved = std::move(carved);
    }
    return out;
  };

  auto consume = [&](std::size_t k, std::unique_ptr<ChunkOutput> out) {
    const Item& it = items[k];
    FileState& f = *files[it.file];
    for (const auto& n : out->notes) diag.report(n.severity, f.input.path, n.offset, n.message);
    st.chunks += out->parsed ? 1 : 0;
    st.bad_chunks += out->bad ? 1 : 0;
    st.records += out->records;
    st.filtered += out->filtered;
    st.damaged += out->damaged;
    if (out->live_end) sink(out->text.view().substr(0, out->live_end));
    for (const auto& c : out->carved) {
      if (is_live(f, c.record_id, c.written_time) ||
          !f.carved_keys.insert(carved_key(c.record_id, c.written_time)).second)
        continue;
      sink(out->text.view().substr(c.begin, c.end - c.begin));
      ++st.records;
      ++st.recovered;
    }
    release(f, it.chunk);
    progress.advance(chunk_block(f, it.chunk).size());
    if (it.chunk + 1 == f.chunk_count) {
      f.map = MappedFile();  // done with this file
      f.carved_keys.clear();
      f.live.clear();
      f.live_reach.clear();
    }
    std::lock_guard lock(outputs_mu);
    outputs.push_back(std::move(out));
  };
  ordered_parallel(items.size(), std::max(1u, opt.jobs), produce, consume);
}

}  // namespace

Stats parse_files(const std::vector<Input>& inputs, const Options& opt, Diagnostics& diag,
                  const LinesSink& sink) {
  Stats st;
  if (opt.format == Format::kCsv) sink(csv_header(opt));
  std::uint64_t total = 0;
  for (const auto& in : inputs) {
    struct stat s {};
    if (::stat(in.path.c_str(), &s) == 0 && S_ISREG(s.st_mode))
      total += static_cast<std::uint64_t>(s.st_size);
  }
  Progress progress("parse-evtx", total, opt.progress);
  for (std::size_t g = 0; g < inputs.size(); g += kFilesOpenAtOnce) {
    std::vector<Input> group(inputs.begin() + static_cast<std::ptrdiff_t>(g),
                             inputs.begin() + static_cast<std::ptrdiff_t>(
                                                  std::min(inputs.size(), g + kFilesOpenAtOnce)));
    parse_group(group, opt, diag, sink, st, progress);
  }
  progress.finish();
  return st;
}

}  // namespace kk::evtx
