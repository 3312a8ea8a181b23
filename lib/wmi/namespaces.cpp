#include "wmi/namespaces.hpp"

#include <deque>
#include <set>

#include "wmi/instance.hpp"
#include "wmi/mapping.hpp"

namespace kk::wmi {

namespace {
// Namespaces of a default installation, in the case Windows shows them; tried after the
// walk from ROOT, for a namespace whose __NAMESPACE instance is on a lost page.
constexpr std::string_view kWellKnown[] = {"ROOT",
                                           "ROOT\\subscription",
                                           "ROOT\\CIMV2",
                                           "ROOT\\DEFAULT",
                                           "ROOT\\WMI",
                                           "ROOT\\SECURITY",
                                           "ROOT\\Microsoft",
                                           "ROOT\\CIMV2\\Security",
                                           "ROOT\\Policy",
                                           "ROOT\\StandardCimv2",
                                           "ROOT\\Interop",
                                           "ROOT\\Microsoft\\Windows",
                                           "ROOT\\directory\\LDAP",
                                           "ROOT\\RSOP",
                                           "ROOT\\SecurityCenter",
                                           "ROOT\\SecurityCenter2"};
// Real namespace paths are short; a crafted chain of namespaces stops here.
constexpr std::size_t kMaxName = 1024;
}  // namespace

NamespaceNames::NamespaceNames(std::vector<InstanceKey> keys, bool xp)
    : xp_(xp), keys_(std::move(keys)) {
  for (std::size_t i = 0; i < keys_.size(); ++i) by_record_.emplace(keys_[i].record_id, i);
}

const InstanceKey* NamespaceNames::key_of(std::uint32_t page, std::uint32_t record_id,
                                          std::uint32_t size) const {
  auto [b, e] = by_record_.equal_range(record_id);
  const InstanceKey* by_page = nullptr;
  const InstanceKey* by_size = nullptr;
  bool size_ambiguous = false;
  // Record ids are random 32-bit numbers; a crafted index repeating one is not scanned whole.
  int tried = 0;
  for (auto it = b; it != e && tried < 64; ++it, ++tried) {
    const InstanceKey& k = keys_[it->second];
    if (page != kNoPage && k.page == page) {
      if (by_page && by_page->ns_hash != k.ns_hash) return nullptr;  // stale pages disagree
      by_page = &k;
    }
    if (k.size == size) {
      if (by_size && by_size->ns_hash != k.ns_hash) size_ambiguous = true;
      by_size = &k;
    }
  }
  if (by_page) return by_page;
  return size_ambiguous ? nullptr : by_size;
}

void NamespaceNames::resolve(const std::function<std::string(const InstanceKey&)>& name_of) {
  const std::string ns_class = class_name_hash("__NAMESPACE", xp_);
  std::multimap<std::string, const InstanceKey*> children;  // parent hash → __NAMESPACE keys
  for (const auto& k : keys_)
    if (k.class_hash == ns_class) children.emplace(k.ns_hash, &k);
  std::deque<std::string> todo;
  auto add = [&](const std::string& name) {
    if (names_.emplace(class_name_hash(name, xp_), name).second) todo.push_back(name);
  };
  add("ROOT");
  // Each namespace is named once, so the walk ends even on a crafted index.
  while (!todo.empty()) {
    std::string parent = todo.front();
    todo.pop_front();
    auto [b, e] = children.equal_range(class_name_hash(parent, xp_));
    for (auto it = b; it != e; ++it) {
      std::string child = name_of(*it->second);
      // The key hash is the hash of the Name: a wrong or damaged instance is not used.
      if (child.empty() || class_name_hash(child, xp_) != it->second->key_hash) continue;
      if (parent.size() + child.size() >= kMaxName) continue;
      add(parent + "\\" + child);
    }
  }
  for (auto n : kWellKnown) names_.emplace(class_name_hash(n, xp_), std::string(n));
}

std::pair<std::size_t, std::size_t> NamespaceNames::coverage() const {
  std::set<std::string_view> all;
  for (const auto& k : keys_) all.insert(k.ns_hash);
  std::size_t named = 0;
  for (auto h : all) named += names_.count(std::string(h));
  return {all.size(), named};
}

std::string NamespaceNames::name(const std::string& hash) const {
  auto it = names_.find(hash);
  return it == names_.end() ? std::string() : it->second;
}

}  // namespace kk::wmi
