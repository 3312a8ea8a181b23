// Binary XML (BinXML) compiled into a compact node tree.
//
// A template definition is compiled once per chunk (or copied from a per-thread cache
// when every byte it was compiled from is unchanged, binxml.cpp); records instantiate it by
// pairing the cached tree with their substitution values, which stay spans over
// the mapped chunk (zero-copy). See the EVTX format documentation, "Binary XML".
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kk::evtx {

// BinXML value types; see "Value types". Arrays set bit 0x80.
enum ValueType : std::uint8_t {
  kNull = 0x00,
  kString = 0x01,
  kAnsiString = 0x02,
  kInt8 = 0x03,
  kUInt8 = 0x04,
  kInt16 = 0x05,
  kUInt16 = 0x06,
  kInt32 = 0x07,
  kUInt32 = 0x08,
  kInt64 = 0x09,
  kUInt64 = 0x0a,
  kReal32 = 0x0b,
  kReal64 = 0x0c,
  kBool = 0x0d,
  kBinary = 0x0e,
  kGuid = 0x0f,
  kSizeT = 0x10,
  kFileTime = 0x11,
  kSysTime = 0x12,
  kSid = 0x13,
  kHexInt32 = 0x14,
  kHexInt64 = 0x15,
  kEvtHandle = 0x20,
  kBinXml = 0x21,
  kEvtXml = 0x23,
  kArray = 0x80,
};

enum class NodeKind : std::uint8_t {
  kElement,
  kAttribute,
  kText,
  kSubstitution,
  kCharRef,
  kEntityRef,
  kCData,
  kPITarget,
  kPIData,
  kTemplateInstance,
};

// Element and attribute names the record renderer looks for, resolved once at compile time.
enum Tag : std::uint8_t {
  kTagOther,
  kTagEvent,
  kTagSystem,
  kTagProvider,
  kTagEventID,
  kTagLevel,
  kTagTask,
  kTagOpcode,
  kTagKeywords,
  kTagTimeCreated,
  kTagExecution,
  kTagChannel,
  kTagComputer,
  kTagSecurity,
  kTagEventData,
  kTagUserData,
  kTagData,
  kTagName,
  kTagEventSourceName,
  kTagSystemTime,
  kTagProcessID,
  kTagThreadID,
  kTagUserID,
  kTagXmlns,
  kTagEventRecordID,
};

struct Node {
  NodeKind kind = NodeKind::kText;
  std::uint8_t tag = kTagOther;
  std::uint8_t value_type = 0;     // substitution: declared type
  bool optional = false;           // substitution: optional (omitted when its value is null)
  std::uint16_t index = 0;         // substitution: value index; char ref: the character
  bool plain = false;              // str needs no escaping in any Escape mode (no control
                                   // character, no " \ & < >): copied as is
  std::uint32_t str = 0, len = 0;  // UTF-8 name or text in Arena::text
  std::int32_t attrs = -1;         // element: first attribute
  std::int32_t child = -1;         // element: first content node; attribute: first value part
  std::int32_t next = -1;          // next sibling
  std::uint32_t tmpl = 0;          // template instance: index into ChunkContext::templates
  std::uint32_t values_first = 0, values_count = 0;  // template instance: its values
};

// A substitution value: bytes in the chunk, plus for BinXML values the compiled fragment.
struct Value {
  std::uint8_t type = kNull;
  std::uint32_t offset = 0, size = 0;  // chunk-relative
  std::int32_t node = -1;              // kBinXml: first node of the nested fragment
};

struct Arena {
  std::vector<Node> nodes;
  std::vector<Value> values;
  std::string text;
  void clear() {
    nodes.clear();
    values.clear();
    text.clear();
  }
  std::string_view str(const Node& n) const { return {text.data() + n.str, n.len}; }
};

// True when TEXT needs no escaping in any Escape mode (Node::plain).
inline bool plain_text(std::string_view text) {
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == '"' || c == '\\' || c == '&' || c == '<' || c == '>') return false;
  }
  return true;
}

struct Template {
  std::uint32_t offset = 0;  // chunk offset of the definition
  std::int32_t root = -1;    // first node in ChunkContext::templates_arena
  enum State : std::uint8_t { kCompiling, kOk, kBad } state = kCompiling;
};

// Everything compiled from one chunk: template trees (kept for the chunk) and the
// current record's nodes and values (reset per record).
struct ChunkContext {
  std::span<const std::uint8_t> chunk;  // the 64 KiB chunk (shorter for a truncated file)
  Arena templates_arena;
  Arena record_arena;
  std::vector<Template> templates;

  void reset(std::span<const std::uint8_t> c) {
    chunk = c;
    templates_arena.clear();
    record_arena.clear();
    templates.clear();
  }
};

struct CompileError {
  std::uint32_t offset = 0;  // chunk-relative
  std::string message;
};

// Compiles the BinXML fragment at [begin, end) of the chunk into ctx.record_arena.
// Returns the first top-level node (-1 when empty) or sets *err and returns -2.
std::int32_t compile_record(ChunkContext& ctx, std::uint32_t begin, std::uint32_t end,
                            CompileError* err);

}  // namespace kk::evtx
