// Text from evidence shown to a person: control characters made visible.
//
// Entry names, file names and record text are the attacker's: ESC, BEL, CR or LF written raw
// to a terminal can retitle or clear it, or forge a whole line ("triage: all hashes match
// ..."; issue #22). Diagnostics on stderr, usage errors and notice.md show such characters
// as escapes instead: "\x1b", "\r", "\n", "\t", and C1 controls and the bidirectional
// overrides as "\u009b" / "\u202e". Everything else (UTF-8 text, backslashes of Windows
// paths) is kept as it is.
#pragma once

#include <string>
#include <string_view>

namespace kk {

// Appends S to OUT with every control character escaped (see above). Invalid UTF-8 bytes
// are copied as they are (they are not controls).
void append_printable(std::string& out, std::string_view s);
std::string printable(std::string_view s);

// The length of the control character at the start of S (1 for C0 and DEL, 2 for a UTF-8
// C1 control, 3 for a bidirectional override), or 0 if S starts with none.
std::size_t control_length(std::string_view s);

}  // namespace kk
