// A few string members of a JSON object, read from its head without parsing the rest.
//
// triage counts the timeline's events that are out of range (after the collection, before
// 2000) by artifact and source: 281 k lines on the bench bundle, each a full simdjson parse
// of ~1 KB for two short strings near its start, on the thread that writes the timeline.
// The scan walks the object's top level only as far as the last key asked for, skipping
// strings (and their escapes) and nested values, and gives up, for a real parse, wherever
// it could be wrong.
#pragma once

#include <span>
#include <string_view>

namespace kk {

// Sets VALUES[i] to the string value of the top-level member KEYS[i] of the JSON object
// TEXT (the first such member), as written between its quotes; empty when the member is
// absent, null or not a string. Returns false, VALUES unusable, when it cannot tell without
// a parse: TEXT is not an object, a key or a wanted value holds an escape, or the text is
// not JSON as far as it was read. Nothing after the last wanted member is checked.
bool json_head_strings(std::string_view text, std::span<const std::string_view> keys,
                       std::span<std::string_view> values);

}  // namespace kk
