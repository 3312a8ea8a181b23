// parse_hive: open (replaying transaction logs when the hive is dirty), recognise the hive,
// run the plugins that apply, and write JSONL.
#include "registry/registry.hpp"

#include <filesystem>

#include "core/ascii_case.hpp"
#include "core/mapped_file.hpp"
#include "registry/hive.hpp"
#include "registry/hive_type.hpp"
#include "registry/plugin.hpp"
#include "registry/transaction_log.hpp"

namespace kk::registry {

std::optional<UtcMicros> filetime_at(Bytes b, std::size_t off) {
  auto v = ByteReader(b).u64(off);
  if (!v) return std::nullopt;
  return from_filetime(*v);
}

namespace {

// The owner of a user hive: CDIR-C names it "<user>_NTUSER.dat"; a plain copy sits in
// "Users\<user>\"; Windows records a (partial) path in the base block.
std::string hive_user(const std::string& path, const Hive& hive) {
  std::filesystem::path p(path);
  std::string file = p.filename().string();
  std::string lf = ascii_lower(file);
  for (std::string_view suffix : {"_ntuser.dat", "_usrclass.dat"})
    if (lf.size() > suffix.size() && lf.ends_with(suffix))
      return file.substr(0, file.size() - suffix.size());
  std::string recorded = hive.base_block().file_name;
  for (char& c : recorded)
    if (c == '/') c = '\\';
  std::string lr = ascii_lower(recorded);
  if (auto at = lr.find("\\users\\"); at != std::string::npos) {
    auto start = at + 7;
    auto end = recorded.find('\\', start);
    if (end != std::string::npos) return recorded.substr(start, end - start);
  }
  std::vector<std::string> parts;
  for (auto& part : p.parent_path()) parts.push_back(part.string());
  for (std::size_t i = 0; i + 1 < parts.size(); ++i)
    if (ascii_lower(parts[i]) == "users") return parts[i + 1];
  return {};
}

std::unique_ptr<Hive> open_hive(const std::string& path, const std::string& source,
                                const Options& opt, HiveSummary& sum, Diagnostics& diag) {
  MappedFile f;
  std::string err;
  if (!f.open(path, &err)) {
    diag.unreadable(source, err);
    return nullptr;
  }
  auto bb = parse_base_block(ByteReader(f.bytes()));
  sum.dirty = bb && bb->dirty();
  if (!bb || !sum.dirty || opt.logs == LogMode::kNone) {
    if (sum.dirty)
      diag.info(source, 4, "hive is dirty; transaction logs not applied (--logs none)");
    return Hive::from_mapping(std::move(f), source, diag);
  }
  // Dirty: replay the logs into a private copy; the evidence stays untouched.
  std::vector<MappedFile> log_files;
  std::vector<LogInput> logs;
  for (auto& lp : find_logs(path)) {
    MappedFile lf;
    if (!lf.open(lp, &err)) {
      diag.warning(lp, std::nullopt, "transaction log unreadable: " + err);
      continue;
    }
    log_files.push_back(std::move(lf));
  }
  for (auto& lf : log_files)
    logs.push_back({std::filesystem::path(lf.path()).filename().string(), lf.bytes()});
  if (logs.empty()) {
    diag.info(source, 4,
              "hive is dirty (sequence numbers " + std::to_string(bb->primary_sequence) + "/" +
                  std::to_string(bb->secondary_sequence) +
                  (bb->checksum_ok() ? "" : ", base block checksum wrong") +
                  ") and no transaction log was found next to it; recent changes may be missing");
    return Hive::from_mapping(std::move(f), source, diag);
  }
  std::vector<std::uint8_t> copy(f.bytes().begin(), f.bytes().end());
  ReplayResult rr = replay_logs(copy, logs, source, diag);
  if (!rr.applied) {
    diag.info(source, 4, "hive is dirty but no transaction log entry applied to it");
    return Hive::from_mapping(std::move(f), source, diag);
  }
  sum.replayed = true;
  std::string used;
  for (auto& u : rr.logs_used) used += (used.empty() ? "" : ", ") + u;
  diag.info(source, std::nullopt,
            "dirty hive: replayed " +
                (rr.format == "new" ? std::to_string(rr.entries) + " log entries (sequence " +
                                          std::to_string(rr.first_sequence) + "-" +
                                          std::to_string(rr.last_sequence) + "), "
                                    : std::string()) +
                std::to_string(rr.pages) + " dirty pages from " + used);
  return Hive::from_bytes(std::move(copy), source, diag);
}

}  // namespace

namespace {

void run_plugins(const Hive& hive, const std::string& path, const std::string& source,
                 const Options& opt, std::string& out, HiveSummary& sum) {
  sum.readable = true;
  if (!hive.root()) return;  // reported by root()
  sum.type = detect_hive_type(hive);
  PluginContext ctx{hive, source, sum.type, {}, out, path};
  if (sum.type == HiveType::kNtuser || sum.type == HiveType::kUsrClass)
    ctx.user = hive_user(path, hive);
  if (opt.plugins) {
    switch (sum.type) {
      case HiveType::kSystem:
        run_system_plugins(ctx);
        break;
      case HiveType::kSoftware:
        run_software_plugins(ctx);
        break;
      case HiveType::kNtuser:
        run_user_plugins(ctx);
        run_shellbag_plugin(ctx);
        break;
      case HiveType::kUsrClass:
        run_shellbag_plugin(ctx);
        break;
      case HiveType::kAmcache:
        run_amcache_plugins(ctx);
        break;
      case HiveType::kSam:
        run_sam_plugins(ctx);
        break;
      default:
        break;
    }
  }
  if (opt.raw || opt.recover_deleted)
    run_raw_dump(ctx, opt.raw ? opt.key_regex : "", opt.raw, opt.recover_deleted);
  sum.keys = ctx.keys;
  sum.records = ctx.records;
}

}  // namespace

HiveSummary parse_hive(const std::string& path, const std::string& source, const Options& opt,
                       std::string& out, Diagnostics& diag) {
  HiveSummary sum;
  auto hive = open_hive(path, source, opt, sum, diag);
  if (hive) run_plugins(*hive, path, source, opt, out, sum);
  return sum;
}

HiveSummary parse_hive_bytes(std::vector<std::uint8_t> bytes, const std::string& source,
                             const Options& opt, std::string& out, Diagnostics& diag) {
  HiveSummary sum;
  auto bb = parse_base_block(ByteReader(bytes.data(), bytes.size()));
  sum.dirty = bb && bb->dirty();
  auto hive = Hive::from_bytes(std::move(bytes), source, diag);
  if (hive) run_plugins(*hive, source, source, opt, out, sum);
  return sum;
}

}  // namespace kk::registry
