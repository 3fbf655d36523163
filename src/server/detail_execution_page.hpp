#pragma once
// Internal: one page of ListExecutions over the stored execution records of a state machine, shared by the
// listing by stateMachineArn and by mapRunArn (a Map Run's children share their <machine>/<Label> ARN).

#include "server/detail_store.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>

namespace sfn::server::detail {

/// What to list and how.
struct ExecutionPageQuery {
    std::string machine_arn;  ///< the records' state machine (Store::executions_of)
    std::string scope_arn;    ///< the ARN the request named: page tokens are issued for it (and the filters)
    /// Which of the machine's records belong in the listing (default: all).
    std::function<bool(const nlohmann::json& doc)> keep;
    /// One listed record as ListExecutions returns it.
    std::function<nlohmann::json(const nlohmann::json& doc)> item;
};

/// ListExecutions' page for `request` (statusFilter, redriveFilter, maxResults (0 or absent = 100),
/// nextToken): newest first, read from the store a batch at a time from the token's position (the start
/// order `_seq` of the last execution returned) until the page is full. Returns {"executions", "nextToken"?}.
/// \throws ApiError(InvalidToken) for a token not issued for this scope and these filters.
[[nodiscard]] nlohmann::json execution_page(Store& store, const ExecutionPageQuery& query,
                                            const nlohmann::json& request);

}  // namespace sfn::server::detail
