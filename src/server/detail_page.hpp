#pragma once
// Pagination shared by every List* operation: items carry a sort key; the page token holds the key of
// the last item returned, so pages stay correct while items are added or removed between calls.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sfn::server::detail {

using Keyed = std::pair<std::string, nlohmann::json>;

/// Sorts `items` by key (descending when asked), applies `nextToken`/`maxResults` of `request`
/// (0 or absent = 100) and returns `{member: [...], "nextToken"?}`.
/// \throws ApiError(InvalidToken) for a token not issued for `scope`.
[[nodiscard]] nlohmann::json paginate(std::vector<Keyed> items, bool descending, const nlohmann::json& request,
                                      std::string_view scope, const char* member);

/// A zero-padded decimal key that sorts like the number.
[[nodiscard]] std::string number_key(std::int64_t n);

}  // namespace sfn::server::detail
