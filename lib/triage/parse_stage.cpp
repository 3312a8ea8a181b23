#include "triage/parse_stage.hpp"

#include <map>

#include <string_view>

#include "browser/browser.hpp"
#include "core/ascii_case.hpp"
#include "core/mapped_file.hpp"
#include "core/parallel.hpp"
#include "evtx/evtx.hpp"
#include "ntfs/mft.hpp"
#include "ntfs/usnjrnl.hpp"
#include "prefetch/prefetch.hpp"
#include "registry/registry.hpp"
#include "srum/srum.hpp"
#include "wmi/wmi.hpp"

namespace kk::triage {

namespace {

using cdir::Kind;
using cdir::ManifestEntry;

// "NTFS/C_$MFT" -> "NTFS/C_": pairs a volume's $MFT with its $UsnJrnl-$J.
std::string volume_prefix(const std::string& source, std::string_view suffix) {
  return source.size() >= suffix.size() ? source.substr(0, source.size() - suffix.size()) : source;
}

void parse_evtx(const std::vector<const ManifestEntry*>& files, const ParseOptions& options,
                Diagnostics& diag, const RecordSink& records) {
  std::vector<evtx::Input> inputs;
  for (const auto* e : files) inputs.push_back({e->path, e->source});
  evtx::Options opt;
  opt.jobs = options.jobs;
  opt.recover = options.recover_evtx;
  opt.progress = options.progress;
  evtx::parse_files(inputs, opt, diag, [&](std::string_view lines) { records(lines); });
}

// N files parsed on any of JOBS threads by PARSE(i, out, diag); each file's records and
// diagnostics are passed on in file order, so diagnostics.jsonl is the same whatever the
// threads did first.
template <typename Parse>
void parse_in_order(std::size_t n, unsigned jobs, Diagnostics& diag, const RecordSink& records,
                    Parse&& parse) {
  struct Parsed {
    std::string out;
    std::vector<Diagnostics::Note> notes;
  };
  ordered_parallel(
      n, jobs,
      [&](std::size_t i) {
        Diagnostics held(diag.tool(), Diagnostics::Hold{});
        Parsed p;
        parse(i, p.out, held);
        p.notes = held.take_notes();
        return p;
      },
      [&](std::size_t, Parsed p) {
        diag.tell(p.notes);
        records(p.out);
      });
}

void parse_prefetch(const std::vector<const ManifestEntry*>& files, const ParseOptions& options,
                    Diagnostics& diag, const RecordSink& records) {
  parse_in_order(files.size(), options.jobs, diag, records,
                 [&](std::size_t i, std::string& out, Diagnostics& d) {
                   prefetch_file_to_jsonl(files[i]->path, files[i]->source, out, d);
                 });
}

void parse_registry(const std::vector<const ManifestEntry*>& files, const ParseOptions& options,
                    Diagnostics& diag, const RecordSink& records) {
  registry::Options opt;
  parse_in_order(files.size(), options.jobs, diag, records,
                 [&](std::size_t i, std::string& out, Diagnostics& d) {
                   registry::parse_hive(files[i]->path, files[i]->source, opt, out, d);
                 });
}

// Web/: the browser databases (a -wal is applied with its database; the rest is named).
void parse_web(const std::vector<const ManifestEntry*>& files, const ParseOptions& options,
               Diagnostics& diag, const RecordSink& records) {
  std::vector<browser::Input> all;
  for (const auto* e : files) all.push_back({e->path, e->source});
  auto selected = browser::select_inputs(all, diag);
  browser::Options opt;
  parse_in_order(selected.size(), options.jobs, diag, records,
                 [&](std::size_t i, std::string& out, Diagnostics& d) {
                   browser::parse_file(selected[i].path, selected[i].source, opt, out, d);
                 });
}

// WMI/: OBJECTS.DATA (its MAPPING*.MAP and INDEX.BTR beside it are read with it).
void parse_wmi(const std::vector<const ManifestEntry*>& files, Diagnostics& diag,
               const RecordSink& records) {
  for (const auto* e : files) {
    std::string name = e->source.substr(e->source.find_last_of("/\\") + 1);
    if (!iequals(name, "OBJECTS.DATA")) continue;
    std::string out;
    wmi::parse_repository(e->path, e->source, wmi::Options{}, out, diag);
    records(out);
  }
}

// SRUDB.dat only: the SRU*.log / .chk / .jrs / .jfm files beside it are its
// transaction logs (not replayed: the database is read as it is on disk).
void parse_srum(const std::vector<const ManifestEntry*>& files, const ParseOptions& options,
                Diagnostics& diag, const RecordSink& records) {
  parse_in_order(files.size(), options.jobs, diag, records,
                 [&](std::size_t i, std::string& out, Diagnostics& d) {
                   srum::srum_file_to_jsonl(files[i]->path, files[i]->source, d,
                                            [&](std::string_view lines) { out.append(lines); });
                 });
}

// $MFT first (its path table also resolves the journal of the same volume).
void parse_ntfs(const std::vector<const ManifestEntry*>& mfts,
                const std::vector<const ManifestEntry*>& journals, const ParseOptions& options,
                Diagnostics& diag, const RecordSink& records) {
  std::map<std::string, std::pair<MappedFile, ntfs::MftIndex>> volumes;
  for (const auto* e : mfts) {
    MappedFile f;
    std::string err;
    if (!f.open(e->path, &err)) {
      diag.unreadable(e->source, err);
      continue;
    }
    ntfs::MftIndex index = ntfs::build_mft_index(f.bytes(), options.jobs, diag, e->source);
    ntfs::MftOptions opt;
    opt.source = e->source;
    opt.file = e->source;
    opt.jobs = options.jobs;
    ntfs::parse_mft(f.bytes(), index, opt, diag, [&](std::string_view lines) { records(lines); });
    volumes.emplace(volume_prefix(e->source, "$MFT"),
                    std::make_pair(std::move(f), std::move(index)));
  }
  for (const auto* e : journals) {
    MappedFile f;
    std::string err;
    if (!f.open(e->path, &err)) {
      diag.unreadable(e->source, err);
      continue;
    }
    ntfs::UsnOptions opt;
    opt.source = e->source;
    opt.file = e->source;
    auto vol = volumes.find(volume_prefix(e->source, "$UsnJrnl-$J"));
    if (vol != volumes.end()) opt.mft = &vol->second.second.paths;
    ntfs::parse_usnjrnl(f.bytes(), opt, diag, [&](std::string_view lines) { records(lines); });
  }
}

// Why a manifest kind has no parser in triage.
std::string_view not_parsed_reason(Kind kind) {
  switch (kind) {
    case Kind::kMemory:
      return "memory images (RAM dump, pagefile, hiberfil, swapfile) are out of triage's scope "
             "(analyse them with a memory forensics tool); unpack-cdir skips them unless "
             "--include-memory";
    case Kind::kSecureSds:
      return "$SECURE:$SDS (NTFS security descriptors) answers no question of the notice (file "
             "owners and ACLs); it is kept in the case as collected";
    default:
      return "no known CDIR-C artifact at this place in the bundle (kept as collected; the "
             "first is named here)";
  }
}

}  // namespace

ParseCounts parse_bundle(const std::vector<ManifestEntry>& entries, const ParseOptions& options,
                         Diagnostics& diag, const RecordSink& records) {
  ParseCounts counts;
  std::map<Kind, std::pair<std::uint64_t, std::string>> unparsed;  // count, first source
  std::vector<const ManifestEntry*> evtx, prefetch, hives, mfts, journals, web, wmi, srum_dbs;
  for (const auto& e : entries) {
    if (e.path.empty() || e.skipped) continue;
    switch (e.kind) {
      case Kind::kEvtx:
        evtx.push_back(&e);
        break;
      case Kind::kPrefetch:
        prefetch.push_back(&e);
        break;
      case Kind::kRegistry:
      case Kind::kAmcache:
        hives.push_back(&e);
        break;
      case Kind::kMft:
        mfts.push_back(&e);
        break;
      case Kind::kUsnJrnl:
        journals.push_back(&e);
        break;
      case Kind::kWeb:
        web.push_back(&e);
        break;
      case Kind::kWmi:
        wmi.push_back(&e);
        break;
      case Kind::kSrum:
        if (!srum::is_srum_database(e.path)) continue;  // its logs, read with it
        srum_dbs.push_back(&e);
        break;
      case Kind::kRegistryLog:   // replayed with its hive
      case Kind::kCollectorLog:  // read by unpack
        continue;
      default: {
        ++counts.unparsed_files;
        auto& [n, first] = unparsed[e.kind];
        if (n++ == 0) first = e.source;
        continue;
      }
    }
    ++counts.files_by_kind[std::string(cdir::kind_name(e.kind))];
  }
  // Every kind a CDIR-C bundle holds is parsed above or said here, with the reason, once
  // per kind (docs/interface.md, "What triage reads of a CDIR-C bundle").
  for (const auto& [kind, seen] : unparsed)
    diag.info(seen.second, std::nullopt,
              std::to_string(seen.first) + " " + std::string(cdir::kind_name(kind)) +
                  " file(s) not parsed: " + std::string(not_parsed_reason(kind)));
  parse_evtx(evtx, options, diag, records);
  parse_prefetch(prefetch, options, diag, records);
  parse_registry(hives, options, diag, records);
  parse_ntfs(mfts, journals, options, diag, records);
  parse_web(web, options, diag, records);
  parse_wmi(wmi, diag, records);
  parse_srum(srum_dbs, options, diag, records);
  return counts;
}

}  // namespace kk::triage
