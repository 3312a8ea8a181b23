// INDEX.BTR: the repository's B-tree of keys, 8 KiB pages mapped like OBJECTS.DATA's (the
// second map of the MAPPING file). An active page (signature 0xACCC) holds its record
// count, child pointers, then key numbers into a table of string lists and a string table
// of NUL-terminated ASCII parts, as the flare-wmi / dissect.cim documentation describes
// it. A key is a path of parts, e.g. for an instance
//   NS_<namespace hash>\CI_<class hash>\IL_<key hash>.<page>.<record id>.<size>
// where the numbers locate the object in OBJECTS.DATA (logical page, record id, bytes).
// The namespace of an instance is only known from here: OBJECTS.DATA does not say it.
// Every live page is read (the map says which); the tree order is not needed for that.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "wmi/mapping.hpp"

namespace kk::wmi {

// One instance key: NS_<ns_hash>\CI_<class_hash>\IL_<key_hash>.<page>.<record_id>.<size>.
struct InstanceKey {
  std::string ns_hash, class_hash, key_hash;  // upper-case hex digits
  std::uint32_t page = 0, record_id = 0, size = 0;
};

// The keys of one index page, each as its parts; nullopt when PAGE is not an intact
// active index page.
std::optional<std::vector<std::vector<std::string>>> read_index_page(
    std::span<const std::uint8_t> page);

// PARTS as an instance key, or nullopt when it is another kind of key (class definition,
// reference, …) or malformed.
std::optional<InstanceKey> instance_key(const std::vector<std::string>& parts);

struct IndexKeys {
  std::vector<InstanceKey> instances;
  std::uint64_t pages = 0;       // 8 KiB pages in the file
  std::uint64_t pages_read = 0;  // active index pages whose keys were read
  std::uint64_t bad_pages = 0;   // pages the map references that hold no intact index page
  std::uint64_t keys = 0;        // keys of every kind
};

// The instance keys of INDEX.BTR's live pages (MAP may be null: every page is read then,
// stale ones included).
IndexKeys read_index(std::span<const std::uint8_t> file, const PageMap* map);

}  // namespace kk::wmi
