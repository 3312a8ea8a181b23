// A record's members found by hashing their keys.
//
// simdjson finds an object's key by walking its members in order. A mapper asks one
// record for a dozen keys or more (an EVTX record: artifact, time, record_id, offset,
// event_id, provider, channel, level, data, eight system members, computer…), many near
// the end or absent, and those walks were 15 % of mapping's instructions. RecordMapper
// indexes each record once, one walk with its keys hashed into a small open-addressed
// table, and member() answers for that object from the table while it is being mapped.
#pragma once

#include <simdjson.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>

namespace kk::timeline {

class MemberIndex {
 public:
  // Objects outside these sizes are not indexed: a lookup in a small one walks a few
  // members (a USN record, a timeline line), and a table for it would cost more.
  static constexpr std::size_t kMinMembers = 16, kMaxMembers = 64;

  // Indexes OBJ; false (nothing indexed) when it is not an object of kMinMembers to
  // kMaxMembers members.
  bool build(simdjson::dom::element obj);
  void clear() { indexed_ = false; }
  // Whether OBJ is the object indexed: the same place in the same document. A
  // simdjson element is that place and nothing else (a document and a tape index), so
  // its bytes are compared: cheaper than reading the object to tell.
  bool covers(simdjson::dom::element obj) const;
  // OBJ's first member named KEY, as simdjson's lookup finds it; nullopt when it has none.
  std::optional<simdjson::dom::element> find(std::string_view key) const;

  // The index member() consults on this thread; RecordMapper sets it while it maps.
  static const MemberIndex*& current();

 private:
  static constexpr std::size_t kSlots = 2 * kMaxMembers;  // half full at most
  struct Slot {
    std::uint32_t generation = 0;  // the slot is in use when it is the index's
    std::uint32_t hash = 0;
    std::string_view key;
    simdjson::dom::element value;
  };
  std::array<Slot, kSlots> slots_{};
  std::uint32_t generation_ = 0;
  static_assert(std::is_trivially_copyable_v<simdjson::dom::element>);
  alignas(simdjson::dom::element) unsigned char object_[sizeof(simdjson::dom::element)]{};
  bool indexed_ = false;
};

// Sets (and on leaving, clears) the current index of this thread.
class CurrentMemberIndex {
 public:
  explicit CurrentMemberIndex(const MemberIndex* index) { MemberIndex::current() = index; }
  ~CurrentMemberIndex() { MemberIndex::current() = nullptr; }
  CurrentMemberIndex(const CurrentMemberIndex&) = delete;
  CurrentMemberIndex& operator=(const CurrentMemberIndex&) = delete;
};

}  // namespace kk::timeline
