// cases add CASEDIR INPUT…: each input copied into CASEDIR/received/ and hashed in one read,
// its PC told from the bundle's name; all registered in one transaction or none.
#include <filesystem>
#include <set>

#include "cases/case_folder.hpp"
#include "cases/commands.hpp"
#include "cases/received.hpp"
#include "core/case_dir.hpp"

namespace kk::cases {

Outcome add_inputs(const Context& ctx, const std::string& case_dir,
                   const std::vector<std::string>& inputs, const AddOptions& options) {
  auto where = locate_case(case_dir);
  if (!where) return Outcome::failed(where.error().message, 2);
  if (!options.host.empty() && inputs.size() != 1)
    return Outcome::failed("--host names the PC of one bundle: give one input", 2);
  auto registry = open_registry(ctx, where->root);
  auto existing = registry->find_case(where->case_id);
  if (!existing)
    return Outcome::failed(where->case_id + ": no such case in " + registry->describe());
  if (existing->state == CaseState::kCompleted || existing->state == CaseState::kPurged)
    return Outcome::failed(where->case_id + ": the case is " +
                           std::string(state_name(existing->state)) + "; nothing can be added");
  CaseDir::Policy policy;
  policy.allow_content = true;
  policy.inputs = inputs;
  auto dir = CaseDir::open(where->path, policy);
  if (!dir) return Outcome::failed(dir.error().message);

  std::vector<InputKind> kinds;
  for (const std::string& in : inputs) {
    auto k = classify_input(in, options.host, ctx.tz);
    if (!k) return Outcome::failed(k.error().message);
    if (k->kind == "bundle" && (k->host == "received" || k->host.starts_with(".") ||
                                k->host.find('/') != std::string::npos))
      return Outcome::failed(in + ": \"" + k->host + "\" cannot be a PC's folder name");
    kinds.push_back(*k);
  }
  std::vector<StoredInput> stored;
  auto undo = [&] {
    for (const auto& s : stored) remove_stored(*dir, s.stored_as);
  };
  for (const std::string& in : inputs) {
    auto s = store_input(*dir, in);
    if (!s) {
      undo();
      return Outcome::failed(s.error().message);
    }
    stored.push_back(*s);
  }

  Transaction tx(registry->db());
  auto c = registry->find_case(where->case_id);  // again, inside the transaction
  std::vector<std::string> refused;
  std::set<std::string> seen_hash, seen_host;
  auto hosts = registry->hosts(where->case_id);
  for (const auto& h : hosts) seen_host.insert(h.host);
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (auto dup = registry->input_by_hash(where->case_id, stored[i].sha256)) {
      refused.push_back(inputs[i] + ": already received as " + dup->file + " (" +
                        format_iso(dup->received_at) + ", SHA-256 " + stored[i].sha256 + ")");
    } else if (!seen_hash.insert(stored[i].sha256).second) {
      refused.push_back(inputs[i] + ": the same content is given twice (SHA-256 " +
                        stored[i].sha256 + ")");
    } else if (kinds[i].kind == "bundle" && !seen_host.insert(kinds[i].host).second) {
      refused.push_back(inputs[i] + ": PC " + kinds[i].host +
                        " already has a bundle in this case; give --host NAME to add it as "
                        "another PC");
    }
  }
  if (!refused.empty() || !c || c->state == CaseState::kCompleted ||
      c->state == CaseState::kPurged) {
    undo();
    std::string msg = "nothing was added:";
    if (refused.empty()) msg += " the case changed state meanwhile";
    for (const auto& r : refused) msg += "\n  " + r;
    return Outcome::failed(msg);
  }
  Outcome o;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    InputRow row;
    row.file = std::filesystem::path(inputs[i]).filename().string();
    if (row.file.empty()) row.file = stored[i].stored_as.substr(9);
    row.stored_as = stored[i].stored_as;
    row.sha256 = stored[i].sha256;
    row.size = static_cast<std::int64_t>(stored[i].size);
    row.received_at = ctx.now;
    row.host = kinds[i].host;
    row.kind = kinds[i].kind;
    row.state = "received";
    std::int64_t id = registry->insert_input(where->case_id, row);
    if (row.kind == "bundle") registry->insert_host(where->case_id, {row.host, id, "received"});
    registry->audit(where->case_id, ctx.now, "add",
                    json_object({{"file", row.file},
                                 {"stored_as", row.stored_as},
                                 {"sha256", row.sha256},
                                 {"size", std::to_string(row.size)},
                                 {"kind", row.kind},
                                 {"host", row.host}}));
    o.out += "cases: received " + row.file + " (" + row.kind +
             (row.host.empty() ? "" : ", PC " + row.host) + ", " + std::to_string(row.size) +
             " bytes, SHA-256 " + row.sha256 + ")\n";
  }
  if (!c->received_at) c->received_at = ctx.now;
  // A new PC after delivery reopens the analysis.
  if (c->state == CaseState::kIntake || c->state == CaseState::kDelivered)
    c->state = CaseState::kReceived;
  registry->update_case(*c);
  tx.commit();
  return o;
}

}  // namespace kk::cases
