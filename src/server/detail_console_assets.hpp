#pragma once
// The console's static files (src/server/console/), compiled into the binary by cmake/SfnEmbed.cmake.

#include <string_view>
#include <vector>

namespace sfn::server::detail {

struct Asset {
    std::string_view path;  ///< relative to src/server/console/: "index.html", "app.js"
    std::string_view bytes;
};

/// Every embedded file, sorted by path.
[[nodiscard]] const std::vector<Asset>& console_assets();

}  // namespace sfn::server::detail
