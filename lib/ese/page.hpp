// ESE database page: header (PGHDR, 40 bytes; +40 bytes PGHDR2 for large pages),
// values, and the tag array at the end of the page that locates each value.
// Private to lib/ese.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/byte_reader.hpp"
#include "ese/ese.hpp"

namespace kk::ese {

// PGHDR fFlags.
inline constexpr std::uint32_t kPageRoot = 0x1;
inline constexpr std::uint32_t kPageLeaf = 0x2;
inline constexpr std::uint32_t kPageParentOfLeaf = 0x4;
inline constexpr std::uint32_t kPageEmpty = 0x8;
inline constexpr std::uint32_t kPageSpaceTree = 0x20;
inline constexpr std::uint32_t kPageIndex = 0x40;
inline constexpr std::uint32_t kPageLongValue = 0x80;

// TAG flags (small pages: the offset's top 3 bits; large pages: the value's first word).
inline constexpr std::uint16_t kTagVersion = 0x1;
inline constexpr std::uint16_t kTagDeleted = 0x2;
inline constexpr std::uint16_t kTagCompressedKey = 0x4;  // key shares a prefix with tag 0

// One node (page value after tag 0): its key split as prefix length + suffix, and data.
struct Node {
  std::uint16_t flags = 0;
  std::uint16_t prefix_size = 0;  // bytes of the page's common key (tag 0) that start the key
  Bytes key_suffix;
  Bytes data;
  std::uint64_t offset = 0;  // file offset of the value
};

class Page {
 public:
  // The page NUMBER of DB_FILE (page 1 is the first after the two header pages).
  // valid() is false when the page lies outside the file.
  Page(Bytes file, const FileHeader& h, std::uint32_t number);
  bool valid() const { return valid_; }
  std::uint32_t number() const { return number_; }
  std::uint64_t file_offset() const { return file_offset_; }
  std::uint32_t objid() const { return objid_; }
  std::uint32_t flags() const { return flags_; }
  std::uint32_t next_page() const { return next_; }
  bool leaf() const { return flags_ & kPageLeaf; }
  bool root() const { return flags_ & kPageRoot; }
  // Tags in the page, tag 0 included.
  std::uint32_t tag_count() const { return tag_count_; }
  // The page's common key (tag 0) for non-root pages; empty for root pages.
  Bytes common_key() const;
  // Tag I (1 ≤ I < tag_count()) as a node; nullopt with *why set when it does not fit.
  std::optional<Node> node(std::uint32_t i, std::string* why) const;

 private:
  std::optional<Bytes> tag_value(std::uint32_t i, std::uint16_t* flags, std::string* why) const;
  ByteReader page_;
  bool large_ = false;
  bool valid_ = false;
  std::uint32_t number_ = 0;
  std::uint64_t file_offset_ = 0;
  std::uint32_t header_size_ = 40;
  std::uint32_t objid_ = 0, flags_ = 0, next_ = 0;
  std::uint32_t tag_count_ = 0;
};

// The full key of NODE on PAGE: the common-key prefix followed by the suffix
// (a prefix longer than the common key is padded with zeros, as ESE does).
std::string node_key(const Page& page, const Node& node);

}  // namespace kk::ese
