#pragma once
// Table-driven request validation from the Step Functions API model (see gen_api_model.py).

#include <nlohmann/json.hpp>

#include <optional>
#include <string_view>

namespace sfn::server::detail {

/// The generated model text, in chunks (nullptr-terminated).
extern const char* const api_model_json_parts[];

/// Whether `s` matches `pattern`, one of the (Java) regular expressions of the model's string shapes;
/// nullopt for a pattern sfn does not know (the validation then does not check it).
[[nodiscard]] std::optional<bool> satisfies_model_pattern(std::string_view pattern, std::string_view s);

/// The operations and input shapes of service-2.json.
class ApiModel {
public:
    /// The one instance, parsed on first use.
    static const ApiModel& instance();

    [[nodiscard]] bool has_operation(std::string_view operation) const;

    /// Checks `request` against the operation's input shape: member types (SerializationException),
    /// required members, lengths, ranges, enums and patterns (ValidationException, AWS wording, all problems listed).
    /// Null members count as absent. \throws ApiError.
    void validate(std::string_view operation, const nlohmann::json& request) const;

private:
    ApiModel();
    nlohmann::json model_;
};

}  // namespace sfn::server::detail
