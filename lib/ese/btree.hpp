// Walking an ESE B+-tree from its root page to its leaves, in key order.
// Private to lib/ese.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "ese/ese.hpp"
#include "ese/page.hpp"

namespace kk::ese {

using IssueSink = std::function<void(std::uint64_t offset, std::string message)>;
// Returns false when the node is not a record of the tree (counted as damage).
using LeafVisitor = std::function<bool(const Page& page, const Node& node)>;

// Visits every leaf node of the tree of object OBJID rooted at page ROOT (nodes
// flagged deleted are counted, not visited). A page that is outside the file, of
// another object, seen twice (a cycle) or deeper than ESE ever builds is skipped
// with an issue; its siblings are still read. Values of a page that cannot be read
// are skipped one by one and summed up in one issue per page.
WalkStats walk_tree(Bytes file, const FileHeader& header, std::uint32_t root, std::uint32_t objid,
                    const LeafVisitor& visit, const IssueSink& issue);

}  // namespace kk::ese
