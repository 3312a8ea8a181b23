// ESE page header, tags and nodes; see page.hpp.
#include "ese/page.hpp"

namespace kk::ese {

namespace {
// PGHDR: checksum(8) dbtimeDirtied(8) pgnoPrev(4) pgnoNext(4) objidFDP(4) cbFree(2)
// cbUncommittedFree(2) ibMicFree(2) itagState(2) fFlags(4) = 40 bytes; large pages
// add PGHDR2 (3 more checksums, pgno, reserved) = 80 bytes.
constexpr std::uint32_t kSmallHeader = 40;
constexpr std::uint32_t kLargeHeader = 80;
}  // namespace

Page::Page(Bytes file, const FileHeader& h, std::uint32_t number) : number_(number) {
  large_ = h.large_pages();
  header_size_ = large_ ? kLargeHeader : kSmallHeader;
  file_offset_ = (static_cast<std::uint64_t>(number) + 1) * h.page_size;
  ByteReader f(file);
  auto bytes = f.span(file_offset_, h.page_size);
  if (!bytes || h.page_size < header_size_ + 4) return;
  page_ = ByteReader(*bytes);
  next_ = *page_.u32(20);
  objid_ = *page_.u32(24);
  flags_ = *page_.u32(36);
  // itagState: newer engines keep a reserved-tag count in the top 4 bits.
  tag_count_ = *page_.u16(34) & 0x0FFF;
  const std::uint32_t max_tags = (h.page_size - header_size_) / 4;
  if (tag_count_ > max_tags) tag_count_ = max_tags;
  valid_ = true;
}

std::optional<Bytes> Page::tag_value(std::uint32_t i, std::uint16_t* flags,
                                     std::string* why) const {
  // Tags grow downwards from the end of the page: tag 0 is the last 4 bytes.
  const std::size_t tag_off = page_.size() - 4 * (static_cast<std::size_t>(i) + 1);
  const std::uint16_t cb = *page_.u16(tag_off);
  const std::uint16_t ib = *page_.u16(tag_off + 2);
  const std::uint16_t mask = large_ ? 0x7FFF : 0x1FFF;
  const std::size_t size = cb & mask;
  const std::size_t off = header_size_ + (ib & mask);
  // Values live between the header and the tag array.
  const std::size_t values_end = page_.size() - 4 * static_cast<std::size_t>(tag_count_);
  if (off > values_end || size > values_end - off) {
    if (why) *why = "tag " + std::to_string(i) + " points outside the page's value area";
    return std::nullopt;
  }
  Bytes v = page_.bytes().subspan(off, size);
  if (!large_) {
    *flags = static_cast<std::uint16_t>(ib >> 13);
  } else {
    *flags = v.size() >= 2 ? static_cast<std::uint16_t>(v[1] >> 5) : 0;
  }
  return v;
}

Bytes Page::common_key() const {
  if (root() || tag_count_ == 0) return {};
  std::uint16_t f = 0;
  auto v = tag_value(0, &f, nullptr);
  return v ? *v : Bytes{};
}

std::optional<Node> Page::node(std::uint32_t i, std::string* why) const {
  Node n;
  auto v = tag_value(i, &n.flags, why);
  if (!v) return std::nullopt;
  n.offset = file_offset_ + static_cast<std::uint64_t>(v->data() - page_.data());
  ByteCursor c{ByteReader(*v)};
  if (n.flags & kTagCompressedKey) n.prefix_size = c.u16() & 0x1FFF;
  const std::uint16_t suffix = c.u16() & 0x1FFF;
  n.key_suffix = c.take(suffix);
  if (!c.ok()) {
    if (why) *why = "node " + std::to_string(i) + ": key longer than its value";
    return std::nullopt;
  }
  n.data = v->subspan(c.pos());
  return n;
}

std::string node_key(const Page& page, const Node& node) {
  std::string key;
  Bytes common = page.common_key();
  for (std::size_t i = 0; i < node.prefix_size; ++i)
    key.push_back(static_cast<char>(i < common.size() ? common[i] : 0));
  key.append(reinterpret_cast<const char*>(node.key_suffix.data()), node.key_suffix.size());
  return key;
}

}  // namespace kk::ese
