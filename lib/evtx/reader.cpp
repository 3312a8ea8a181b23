// Files → chunks → ordered output. Work items are (file, chunk) pairs across all
// inputs, so many small logs use every core as well as one big log does; output
// and diagnostics are consumed in input order with a bounded window in flight.
//
// Chunks are read with pread() into a per-thread 64 KiB buffer rather than through a
// memory mapping: no page faults, no munmap/madvise (whose TLB shoot-downs hit every
// thread of the process), and memory bounded by the window without releasing pages.
// A file is opened by the first worker that needs it (its header read and checked
// there, not on the calling thread before any parsing starts) and closed when its
// last chunk has been consumed, so only the files in the window are open at once.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>
#include <unordered_set>

#include "core/free_memory.hpp"
#include "core/json_writer.hpp"
#include "core/ordered_relay.hpp"
#include "core/progress.hpp"
#include "evtx/chunk.hpp"
#include "evtx/csv.hpp"
#include "evtx/evtx.hpp"
#include "evtx/structures.hpp"

namespace kk::evtx {
namespace {

// Reads up to SIZE bytes at OFFSET (short only at end of file). Returns the count, or
// -1 with errno set.
ssize_t read_at(int fd, std::uint8_t* buf, std::size_t size, std::uint64_t offset) {
  std::size_t got = 0;
  while (got < size) {
    ssize_t r = ::pread(fd, buf + got, size - got, static_cast<off_t>(offset + got));
    if (r < 0) {
      if (errno == EINTR) continue;
      return got ? static_cast<ssize_t>(got) : -1;
    }
    if (r == 0) break;
    got += static_cast<std::size_t>(r);
  }
  return static_cast<ssize_t>(got);
}

struct FileState {
  const Input* input = nullptr;  // the caller's (not copied: 70,000 files make a difference)
  std::uint64_t size = 0;       // from stat() before parsing: decides the work items
  std::uint64_t file_size = 0;  // from fstat() when opened
  std::uint32_t items = 1;      // work items: its 64 KiB blocks, at least one (the header)
  std::once_flag opened;        // open() runs on the first worker that needs the file
  int fd = -1;
  bool readable = false;
  std::size_t first_chunk_offset = kDefaultHeaderBlock;
  std::uint32_t chunk_count = 0;  // 64 KiB blocks on disk (the last may be partial)
  bool check_crc = true;
  std::string unreadable;          // why the file cannot be read (reported, then skipped)
  std::vector<ChunkNote> notes;    // file header diagnostics, reported before its chunks'
  std::string source_json;
  std::vector<LiveRun> live;              // --recover only, sorted by first id
  std::vector<std::uint64_t> live_reach;  // live[0..i]'s largest last id
  std::unordered_set<std::uint64_t> carved_keys;
  ~FileState() { close(); }
  void close() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
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

// Reads block I of F into BUF (kChunkSize bytes); empty past the end of the file. With
// USED_ONLY, a chunk's bytes past its free space offset are not read (*LOADED says how
// many were; see ChunkTask::loaded): most chunks of a bundle's small logs are mostly empty.
std::span<const std::uint8_t> read_block(FileState& f, std::uint32_t i, std::uint8_t* buf,
                                         std::vector<ChunkNote>& notes, bool used_only = false,
                                         std::size_t* loaded = nullptr) {
  if (loaded) *loaded = SIZE_MAX;
  if (f.fd < 0 || i >= f.chunk_count) return {};
  std::uint64_t off = f.first_chunk_offset + static_cast<std::uint64_t>(i) * kChunkSize;
  auto fail = [&] {
    notes.push_back({Severity::kError, off,
                     "chunk " + std::to_string(i) + ": read error: " + std::strerror(errno)});
    return std::span<const std::uint8_t>{};
  };
  std::size_t expect =
      f.file_size > off ? static_cast<std::size_t>(std::min<std::uint64_t>(kChunkSize, f.file_size - off)) : 0;
  std::size_t want = used_only ? std::min<std::size_t>(expect, 4096) : kChunkSize;
  ssize_t n = read_at(f.fd, buf, want, off);
  if (n < 0) return fail();
  std::size_t got = static_cast<std::size_t>(n);
  if (!used_only || got < want || got == expect) return {buf, got};
  std::span<const std::uint8_t> head(buf, got);
  std::size_t need = expect;
  if (head.size() >= kChunkHeaderSize && has_chunk_magic(head)) {
    std::uint32_t free = parse_chunk_header(head).free_space_offset;
    if (free >= kChunkHeaderSize && free <= expect) need = std::max<std::size_t>(free, got);
  }
  if (need > got) {
    n = read_at(f.fd, buf + got, need - got, off + got);
    if (n < 0) return fail();
    got += static_cast<std::size_t>(n);
    if (got < need) return {buf, got};  // the file is shorter than it was: what is there
  }
  if (loaded && got < expect) *loaded = got;
  return {buf, expect};
}

// Opens a file and reads its header. The header's chunk count is not trusted:
// every 64 KiB block after the header block is a candidate chunk (sysmon.evtx in
// the corpus says 1 chunk and holds 9 valid ones). Runs on a worker thread; what it
// finds is reported when the file's first item is consumed.
void open_file(FileState& f, const Options& opt, std::uint8_t* buf) {
  append_json_string(f.source_json, f.input->source.empty() ? f.input->path : f.input->source);
  f.fd = ::open(f.input->path.c_str(), O_RDONLY | O_CLOEXEC);
  if (f.fd < 0) {
    f.unreadable = std::string("cannot open: ") + std::strerror(errno);
    return;
  }
  struct stat s {};
  if (::fstat(f.fd, &s) != 0 || S_ISDIR(s.st_mode)) {
    f.unreadable = std::string("cannot open: ") +
                   (S_ISDIR(s.st_mode) ? "is a directory" : std::strerror(errno));
    f.close();
    return;
  }
  // The header block and the first chunk's header (to recognise a file whose header
  // was overwritten).
  constexpr std::size_t kHead = kDefaultHeaderBlock + kChunkHeaderSize;
  ssize_t n = read_at(f.fd, buf, kHead, 0);
  if (n < 0) {
    f.unreadable = std::string("cannot read: ") + std::strerror(errno);
    f.close();
    return;
  }
  std::span<const std::uint8_t> head(buf, static_cast<std::size_t>(n));
  auto warn = [&](std::uint64_t off, std::string msg) {
    f.notes.push_back({Severity::kWarning, off, std::move(msg)});
  };
  auto h = parse_file_header(head);
  if (!h) {
    // Without a file header, chunks may still be there (a header overwritten or a
    // carved fragment): look for chunk magic at the usual places.
    if (head.size() >= kHead && has_chunk_magic(head.subspan(kDefaultHeaderBlock))) {
      warn(0, "no EVTX file header (\"ElfFile\" signature missing), reading chunks anyway");
    } else {
      f.unreadable = "not an EVTX file (no \"ElfFile\" signature)";
      f.close();
      return;
    }
  } else {
    if (!h->checksum_ok && !(h->flags & kFileNoCrc32))
      warn(124, "file header checksum mismatch, parsed anyway");
    if (h->major != 3 || (h->minor != 1 && h->minor != 2))
      warn(36, "unknown format version " + std::to_string(h->major) + "." +
                   std::to_string(h->minor) + ", parsing as 3.1");
    if (h->header_block_size != kDefaultHeaderBlock && h->header_block_size != 0)
      warn(40, "header block size " + std::to_string(h->header_block_size) +
                   " is unusual, assuming 4096");
    f.check_crc = !(h->flags & kFileNoCrc32);
  }
  // Blocks as stat() saw them before parsing (the work items); a file that changed
  // size since is read up to the smaller of the two.
  f.file_size = static_cast<std::uint64_t>(s.st_size);
  std::uint64_t size = std::min<std::uint64_t>(f.file_size, f.size);
  if (size > f.first_chunk_offset) {
    std::uint64_t blocks = (size - f.first_chunk_offset + kChunkSize - 1) / kChunkSize;
    f.chunk_count = static_cast<std::uint32_t>(std::min<std::uint64_t>(blocks, f.items));
  }
  f.readable = true;
  if (opt.recover) {
    std::vector<ChunkNote> ignored;  // read errors are reported when the chunk is parsed
    for (std::uint32_t c = 0; c < f.chunk_count; ++c)
      live_record_runs(read_block(f, c, buf, ignored), f.live);
    std::sort(f.live.begin(), f.live.end(),
              [](const LiveRun& a, const LiveRun& b) { return a.first_id < b.first_id; });
    std::uint64_t reach = 0;
    for (const auto& r : f.live) f.live_reach.push_back(reach = std::max(reach, r.last_id));
  }
}

// A worker thread's reusable state: BinXML context and the chunk read buffer.
struct Worker {
  ChunkContext ctx;
  std::unique_ptr<std::uint8_t[]> buf{new std::uint8_t[kChunkSize]};
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

// The blocks of a file of SIZE bytes: one work item each, and at least one (opening
// the file and reporting its header) however short it is.
std::uint32_t items_for(std::uint64_t size) {
  if (size <= kDefaultHeaderBlock) return 1;
  std::uint64_t blocks = (size - kDefaultHeaderBlock + kChunkSize - 1) / kChunkSize;
  return static_cast<std::uint32_t>(std::clamp<std::uint64_t>(blocks, 1, UINT32_MAX));
}

}  // namespace

Stats parse_files(const std::vector<Input>& inputs, const Options& opt, Diagnostics& diag,
                  const LinesSink& sink) {
  Stats st;
  if (opt.format == Format::kCsv) sink(csv_header(opt));
  std::vector<FileState> files(inputs.size());
  std::vector<Item> items;
  std::uint64_t total = 0;
  for (std::uint32_t i = 0; i < inputs.size(); ++i) {
    FileState& f = files[i];
    f.input = &inputs[i];
    struct stat s {};
    if (::stat(f.input->path.c_str(), &s) == 0 && S_ISREG(s.st_mode)) {
      f.size = static_cast<std::uint64_t>(s.st_size);
      total += f.size;
    }
    f.items = items_for(f.size);
    for (std::uint32_t c = 0; c < f.items; ++c) items.push_back({i, c});
  }
  Progress progress("parse-evtx", total, opt.progress);

  unsigned jobs = std::max(1u, opt.jobs);
  std::vector<Worker> workers(std::min<std::size_t>(jobs, std::max<std::size_t>(items.size(), 1)));
  std::vector<std::unique_ptr<ChunkOutput>> outputs;  // recycled: warm buffers, no regrowth
  std::mutex outputs_mu;

  auto produce = [&](unsigned t, std::size_t k) {
    const Item& it = items[k];
    FileState& f = files[it.file];
    Worker& w = workers[t];
    std::call_once(f.opened, [&] { open_file(f, opt, w.buf.get()); });
    std::unique_ptr<ChunkOutput> out;
    {
      std::lock_guard lock(outputs_mu);
      if (!outputs.empty()) {
        out = std::move(outputs.back());
        outputs.pop_back();
      }
    }
    if (!out) out = std::make_unique<ChunkOutput>();
    out->clear();
    if (!f.readable || it.chunk >= f.chunk_count) return out;
    std::vector<ChunkNote> read_notes;
    ChunkTask task;
    task.block = read_block(f, it.chunk, w.buf.get(), read_notes, !opt.recover, &task.loaded);
    task.file_offset = f.first_chunk_offset + static_cast<std::uint64_t>(it.chunk) * kChunkSize;
    task.index = it.chunk;
    task.check_crc = f.check_crc;
    task.recover = opt.recover;
    RenderOptions ro;
    ro.xml = opt.xml;
    ro.filter = &opt.filter;
    ro.source_json = f.source_json;
    process_chunk(task, ro, w.ctx, *out);
    if (task.loaded != SIZE_MAX && (out->bad || out->damaged || !out->notes.empty())) {
      // Something to report: parse again from the whole block, as if it had been read whole.
      read_notes.clear();
      task.block = read_block(f, it.chunk, w.buf.get(), read_notes);
      task.loaded = SIZE_MAX;
      process_chunk(task, ro, w.ctx, *out);
    }
    out->notes.insert(out->notes.begin(), read_notes.begin(), read_notes.end());
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
    FileState& f = files[it.file];
    if (it.chunk == 0) {
      ++st.files;
      if (!f.unreadable.empty()) {
        ++st.unreadable_files;
        diag.unreadable(f.input->path, f.unreadable);
      } else if (f.chunk_count) {
        st.bytes += f.size;
      }
      for (const auto& n : f.notes) diag.report(n.severity, f.input->path, n.offset, n.message);
    }
    for (const auto& n : out->notes) diag.report(n.severity, f.input->path, n.offset, n.message);
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
    // Progress in file bytes: the header block with the first item, the tail with the last.
    std::uint64_t from = it.chunk ? f.first_chunk_offset + std::uint64_t{it.chunk} * kChunkSize : 0;
    std::uint64_t to = it.chunk + 1 == f.items
                           ? f.size
                           : f.first_chunk_offset + (std::uint64_t{it.chunk} + 1) * kChunkSize;
    progress.advance(to > from ? to - from : 0);
    if (it.chunk + 1 == f.items) {  // done with this file
      f.close();
      free_memory(f.notes);
      free_memory(f.source_json);
      free_memory(f.unreadable);
      free_memory(f.carved_keys);
      free_memory(f.live);
      free_memory(f.live_reach);
    }
    std::lock_guard lock(outputs_mu);
    outputs.push_back(std::move(out));
  };
  ordered_relay(items.size(), jobs, produce, consume);
  progress.finish();
  return st;
}

}  // namespace kk::evtx
