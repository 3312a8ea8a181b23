#include "detect/yaml_document.hpp"

#include <yaml.h>

#include <unordered_map>

namespace kk::detect {

const YamlNode& YamlNode::undefined() {
  static const YamlNode none;
  return none;
}

const YamlNode& YamlNode::operator[](std::string_view key) const {
  for (const auto& [k, v] : entries)
    if (k->is_scalar() && k->text == key) return *v;
  return undefined();
}

const YamlNode& YamlDocument::root() const {
  static const YamlNode null{YamlNode::Kind::kNull, {}, {}, {}};
  return root_ ? *root_ : null;
}

// Builds the nodes of one document from libyaml's events, counting and capping them.
class YamlReader {
 public:
  YamlReader(std::string_view text, const YamlLimits& limits) : limits_(limits) {
    yaml_parser_initialize(&parser_);
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
  }
  ~YamlReader() { yaml_parser_delete(&parser_); }
  YamlReader(const YamlReader&) = delete;
  YamlReader& operator=(const YamlReader&) = delete;

  Result<YamlDocument> read() {
    YamlDocument doc;
    doc_ = &doc;
    int documents = 0;
    for (;;) {
      Event e(parser_);
      if (!e.ok) return syntax_error();
      switch (e.ev.type) {
        case YAML_DOCUMENT_START_EVENT:
          // Only whether a second document exists matters: it is read (its nodes count
          // against the limits too, its syntax errors are errors) but not kept, and no third
          // is ever asked for.
          if (++documents == 2) {
            doc.more = true;
            keep_ = false;
            nodes_ = 0;
          }
          break;
        case YAML_DOCUMENT_END_EVENT:
          if (documents == 2) return doc;
          break;
        case YAML_STREAM_END_EVENT:
        case YAML_NO_EVENT:  // only after the end (never seen first): not a loop for ever
          return doc;
        case YAML_ALIAS_EVENT:
          if (!count()) return limit_error();
          if (keep_) {
            auto it = anchors_.find(name(e.ev.data.alias.anchor));
            if (it == anchors_.end())
              return Result<YamlDocument>::fail("alias to a node that is not complete");
            attach(it->second);
          }
          break;
        case YAML_SCALAR_EVENT: {
          if (!count()) return limit_error();
          if (!keep_) break;
          const auto& s = e.ev.data.scalar;
          const std::string_view value(reinterpret_cast<const char*>(s.value), s.length);
          YamlNode& n = doc.nodes_.emplace_back();
          if (s.style == YAML_PLAIN_SCALAR_STYLE && !s.tag && is_null_text(value)) {
            n.kind = YamlNode::Kind::kNull;
          } else {
            n.kind = YamlNode::Kind::kScalar;
            n.text.assign(value);
          }
          remember(s.anchor, n);
          attach(&n);
          break;
        }
        case YAML_SEQUENCE_START_EVENT:
          if (!open(YamlNode::Kind::kSequence, e.ev.data.sequence_start.anchor))
            return limit_error();
          break;
        case YAML_MAPPING_START_EVENT:
          if (!open(YamlNode::Kind::kMap, e.ev.data.mapping_start.anchor)) return limit_error();
          break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
          close();
          break;
        default:  // stream start
          break;
      }
    }
  }

 private:
  // One parser event, freed when it goes out of scope.
  struct Event {
    explicit Event(yaml_parser_t& p) : ok(yaml_parser_parse(&p, &ev) != 0) {}
    ~Event() {
      if (ok) yaml_event_delete(&ev);
    }
    Event(const Event&) = delete;
    Event& operator=(const Event&) = delete;
    yaml_event_t ev{};
    bool ok;
  };
  struct Open {
    YamlNode* node;
    std::string anchor;
    const YamlNode* key = nullptr;  // a map's key waiting for its value
  };

  static bool is_null_text(std::string_view s) {
    return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
  }
  static std::string name(const yaml_char_t* anchor) {
    return anchor ? std::string(reinterpret_cast<const char*>(anchor)) : std::string();
  }

  bool count() {
    if (++nodes_ <= limits_.max_nodes) return true;
    limit_ = "more than " + std::to_string(limits_.max_nodes) + " YAML nodes";
    return false;
  }
  bool open(YamlNode::Kind kind, const yaml_char_t* anchor) {
    if (depth_ >= limits_.max_depth) {
      limit_ = "YAML nested more than " + std::to_string(limits_.max_depth) + " levels deep";
      return false;
    }
    if (!count()) return false;
    ++depth_;
    if (!keep_) return true;
    YamlNode& n = doc_->nodes_.emplace_back();
    n.kind = kind;
    std::string a = name(anchor);
    if (!a.empty()) anchors_.erase(a);  // an alias inside it is to a node not complete
    stack_.push_back(Open{&n, std::move(a)});
    return true;
  }
  void close() {
    if (depth_ > 0) --depth_;
    if (!keep_ || stack_.empty()) return;
    Open top = std::move(stack_.back());
    stack_.pop_back();
    if (!top.anchor.empty()) anchors_[top.anchor] = top.node;
    attach(top.node);
  }
  void remember(const yaml_char_t* anchor, const YamlNode& n) {
    if (anchor) anchors_[name(anchor)] = &n;
  }
  void attach(const YamlNode* n) {
    if (stack_.empty()) {
      if (!doc_->root_) doc_->root_ = n;
      return;
    }
    Open& top = stack_.back();
    if (top.node->is_sequence()) {
      top.node->items.push_back(n);
    } else if (!top.key) {
      top.key = n;
    } else {
      top.node->entries.emplace_back(top.key, n);
      top.key = nullptr;
    }
  }

  Result<YamlDocument> syntax_error() const {
    std::string msg = "YAML: line " + std::to_string(parser_.problem_mark.line + 1) + ", column " +
                      std::to_string(parser_.problem_mark.column + 1) + ": " +
                      (parser_.problem ? parser_.problem : "syntax error");
    if (parser_.context) msg += std::string(" ") + parser_.context;
    return Result<YamlDocument>::fail(std::move(msg), parser_.problem_mark.index);
  }
  Result<YamlDocument> limit_error() const { return Result<YamlDocument>::fail(limit_); }

  const YamlLimits& limits_;
  yaml_parser_t parser_{};
  YamlDocument* doc_ = nullptr;
  bool keep_ = true;  // false while the second document is read
  std::size_t nodes_ = 0, depth_ = 0;
  std::string limit_;
  std::vector<Open> stack_;
  std::unordered_map<std::string, const YamlNode*> anchors_;
};

Result<YamlDocument> load_yaml_document(std::string_view text, const YamlLimits& limits) {
  if (text.size() > limits.max_bytes)
    return Result<YamlDocument>::fail("larger than " + std::to_string(limits.max_bytes >> 20) +
                                      " MiB");
  return YamlReader(text, limits).read();
}

}  // namespace kk::detect
