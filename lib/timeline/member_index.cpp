#include "timeline/member_index.hpp"

#include <cstring>

namespace kk::timeline {

namespace {
// Keys are a few bytes of ASCII: their length and first and last (up to) 8 bytes, mixed.
std::uint32_t hash_key(std::string_view k) {
  std::uint64_t a = 0, b = 0;
  if (k.size() >= 8) {
    std::memcpy(&a, k.data(), 8);
    std::memcpy(&b, k.data() + k.size() - 8, 8);
  } else {
    for (char c : k) a = (a << 8) | static_cast<unsigned char>(c);
  }
  const std::uint64_t h = (a * 0x9E3779B97F4A7C15ull) ^ (b * 0xC2B2AE3D27D4EB4Full) ^ k.size();
  return static_cast<std::uint32_t>(h >> 32) ^ static_cast<std::uint32_t>(h);
}
}  // namespace

const MemberIndex*& MemberIndex::current() {
  thread_local const MemberIndex* index = nullptr;
  return index;
}

bool MemberIndex::build(simdjson::dom::element obj) {
  indexed_ = false;
  simdjson::dom::object o;
  if (obj.get(o) != simdjson::SUCCESS || o.size() < kMinMembers || o.size() > kMaxMembers)
    return false;
  if (++generation_ == 0) {  // wrapped: forget every slot once
    slots_.fill(Slot{});
    generation_ = 1;
  }
  for (auto [k, v] : o) {
    const std::uint32_t h = hash_key(k);
    std::size_t i = h % kSlots;
    bool seen = false;
    for (; slots_[i].generation == generation_; i = (i + 1) % kSlots)
      if (slots_[i].hash == h && slots_[i].key == k) {
        seen = true;  // a repeated key: the first one is what a lookup finds
        break;
      }
    if (!seen) slots_[i] = Slot{generation_, h, k, v};
  }
  std::memcpy(object_, &obj, sizeof obj);
  indexed_ = true;
  return true;
}

bool MemberIndex::covers(simdjson::dom::element obj) const {
  return indexed_ && std::memcmp(object_, &obj, sizeof obj) == 0;
}

std::optional<simdjson::dom::element> MemberIndex::find(std::string_view key) const {
  const std::uint32_t h = hash_key(key);
  for (std::size_t i = h % kSlots; slots_[i].generation == generation_; i = (i + 1) % kSlots)
    if (slots_[i].hash == h && slots_[i].key == key) return slots_[i].value;
  return std::nullopt;
}

}  // namespace kk::timeline
