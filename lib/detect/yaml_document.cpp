#include "detect/yaml_document.hpp"

#include <yaml-cpp/anchor.h>
#include <yaml-cpp/eventhandler.h>

#include <optional>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

namespace kk::detect {

namespace {

struct LimitExceeded {
  std::string what;
};

// Builds the nodes of one document from the parser's events (yaml-cpp's own builder is
// not in its public headers). Aliases share the anchored node; an alias to a node still
// being read (a cycle) is refused. Nodes are never assigned to: YAML::Node's operator=
// rewrites the node it refers to (an earlier map key, say), so slots are emplaced.
class DocumentBuilder : public YAML::EventHandler {
 public:
  explicit DocumentBuilder(const YamlLimits& limits) : limits_(limits) {}

  YAML::Node root() const { return root_ ? *root_ : YAML::Node(); }
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t anchor) override {
    finish(YAML::Node(YAML::NodeType::Null), anchor);
  }
  void OnAlias(const YAML::Mark&, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) throw LimitExceeded{"alias to a node that is not complete"};
    count();
    attach(it->second);
  }
  void OnScalar(const YAML::Mark&, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    YAML::Node n(value);
    n.SetTag(tag);
    finish(n, anchor);
  }
  void OnSequenceStart(const YAML::Mark&, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(YAML::NodeType::Sequence, tag, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark&, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(YAML::NodeType::Map, tag, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Open {
    YAML::Node node;
    YAML::anchor_t anchor = YAML::NullAnchor;
    std::optional<YAML::Node> key;  // a map's key waiting for its value
  };

  void count() {
    if (++nodes_ > limits_.max_nodes)
      throw LimitExceeded{"more than " + std::to_string(limits_.max_nodes) + " YAML nodes"};
  }
  void finish(const YAML::Node& n, YAML::anchor_t anchor) {
    count();
    remember(anchor, n);
    attach(n);
  }
  void attach(const YAML::Node& n) {
    if (stack_.empty()) {
      root_.emplace(n);
      return;
    }
    Open& top = stack_.back();
    if (top.node.IsSequence()) {
      top.node.push_back(n);
    } else if (!top.key) {
      top.key.emplace(n);
    } else {
      top.node.force_insert(*top.key, n);
      top.key.reset();
    }
  }
  void open(YAML::NodeType::value type, const std::string& tag, YAML::anchor_t anchor) {
    if (stack_.size() >= limits_.max_depth)
      throw LimitExceeded{"YAML nested more than " + std::to_string(limits_.max_depth) +
                          " levels deep"};
    count();
    stack_.push_back(Open{YAML::Node(type), anchor, std::nullopt});
    stack_.back().node.SetTag(tag);
  }
  void close() {
    if (stack_.empty()) return;
    YAML::Node n = stack_.back().node;
    YAML::anchor_t anchor = stack_.back().anchor;
    stack_.pop_back();
    remember(anchor, n);
    attach(n);
  }
  void remember(YAML::anchor_t anchor, const YAML::Node& n) {
    if (anchor == YAML::NullAnchor) return;
    anchors_.erase(anchor);
    anchors_.emplace(anchor, n);
  }

  const YamlLimits& limits_;
  std::optional<YAML::Node> root_;
  std::size_t nodes_ = 0;
  std::vector<Open> stack_;
  std::unordered_map<YAML::anchor_t, YAML::Node> anchors_;
};

}  // namespace

Result<YamlDocument> load_yaml_document(std::string_view text, const YamlLimits& limits) {
  if (text.size() > limits.max_bytes)
    return Result<YamlDocument>::fail("larger than " + std::to_string(limits.max_bytes >> 20) +
                                      " MiB");
  std::istringstream in{std::string(text)};
  YAML::Parser parser(in);
  YamlDocument doc;
  try {
    DocumentBuilder first(limits);
    if (!parser.HandleNextDocument(first)) return doc;
    doc.root = first.root();
    // Only whether a second document exists matters: its nodes count against the limits
    // too, and no third is ever asked for.
    DocumentBuilder second(limits);
    doc.more = parser.HandleNextDocument(second);
  } catch (const LimitExceeded& e) {
    return Result<YamlDocument>::fail(e.what);
  }
  return doc;
}

}  // namespace kk::detect
