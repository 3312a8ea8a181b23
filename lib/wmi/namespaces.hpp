// Namespace names of repository objects. INDEX.BTR's instance keys say which namespace
// holds each instance, but only as a hash of the upper-case full name (SHA-256, MD5 on
// XP, like class names). Names are found by hashing candidates: ROOT, then each
// __NAMESPACE instance's Name joined to its parent's name (the instance lives in the
// parent namespace and its key hash is the hash of its Name), walking down from ROOT;
// then well-known names, for namespaces whose __NAMESPACE instance could not be read.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "wmi/index_btr.hpp"

namespace kk::wmi {

class NamespaceNames {
 public:
  NamespaceNames(std::vector<InstanceKey> keys, bool xp);

  // The key of the object at (logical PAGE, RECORD_ID, SIZE), or null. PAGE may be
  // kNoPage (a carved object): the record id and size must then name one namespace.
  const InstanceKey* key_of(std::uint32_t page, std::uint32_t record_id, std::uint32_t size) const;

  // Names the namespaces. NAME_OF gives the Name of the __NAMESPACE instance KEY points to
  // ("" when it cannot be read).
  void resolve(const std::function<std::string(const InstanceKey&)>& name_of);

  // The name of the namespace with HASH, or "" when none of the candidates hashes to it.
  std::string name(const std::string& hash) const;
  std::size_t named() const { return names_.size(); }
  // Distinct namespaces the instance keys are in, and how many of them have a name.
  std::pair<std::size_t, std::size_t> coverage() const;

 private:
  bool xp_;
  std::vector<InstanceKey> keys_;
  std::multimap<std::uint32_t, std::size_t> by_record_;  // record id → index in keys_
  std::map<std::string, std::string> names_;             // hash → name
};

}  // namespace kk::wmi
