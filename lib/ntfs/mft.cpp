#include "ntfs/mft.hpp"

#include <cstring>

#include <algorithm>

#include "core/parallel.hpp"
#include "core/progress.hpp"
#include "core/utf.hpp"
#include "ntfs/mft_entry.hpp"

namespace kk::ntfs {

namespace {

// Records per unit of parallel work: large enough to amortize the hand-off.
constexpr std::size_t kChunkRecords = 4096;

bool has_extensions(const MftIndex& index, std::uint64_t entry) {
  auto it = std::lower_bound(index.extensions.begin(), index.extensions.end(),
                             std::make_pair(static_cast<std::uint32_t>(entry), std::uint32_t{0}));
  return it != index.extensions.end() && it->first == entry;
}

// Decodes the attributes parse-mft reports from one record (base or extension) into E.
// LIST receives a resident $ATTRIBUTE_LIST; *LIST_NONRESIDENT is set for a non-resident one.
void decode_attributes(const FileRecord& rec, std::uint64_t rec_offset, MftEntry& e,
                       std::vector<AttributeListEntry>* list, bool* list_nonresident,
                       std::vector<EntryIssue>& issues, bool names_only = false) {
  std::optional<std::uint32_t> damaged;
  for_each_attribute(
      rec,
      [&](const AttributeView& a) {
        if (names_only && a.type != static_cast<std::uint32_t>(AttributeType::kFileName)) return;
        switch (static_cast<AttributeType>(a.type)) {
          case AttributeType::kStandardInformation:
            if (!e.si && !a.non_resident) e.si = decode_standard_information(a.value);
            break;
          case AttributeType::kFileName:
            if (!a.non_resident) {
              if (auto fn = decode_file_name(a.value)) e.names.push_back(std::move(*fn));
            }
            break;
          case AttributeType::kAttributeList:
            if (a.non_resident) {
              if (list_nonresident) *list_nonresident = true;
            } else if (list) {
              *list = decode_attribute_list(a.value);
            }
            break;
          case AttributeType::kData: {
            // A non-resident stream split over extension records: only the piece
            // starting at VCN 0 carries the sizes.
            if (a.non_resident && a.first_vcn != 0) break;
            DataStream s;
            append_utf16le(s.name, a.name_utf16);
            s.resident = !a.non_resident;
            s.size = a.non_resident ? a.data_size : a.value.size();
            if (s.resident && s.name == "Zone.Identifier") {
              append_sanitized_utf8(
                  s.resident_text, {reinterpret_cast<const char*>(a.value.data()), a.value.size()});
            }
            e.streams.push_back(std::move(s));
            break;
          }
          default:
            break;
        }
      },
      &damaged);
  if (damaged) {
    issues.push_back(
        {rec_offset + *damaged, "entry " + std::to_string(e.entry) +
                                    ": attribute at record offset " + std::to_string(*damaged) +
                                    " does not fit its record, later attributes skipped"});
  }
}

void report_fixups(const FileRecord& rec, std::uint64_t offset, std::uint64_t entry,
                   std::vector<EntryIssue>& issues) {
  if (rec.baad)
    issues.push_back(
        {offset, "entry " + std::to_string(entry) +
                     ": BAAD signature (NTFS marked the record damaged), read anyway"});
  if (rec.fixup_array_invalid) {
    issues.push_back({offset, "entry " + std::to_string(entry) +
                                  ": update sequence array out of range, read without fixups"});
  } else if (rec.bad_fixups) {
    issues.push_back({offset, "entry " + std::to_string(entry) + ": " +
                                  std::to_string(rec.bad_fixups) +
                                  " sector(s) with a bad fixup value (torn write?), read anyway"});
  }
}

struct IndexChunk {
  struct Named {
    std::uint64_t entry;
    FileReference parent;
    std::string name;
  };
  struct Ext {
    std::uint32_t base, ext;
    std::uint16_t base_sequence;
    FileReference parent;
    std::string name;  // preferred name found in the extension, if any
    bool has_name;
  };
  std::vector<std::tuple<std::uint64_t, std::uint16_t, bool, bool>> entries;
  std::vector<Named> names;
  std::vector<Ext> exts;
};

// Preferred name among the $FILE_NAME attributes of one record.
const FileName* best_name(const std::vector<FileName>& names) {
  int i = preferred_name(names);
  return i < 0 ? nullptr : &names[static_cast<std::size_t>(i)];
}

}  // namespace

int preferred_name(const std::vector<FileName>& names) {
  // Win32 names are what Explorer shows; POSIX next; a DOS 8.3 alias last.
  static constexpr int kRank[4] = {1, 0, 2, 0};
  int best = -1, best_rank = 99;
  for (std::size_t i = 0; i < names.size(); ++i) {
    int rank = names[i].name_space < 4 ? kRank[names[i].name_space] : 3;
    if (rank < best_rank) best = static_cast<int>(i), best_rank = rank;
  }
  return best;
}

MftIndex build_mft_index(Bytes mft, unsigned jobs, Diagnostics& /*diag*/, std::string_view /*file*/,
                         Progress* progress) {
  MftIndex index;
  index.record_size = guess_record_size(mft);
  const std::size_t rs = index.record_size;
  index.records = mft.size() / rs;
  const std::size_t chunks = (index.records + kChunkRecords - 1) / kChunkRecords;
  index.paths.reserve(index.records);
  std::vector<IndexChunk::Ext> exts;
  ordered_parallel(
      chunks, jobs,
      [&](std::size_t c) {
        IndexChunk out;
        FileRecord rec;
        MftEntry e;
        std::vector<EntryIssue> ignored;  // pass 2 reports damage, once
        const std::size_t first = c * kChunkRecords,
                          last = std::min<std::size_t>(first + kChunkRecords, index.records);
        for (std::size_t i = first; i < last; ++i) {
          if (read_file_record(mft.subspan(i * rs, rs), rec, nullptr) != RecordStatus::kOk)
            continue;
          e = MftEntry{};
          e.entry = i;
          decode_attributes(rec, i * rs, e, nullptr, nullptr, ignored, /*names_only=*/true);
          const FileName* fn = best_name(e.names);
          if (rec.is_extension()) {
            IndexChunk::Ext x{
                static_cast<std::uint32_t>(std::min<std::uint64_t>(rec.base.entry, 0xFFFFFFFFu)),
                static_cast<std::uint32_t>(i),
                rec.base.sequence,
                {},
                {},
                fn != nullptr};
            if (fn) x.parent = fn->parent, x.name = fn->name;
            out.exts.push_back(std::move(x));
            continue;
          }
          out.entries.emplace_back(i, rec.sequence, rec.in_use(), rec.is_directory());
          if (fn) out.names.push_back({i, fn->parent, fn->name});
        }
        return out;
      },
      [&](std::size_t c, IndexChunk&& chunk) {
        for (auto& [entry, seq, in_use, dir] : chunk.entries)
          index.paths.set(entry, seq, in_use, dir);
        for (auto& n : chunk.names) index.paths.set_name(n.entry, n.parent, n.name);
        for (auto& x : chunk.exts) exts.push_back(std::move(x));
        if (progress) {
          const std::size_t first = c * kChunkRecords;
          progress->advance(std::min<std::size_t>(kChunkRecords, index.records - first) * rs);
        }
      });
  // A base entry whose $FILE_NAME lives only in an extension record (seen with
  // many attributes, e.g. tests/data/ntfs entry 77) takes its name from there.
  for (const auto& x : exts) {
    index.extensions.emplace_back(x.base, x.ext);
    const PathTable::Node* base = index.paths.find(x.base);
    if (x.has_name && base && !(base->flags & PathTable::kHasName) &&
        base->sequence == x.base_sequence)
      index.paths.set_name(x.base, x.parent, x.name);
  }
  std::sort(index.extensions.begin(), index.extensions.end());
  return index;
}

namespace {

struct OutputChunk {
  std::string text;
  std::vector<EntryIssue> issues;
  MftStats stats;
};

// Merges the extension records of base entry E (record REC) into E.
void merge_extensions(Bytes mft, const MftIndex& index, MftEntry& e,
                      const std::vector<AttributeListEntry>& list, std::vector<EntryIssue>& issues,
                      MftStats& stats) {
  std::vector<std::uint64_t> wanted;
  if (!list.empty()) {
    for (const auto& a : list)
      if (a.file.entry != e.entry) wanted.push_back(a.file.entry);
  } else {
    // No readable attribute list (non-resident, in clusters outside the $MFT):
    // the extension records name their base record themselves.
    auto lo =
        std::lower_bound(index.extensions.begin(), index.extensions.end(),
                         std::make_pair(static_cast<std::uint32_t>(e.entry), std::uint32_t{0}));
    for (auto it = lo; it != index.extensions.end() && it->first == e.entry; ++it)
      wanted.push_back(it->second);
  }
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  const std::size_t rs = index.record_size;
  FileRecord rec;
  for (std::uint64_t x : wanted) {
    if (x >= index.records) {
      issues.push_back({e.entry * rs, "entry " + std::to_string(e.entry) +
                                          ": attribute list names entry " + std::to_string(x) +
                                          " beyond the end of the $MFT"});
      continue;
    }
    if (read_file_record(mft.subspan(x * rs, rs), rec, nullptr) != RecordStatus::kOk ||
        rec.base.entry != e.entry || (rec.base.sequence != e.sequence && rec.base.sequence != 0)) {
      // A stale extension slot (reused since): its attributes are not this entry's.
      if (!list.empty())
        issues.push_back({x * rs, "entry " + std::to_string(e.entry) + ": extension record " +
                                      std::to_string(x) +
                                      " does not belong to it (reused or damaged), skipped"});
      continue;
    }
    report_fixups(rec, x * rs, x, issues);
    if (!rec.fixups_ok()) e.fixup_ok = false;
    decode_attributes(rec, x * rs, e, nullptr, nullptr, issues);
    e.extension_entries.push_back(static_cast<std::uint32_t>(x));
    ++stats.extensions;
  }
}

}  // namespace

bool has_file_record(Bytes mft) {
  for (std::size_t off = 0; off + 4 <= mft.size(); off += 1024)
    if (std::memcmp(mft.data() + off, "FILE", 4) == 0 ||
        std::memcmp(mft.data() + off, "BAAD", 4) == 0)
      return true;
  return false;
}

MftStats parse_mft(Bytes mft, const MftIndex& index, const MftOptions& opts, Diagnostics& diag,
                   const std::function<void(std::string_view)>& sink) {
  MftStats total;
  const std::size_t rs = index.record_size;
  total.records = index.records;
  total.path_table_bytes = index.paths.memory_bytes();
  if (mft.size() % rs != 0) {
    diag.warning(opts.file, index.records * rs,
                 std::to_string(mft.size() % rs) + " trailing bytes shorter than a " +
                     std::to_string(rs) + "-byte record, ignored");
  }
  const std::size_t chunks = (index.records + kChunkRecords - 1) / kChunkRecords;
  ordered_parallel(
      chunks, opts.jobs,
      [&](std::size_t c) {
        OutputChunk out;
        FileRecord rec;
        std::vector<AttributeListEntry> list;
        std::string why;
        const std::size_t first = c * kChunkRecords,
                          last = std::min<std::size_t>(first + kChunkRecords, index.records);
        // About a line per record (not kChunkRecords' 4 MiB for a short $MFT or the last
        // chunk: under ASan each such block is mapped and cleared, most of a small input's cost).
        out.text.reserve((last - first) * 1024);
        for (std::size_t i = first; i < last; ++i) {
          const std::uint64_t off = i * rs;
          switch (read_file_record(mft.subspan(off, rs), rec, &why)) {
            case RecordStatus::kEmpty:
              ++out.stats.empty;
              continue;
            case RecordStatus::kNotARecord:
              ++out.stats.not_records;
              out.issues.push_back({off, "slot " + std::to_string(i) + ": " + why + ", skipped"});
              continue;
            case RecordStatus::kOk:
              break;
          }
          MftEntry e;
          if (rec.is_extension()) {
            // Merged into its base entry, unless that base is not in this file
            // (a lone or carved extension record): then it is reported on its own.
            const PathTable::Node* base = index.paths.find(rec.base.entry);
            if (base && (base->sequence == rec.base.sequence || rec.base.sequence == 0)) continue;
            e.extension_of = rec.base;
          }
          e.entry = i;
          // A lone record (carved or extracted) is known by the number in its header.
          if (rec.entry_number && *rec.entry_number != i) {
            if (index.records == 1) e.entry = *rec.entry_number;
          }
          e.sequence = rec.sequence;
          e.link_count = rec.link_count;
          e.in_use = rec.in_use();
          e.is_dir = rec.is_directory();
          e.fixup_ok = rec.fixups_ok();
          report_fixups(rec, off, e.entry, out.issues);
          if (!rec.fixups_ok()) ++out.stats.bad_fixups;
          list.clear();
          bool list_nonresident = false;
          const std::size_t before = out.issues.size();
          decode_attributes(rec, off, e, &list, &list_nonresident, out.issues);
          if (!list.empty() || list_nonresident || has_extensions(index, i))
            merge_extensions(mft, index, e, list, out.issues, out.stats);
          if (out.issues.size() > before) ++out.stats.damaged;
          ++out.stats.entries;
          if (render_mft_entry(e, index.paths, opts, out.text)) ++out.stats.emitted;
        }
        return out;
      },
      [&](std::size_t c, OutputChunk&& chunk) {
        for (const auto& is : chunk.issues) diag.warning(opts.file, is.offset, is.message);
        if (!chunk.text.empty()) sink(chunk.text);
        total.entries += chunk.stats.entries;
        total.emitted += chunk.stats.emitted;
        total.empty += chunk.stats.empty;
        total.not_records += chunk.stats.not_records;
        total.extensions += chunk.stats.extensions;
        total.bad_fixups += chunk.stats.bad_fixups;
        total.damaged += chunk.stats.damaged;
        if (opts.progress) {
          const std::size_t first = c * kChunkRecords;
          opts.progress->advance(std::min<std::size_t>(kChunkRecords, index.records - first) * rs);
        }
      });
  return total;
}

MftStats parse_mft(Bytes mft, const MftOptions& opts, Diagnostics& diag,
                   const std::function<void(std::string_view)>& sink) {
  MftIndex index = build_mft_index(mft, opts.jobs, diag, opts.file, opts.progress);
  return parse_mft(mft, index, opts, diag, sink);
}

}  // namespace kk::ntfs
