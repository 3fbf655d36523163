// ListExecutions paging (detail_execution_page.hpp).
#include "server/detail_execution_page.hpp"

#include "server/detail_names.hpp"
#include "sfn/server/error.hpp"

#include <algorithm>
#include <limits>

namespace sfn::server::detail {

nlohmann::json execution_page(Store& store, const ExecutionPageQuery& query, const nlohmann::json& request) {
    const std::string status = request.value("statusFilter", "");
    const std::string redrive = request.value("redriveFilter", "");
    const std::string scope = "ListExecutions:" + query.scope_arn + ":" + status + ":" + redrive;
    std::int64_t before = std::numeric_limits<std::int64_t>::max();
    if (auto token = request.find("nextToken"); token != request.end()) {
        const auto& text = token->get_ref<const std::string&>();
        const auto cursor = decode_token(scope, text);
        if (!cursor) throw ApiError("InvalidToken", "Invalid Token: '" + text + "'");
        before = std::stoll(*cursor);
    }
    std::size_t limit = request.value("maxResults", 0);
    if (limit == 0) limit = 100;
    const std::size_t batch = std::min<std::size_t>(limit + 1, 1000);
    nlohmann::json page = nlohmann::json::array();
    bool more = false;
    std::int64_t last_seq = 0;
    while (!more) {
        const auto docs = store.executions_of(query.machine_arn, before, batch, status);
        for (const auto& doc : docs) {
            before = doc["_seq"];
            if (query.keep && !query.keep(doc)) continue;
            const bool redriven = doc.value("redriveCount", 0) > 0;
            if ((redrive == "REDRIVEN" && !redriven) || (redrive == "NOT_REDRIVEN" && redriven)) continue;
            if (page.size() == limit) {
                more = true;
                break;
            }
            page.push_back(query.item(doc));
            last_seq = before;
        }
        if (docs.size() < batch) break;
    }
    nlohmann::json out = {{"executions", std::move(page)}};
    if (more) out["nextToken"] = encode_token(scope, std::to_string(last_seq));
    return out;
}

}  // namespace sfn::server::detail
