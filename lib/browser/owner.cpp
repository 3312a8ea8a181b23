// Whose database a file is. CDIR-C (v1.3.x, Web collection) writes
// Web/<Browser>/<user>_<profile>_<file> (Chrome, Edge, Firefox) and
// Web/IE10_Edge/<user>_<file>; a plain copy of a profile keeps
// Users/<user>/AppData/Local/Google/Chrome/User Data/<profile>/History or
// …/Mozilla/Firefox/Profiles/<profile>/places.sqlite.
#include <array>
#include <vector>

#include "browser/browser.hpp"
#include "core/ascii_case.hpp"

namespace kk::browser {

namespace {

std::vector<std::string_view> components(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find_first_of("/\\", start);
    if (end == std::string_view::npos) end = path.size();
    if (end > start) parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

// The database names CDIR-C collects, longest first so "places.sqlite-wal" wins over
// "places.sqlite".
constexpr std::array<std::string_view, 14> kFiles = {"places.sqlite-wal",
                                                     "places.sqlite-shm",
                                                     "cookies.sqlite-wal",
                                                     "cookies.sqlite-shm",
                                                     "downloads.sqlite",
                                                     "places.sqlite",
                                                     "cookies.sqlite",
                                                     "History-journal",
                                                     "WebCacheV01.dat",
                                                     "History-wal",
                                                     "History",
                                                     "V01.log",
                                                     "V01.chk",
                                                     "WebCacheV24.dat"};

// "<user>_<profile>_<file>" → user, profile (the profile is after the last '_': user
// names may hold '_', Chrome profile names ("Profile 1") and Firefox's
// ("x1y2z3.default-release") do not).
void split_cdir_name(std::string_view file, bool with_profile, Owner& o) {
  std::string_view stem;
  for (auto known : kFiles)
    if (file.size() > known.size() + 1 && iends_with(file, known) &&
        file[file.size() - known.size() - 1] == '_') {
      stem = file.substr(0, file.size() - known.size() - 1);
      break;
    }
  if (stem.empty()) {
    // IE10_Edge keeps every file of the WebCache folder: "<user>_<anything>".
    auto us = file.find('_');
    if (!with_profile && us != std::string_view::npos && us > 0) o.user = file.substr(0, us);
    return;
  }
  if (!with_profile) {
    o.user = stem;
    return;
  }
  auto us = stem.rfind('_');
  if (us == std::string_view::npos) {
    o.user = stem;
    return;
  }
  o.user = stem.substr(0, us);
  o.profile = stem.substr(us + 1);
}

}  // namespace

Owner owner_from_path(std::string_view path) {
  Owner o;
  auto parts = components(path);
  if (parts.empty()) return o;
  // CDIR-C: …/Web[_old]/<Browser>/<file>
  if (parts.size() >= 3) {
    std::string_view web = parts[parts.size() - 3];
    if (iequals(web, "Web") || iequals(web, "Web_old")) {
      o.browser = parts[parts.size() - 2];
      split_cdir_name(parts.back(), !iequals(o.browser, "IE10_Edge"), o);
      return o;
    }
  }
  // A copied profile folder.
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    if (iequals(parts[i], "Users") || iequals(parts[i], "Documents and Settings"))
      if (o.user.empty()) o.user = parts[i + 1];
    if (iequals(parts[i], "Chrome")) o.browser = "Chrome";
    if (iequals(parts[i], "Edge")) o.browser = "Edge";
    if (iequals(parts[i], "Firefox")) o.browser = "Firefox";
    if (iequals(parts[i], "Opera Software") || iequals(parts[i], "Opera Stable"))
      o.browser = "Opera";
    if (iequals(parts[i], "User Data") || iequals(parts[i], "Profiles"))
      if (i + 2 < parts.size()) o.profile = parts[i + 1];
  }
  return o;
}

}  // namespace kk::browser
