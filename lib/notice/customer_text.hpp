// Evidence text made fit for a customer's eyes: Windows message-parameter codes ("%%1833")
// resolved for the common ones and dropped otherwise, Defender's "file:_" resource
// prefixes removed, every URL and address defanged, and text that was decoded with the
// wrong code page ("â€œ") replaced by a label instead of pasted.
#pragma once

#include <string>
#include <string_view>

#include "notice/catalog.hpp"

namespace kk::notice {

// The customer's reading of RAW (a summary, a command line, a path from a record).
std::string customer_text(std::string_view raw, const Catalog& cat);

// True when TEXT carries the marks of UTF-8 read as Windows-1252 ("â€œ", "Ã©", "ï»¿").
bool looks_mojibake(std::string_view text);

// Every "scheme://host…" in TEXT defanged ("hxxps://example[.]com/…").
std::string defang_urls(std::string_view text);

}  // namespace kk::notice
