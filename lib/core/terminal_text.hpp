// Text laid out for a terminal: how many columns a string takes (East Asian wide and
// fullwidth characters — Japanese — take two), cutting a string to a column budget, the
// terminal's width, and whether to colour (a terminal only; NO_COLOR honoured).
// Used by detect --format table; any human table on stdout should use the same.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kk {

// Columns C32 takes on a terminal: 0 (combining marks, zero-width), 1 or 2 (East Asian
// Wide/Fullwidth, emoji).
int code_point_width(char32_t c32);
// Columns the UTF-8 text S takes (an invalid byte counts as one column).
std::size_t display_width(std::string_view s);
// S cut to at most WIDTH columns, ending in "…" when something was cut; never splits a
// character.
std::string fit_columns(std::string_view s, std::size_t width);
// S cut to WIDTH columns and padded with spaces to exactly WIDTH.
std::string pad_columns(std::string_view s, std::size_t width);

// The width of the terminal on descriptor FD; else $COLUMNS; else 0 (unknown).
std::size_t terminal_columns(int fd);

enum class ColorMode { kAuto, kAlways, kNever };
// --color auto|always|never; false on anything else.
bool parse_color_mode(std::string_view text, ColorMode& mode);
// Whether to write ANSI colours to FD: always/never as said; auto = FD is a terminal, TERM is
// not "dumb", and NO_COLOR (https://no-color.org) is unset or empty.
bool use_color(ColorMode mode, int fd);

}  // namespace kk
