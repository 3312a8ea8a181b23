// Terminal layout: Japanese takes two columns, cuts never split a character, colour only
// where asked or on a terminal without NO_COLOR.
#include <doctest/doctest.h>

#include <cstdlib>

#include "core/terminal_text.hpp"

TEST_CASE("display_width: ASCII 1, kana/kanji/fullwidth 2, combining marks 0") {
  CHECK(kk::display_width("Security.evtx") == 13);
  CHECK(kk::display_width("不審なファイル") == 14);          // 7 characters, all wide
  CHECK(kk::display_width("ＡＢ") == 4);                     // fullwidth Latin
  CHECK(kk::display_width("ｱｲ") == 2);                       // halfwidth katakana stay narrow
  CHECK(kk::display_width("e\xcc\x81") == 1);                // e + combining acute
  CHECK(kk::display_width("C:\\Users\\太郎\\a.exe") == 19);  // 15 narrow + 2 wide
  CHECK(kk::display_width("\xff\xfe") == 2);                 // invalid bytes: one column each
}

TEST_CASE("fit_columns / pad_columns: cut to the budget with an ellipsis, padded exactly") {
  CHECK(kk::fit_columns("abcdef", 6) == "abcdef");
  CHECK(kk::fit_columns("abcdef", 4) == "abc…");
  // "外部アドレス" is 12 columns; 7 leave room for 3 wide characters + "…" (7 columns).
  CHECK(kk::fit_columns("外部アドレス", 7) == "外部ア…");
  CHECK(kk::display_width(kk::fit_columns("外部アドレス", 8)) <= 8);
  CHECK(kk::pad_columns("ログ", 6) == "ログ  ");
  CHECK(kk::display_width(kk::pad_columns("外部アドレスからのログオン", 9)) == 9);
}

TEST_CASE("use_color: never/always as said; auto needs a terminal and no NO_COLOR") {
  CHECK_FALSE(kk::use_color(kk::ColorMode::kNever, 1));
  CHECK(kk::use_color(kk::ColorMode::kAlways, 1));
  // A pipe or a file is no terminal.
  CHECK_FALSE(kk::use_color(kk::ColorMode::kAuto, -1));
  ::setenv("NO_COLOR", "1", 1);
  CHECK_FALSE(kk::use_color(kk::ColorMode::kAuto, -1));
  CHECK(kk::use_color(kk::ColorMode::kAlways, -1));  // an explicit --color always wins
  ::unsetenv("NO_COLOR");
  kk::ColorMode m{};
  CHECK(kk::parse_color_mode("never", m));
  CHECK(m == kk::ColorMode::kNever);
  CHECK_FALSE(kk::parse_color_mode("yes", m));
}
