// Tolerant readers over parser records (simdjson DOM), shared by the mappers.
//
// Parsers may type a value as a number or as text (an EVTX Data element "10" or 10,
// a hex "0x1f4"); these helpers accept every such spelling so a mapper never depends
// on one parser's choice.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.hpp"

namespace kk::timeline {

using simdjson::dom::element;

// The member KEY of OBJ, if OBJ is an object and has it (and it is not null).
std::optional<element> member(element obj, std::string_view key);

// A string member as a view (empty when missing, null or not a string).
std::string_view str(element obj, std::string_view key);

// A scalar member rendered as text: strings as they are, integers in decimal, booleans
// as true/false. Empty when missing, null, an object or an array.
std::string text(element obj, std::string_view key);
std::string scalar_text(element v);

// An integer member: JSON integers, decimal text, or "0x" hex text. nullopt otherwise.
std::optional<std::int64_t> integer(element obj, std::string_view key);
std::optional<std::int64_t> to_integer(element v);
std::optional<std::int64_t> parse_integer_text(std::string_view s);

std::optional<bool> boolean(element obj, std::string_view key);

// A time member: ISO 8601 text as the parsers write it ("…Z"); any offset accepted.
std::optional<UtcMicros> time_member(element obj, std::string_view key);
std::optional<UtcMicros> parse_record_time(std::string_view s);

// The last component of a Windows or POSIX path.
std::string_view base_name(std::string_view path);

// Appends OBJ's members to a details object body ("\"k\":v,…") under PREFIX:
// nested objects are flattened with '.', scalars become strings, arrays of scalars
// arrays of strings, and arrays holding objects their JSON text, so that a details key
// is always a string (or array of strings) whatever record it came from.
void append_details(std::string& body, std::string_view prefix, element obj);
// One details member KEY with scalar or nested VALUE, under the same rules.
void append_detail(std::string& body, std::string_view key, element value);
void append_detail_text(std::string& body, std::string_view key, std::string_view value);

}  // namespace kk::timeline
