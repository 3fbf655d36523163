#pragma once
// Table-driven request validation from the Step Functions API model (see gen_api_model.py).

#include <nlohmann/json.hpp>

#include <string_view>

namespace sfn::server::detail {

/// The generated model text, in chunks (nullptr-terminated).
extern const char* const api_model_json_parts[];

/// The operations and input shapes of service-2.json.
class ApiModel {
public:
    /// The one instance, parsed on first use.
    static const ApiModel& instance();

    [[nodiscard]] bool has_operation(std::string_view operation) const;

    /// Checks `request` against the operation's input shape: member types (SerializationException),
    /// required members, lengths, ranges and enums (ValidationException, AWS wording, all problems listed).
    /// Null members count as absent. \throws ApiError.
    void validate(std::string_view operation, const nlohmann::json& request) const;

private:
    ApiModel();
    nlohmann::json model_;
};

}  // namespace sfn::server::detail
