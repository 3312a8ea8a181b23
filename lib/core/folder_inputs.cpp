#include "core/folder_inputs.hpp"

#include <algorithm>
#include <filesystem>

namespace kk {

std::vector<std::string> expand_folder_inputs(const std::vector<std::string>& inputs,
                                              const std::function<bool(const std::string&)>& wanted,
                                              std::string_view none_found, Diagnostics& diag) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const auto& in : inputs) {
    std::error_code ec;
    if (!fs::is_directory(in, ec)) {
      out.push_back(in);
      continue;
    }
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(
             in, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file(ec)) continue;
      std::string path = it->path().string();
      if (wanted(path)) found.push_back(std::move(path));
    }
    if (ec) diag.warning(in, std::nullopt, "folder not fully read: " + ec.message());
    if (found.empty()) diag.warning(in, std::nullopt, std::string(none_found));
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

}  // namespace kk
