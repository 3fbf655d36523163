#include "server/detail_page.hpp"

#include "server/detail_names.hpp"
#include "sfn/server/error.hpp"

#include <algorithm>
#include <cstdio>

namespace sfn::server::detail {

nlohmann::json paginate(std::vector<Keyed> items, bool descending, const nlohmann::json& request,
                        std::string_view scope, const char* member) {
    std::sort(items.begin(), items.end(), [descending](const Keyed& a, const Keyed& b) {
        return descending ? a.first > b.first : a.first < b.first;
    });
    auto begin = items.begin();
    if (auto token = request.find("nextToken"); token != request.end()) {
        const auto& text = token->get_ref<const std::string&>();
        const auto cursor = decode_token(scope, text);
        if (!cursor) throw ApiError("InvalidToken", "Invalid Token: '" + text + "'");
        begin = std::find_if(items.begin(), items.end(), [&](const Keyed& k) {
            return descending ? k.first < *cursor : k.first > *cursor;
        });
    }
    std::size_t limit = request.value("maxResults", 0);
    if (limit == 0) limit = 100;
    nlohmann::json page = nlohmann::json::array();
    auto it = begin;
    for (; it != items.end() && page.size() < limit; ++it) page.push_back(std::move(it->second));
    nlohmann::json out = {{member, std::move(page)}};
    if (it != items.end()) out["nextToken"] = encode_token(scope, std::prev(it)->first);
    return out;
}

std::string number_key(std::int64_t n) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%020lld", static_cast<long long>(n));
    return buffer;
}

}  // namespace sfn::server::detail
