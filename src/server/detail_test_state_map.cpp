// TestState's Map inspection data: the items a JSONPath Map state would iterate over (ItemsPath or
// stateConfiguration.mapItemReaderData), each after ItemSelector, the batches ItemBatcher makes, and the
// failure tolerance and concurrency it resolves. The engine does not run a mocked Map, so these come from
// the same path and template evaluation the engine uses, applied here.
#include "server/detail_test_state.hpp"

#include "sfn/jsonpath/path.hpp"
#include "sfn/jsonpath/template.hpp"
#include "sfn/server/error.hpp"

#include <sstream>

namespace sfn::server::detail {
namespace {

/// Workflow variables from the request's `variables` object.
class RequestVariables final : public jsonpath::VariableLookup {
public:
    explicit RequestVariables(sfn::Value vars) : vars_(std::move(vars)) {}
    const sfn::Value* lookup(std::string_view name) const override {
        return vars_.is_object() ? vars_.find(name) : nullptr;
    }

private:
    sfn::Value vars_;
};

sfn::Value parsed_member(const json& request, const char* member) {
    return request.contains(member) ? sfn::Value::parse(request[member].get<std::string>()) : sfn::Value();
}

/// A number field or its *Path twin, resolved against the effective input.
std::optional<sfn::Value> number_field(const json& state, const std::string& name, const sfn::Value& input) {
    if (state.contains(name) && state[name].is_number()) return sfn::Value::from_json(state[name]);
    const std::string path_field = name + "Path";
    if (!state.contains(path_field) || !state[path_field].is_string()) return std::nullopt;
    auto selected = jsonpath::Path::parse(state[path_field].get<std::string>()).select(input);
    if (selected && selected->is_number()) return selected;
    return std::nullopt;
}

/// The items of a distributed Map's ItemReader, from the data as its source holds it.
std::optional<sfn::Value> reader_items(const json& state, const std::string& data) {
    const json reader_config = state["ItemReader"].value("ReaderConfig", json::object());
    const std::string type = reader_config.value("InputType", "JSON");
    try {
        if (type == "JSON") {
            auto items = sfn::Value::parse(data);
            if (!items.is_array()) throw ApiError("ValidationException", "mapItemReaderData must hold a JSON array");
            return items;
        }
        if (type == "JSONL") {
            std::vector<sfn::Value> items;
            std::istringstream lines(data);
            for (std::string line; std::getline(lines, line);) {
                if (line.find_first_not_of(" \t\r") != std::string::npos) items.push_back(sfn::Value::parse(line));
            }
            return sfn::Value::array(std::move(items));
        }
    } catch (const sfn::Error& e) {
        throw ApiError("ValidationException", std::string("mapItemReaderData is not valid ") + type + ": " + e.what());
    }
    throw ApiError("ValidationException", "mapItemReaderData is read as JSON or JSONL here; ReaderConfig InputType '" +
                                              type + "' is not supported");
}

/// ItemBatcher: {"BatchInput": ..., "Items": [...]} per MaxItemsPerBatch items (one batch without a limit).
sfn::Value batches(const json& batcher, const std::vector<sfn::Value>& items, const jsonpath::Scope& scope) {
    std::int64_t per_batch = 0;
    if (batcher.contains("MaxItemsPerBatch") && batcher["MaxItemsPerBatch"].is_number_integer())
        per_batch = batcher["MaxItemsPerBatch"].get<std::int64_t>();
    else if (batcher.contains("MaxItemsPerBatchPath") && batcher["MaxItemsPerBatchPath"].is_string()) {
        auto v = jsonpath::Path::parse(batcher["MaxItemsPerBatchPath"].get<std::string>()).select(scope.input());
        if (v && v->is_integer()) per_batch = v->as_int();
    }
    if (per_batch <= 0) per_batch = static_cast<std::int64_t>(std::max<std::size_t>(items.size(), 1));
    std::optional<sfn::Value> batch_input;
    if (batcher.contains("BatchInput")) {
        auto rendered = jsonpath::Template::compile(batcher["BatchInput"]).render(scope);
        if (rendered) batch_input = *rendered;
    }
    std::vector<sfn::Value> out;
    for (std::size_t i = 0; i < items.size(); i += static_cast<std::size_t>(per_batch)) {
        const auto end = std::min(items.size(), i + static_cast<std::size_t>(per_batch));
        std::vector<sfn::Member> batch;
        if (batch_input) batch.emplace_back("BatchInput", *batch_input);
        batch.emplace_back(
            "Items", sfn::Value::array(std::vector<sfn::Value>(items.begin() + static_cast<std::ptrdiff_t>(i),
                                                               items.begin() + static_cast<std::ptrdiff_t>(end))));
        out.push_back(sfn::Value::object(std::move(batch)));
    }
    return sfn::Value::array(std::move(out));
}

}  // namespace

MapInspection map_inspection(const TestSubject& subject, const sfn::Value& state_input, const json& request) {
    MapInspection out;
    const json& state = subject.state;
    // The Map works on its effective input: InputPath applied (null: an empty object).
    sfn::Value input = state_input;
    if (state.contains("InputPath")) {
        if (state["InputPath"].is_null())
            input = sfn::Value::object();
        else if (auto selected = jsonpath::Path::parse(state["InputPath"].get<std::string>()).select(state_input))
            input = *selected;
    }
    if (subject.jsonata()) {
        // JSONata Maps: the literal tolerance fields only (their expressions are evaluated by the engine).
        if (state.contains("ToleratedFailureCount") && state["ToleratedFailureCount"].is_number_integer())
            out.tolerated_count = state["ToleratedFailureCount"].get<std::int64_t>();
        if (state.contains("ToleratedFailurePercentage") && state["ToleratedFailurePercentage"].is_number())
            out.tolerated_percentage = state["ToleratedFailurePercentage"].get<double>();
        if (state.contains("Items") && state["Items"].is_array()) out.item_count = state["Items"].size();
        return out;
    }
    const RequestVariables vars(parsed_member(request, "variables"));
    const sfn::Value request_context = parsed_member(request, "context");
    const jsonpath::Scope scope(input, request_context, &vars);

    std::optional<sfn::Value> items;
    const json config = request.value("stateConfiguration", json::object());
    if (config.contains("mapItemReaderData")) {
        items = reader_items(state, config["mapItemReaderData"].get<std::string>());
    } else if (!state.contains("ItemReader")) {
        const std::string path = state.value("ItemsPath", "$");
        items = jsonpath::Path::parse(path).select(scope);
        if (items) out.data["afterItemsPath"] = items->dump();
    }
    if (items && items->is_array()) {
        out.item_count = items->size();
        const json* selector = state.contains("ItemSelector") ? &state["ItemSelector"]
                               : state.contains("Parameters") ? &state["Parameters"]
                                                              : nullptr;
        std::vector<sfn::Value> selected;
        for (std::size_t i = 0; i < items->size(); ++i) {
            const sfn::Value& item = (*items)[i];
            if (!selector) {
                selected.push_back(item);
                continue;
            }
            // ItemSelector sees the Map's effective input as `$` and the item as `$$.Map.Item.Value`.
            const sfn::Value map_item = sfn::Value::object(
                {{"Item", sfn::Value::object({{"Index", sfn::Value(static_cast<std::int64_t>(i))}, {"Value", item}})}});
            const sfn::Value ctx =
                (request_context.is_object() ? request_context : sfn::Value::object()).with_member("Map", map_item);
            auto rendered = jsonpath::Template::compile(*selector).render(jsonpath::Scope(input, ctx, &vars));
            if (!rendered) break;
            selected.push_back(*rendered);
        }
        if (selected.size() == items->size()) {
            if (selector) out.data["afterItemSelector"] = sfn::Value::array(selected).dump();
            if (state.contains("ItemBatcher"))
                out.data["afterItemBatcher"] = batches(state["ItemBatcher"], selected, scope).dump();
        }
    }
    if (auto count = number_field(state, "ToleratedFailureCount", input); count && count->is_integer()) {
        out.tolerated_count = count->as_int();
        out.data["toleratedFailureCount"] = count->as_int();
    }
    if (auto pct = number_field(state, "ToleratedFailurePercentage", input)) {
        out.tolerated_percentage = pct->as_double();
        out.data["toleratedFailurePercentage"] = pct->as_double();
    }
    if (auto concurrency = number_field(state, "MaxConcurrency", input); concurrency && concurrency->is_integer())
        out.data["maxConcurrency"] = concurrency->as_int();
    return out;
}

bool exceeds_tolerance(const MapInspection& map, std::int64_t failures) {
    // As the engine decides it: within either bound is tolerated.
    if (failures <= 0) return false;
    if (map.tolerated_count && failures <= *map.tolerated_count) return false;
    if (map.tolerated_percentage && map.item_count && *map.item_count > 0 &&
        static_cast<double>(failures) * 100.0 / static_cast<double>(*map.item_count) <= *map.tolerated_percentage)
        return false;
    return true;
}

}  // namespace sfn::server::detail
