// Field-level checks: paths, payload templates, intrinsic calls, JSONata expressions.
#include "asl/detail_reader.hpp"
#include "asl/detail_validate.hpp"

#include "sfn/jsonata/expression.hpp"
#include "sfn/jsonpath/intrinsic.hpp"
#include "sfn/jsonpath/path.hpp"
#include "sfn/jsonpath/template.hpp"

#include <cctype>
#include <regex>

namespace sfn::asl::detail {

std::string field(const std::string& base, std::string_view name) { return child_pointer(base, name); }
std::string index(const std::string& base, std::size_t i) { return base + "/" + std::to_string(i); }

std::string Checker::remember_name(const std::string& name, const std::string& pointer) {
    auto [it, inserted] = names_.emplace(name, pointer);
    return inserted ? std::string{} : it->second;
}

void Checker::path(const std::string& pointer, const model::Path& path, bool reference) {
    auto problem = jsonpath::check_path(path.text, reference ? jsonpath::PathKind::reference_path : jsonpath::PathKind::path);
    if (!problem) return;
    if (reference) error(pointer, code::kReferencePath, "invalid reference path '" + path.text + "': " + *problem);
    else error(pointer, code::kPath, "invalid JSONPath '" + path.text + "': " + *problem);
}

void Checker::nullable_path(const std::string& pointer, const std::optional<model::NullablePath>& path, bool reference) {
    if (!path) return;
    if (const auto* p = std::get_if<model::Path>(&*path)) this->path(pointer, *p, reference);
}

void Checker::payload_template(const std::string& pointer, const model::Json& payload) {
    for (const auto& issue : jsonpath::check_template(payload)) error(pointer + issue.pointer, code::kTemplate, issue.message);
}

namespace {
// Variable names: a letter or underscore, then letters, digits, underscores (AWS: "Variable names
// must begin with a letter or underscore and contain only letters, digits and underscores").
bool is_variable_name(std::string_view name) {
    if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
    for (char c : name) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
    }
    return true;
}
}  // namespace

// Checks that `assign` is an object of variable names; `path_suffix`: a name may end in ".$" (JSONPath).
bool Checker::assigned_names(const std::string& pointer, const model::Json& assign, bool path_suffix) {
    if (!assign.is_object()) {
        error(pointer, code::kTemplate, "Assign must be an object of variable names");
        return false;
    }
    for (const auto& [key, value] : assign.items()) {
        std::string_view name = key;
        if (path_suffix && name.size() > 2 && name.substr(name.size() - 2) == ".$") name.remove_suffix(2);
        if (!is_variable_name(name)) {
            error(field(pointer, key), code::kTemplate,
                  "invalid variable name '" + std::string(name) + "': use letters, digits and underscores, not starting with a digit");
        }
    }
    return true;
}

void Checker::jsonpath_assign(const std::string& pointer, const model::Json& assign) {
    if (assigned_names(pointer, assign, true)) payload_template(pointer, assign);
}

void Checker::jsonata_assign(const std::string& pointer, const model::Json& assign) {
    if (assigned_names(pointer, assign, false)) jsonata_value(pointer, assign);
}

bool is_jsonata_framed(std::string_view text) {
    return text.size() >= 4 && text.substr(0, 2) == "{%" && text.substr(text.size() - 2) == "%}";
}

void Checker::jsonata_expression(const std::string& pointer, const std::string& text) {
    if (!is_jsonata_framed(text)) {
        error(pointer, code::kJsonataFraming, "expected a JSONata expression \"{% ... %}\", got \"" + text + "\"");
        return;
    }
    try {
        (void)jsonata::Expression::compile(std::string_view(text).substr(2, text.size() - 4));
    } catch (const jsonata::Error& e) {
        // A syntax error is a finding about the definition, reported with its location.
        error(pointer, code::kJsonataSyntax, std::string("invalid JSONata expression: ") + e.what());
    }
}

void Checker::jsonata_value(const std::string& pointer, const model::Json& value) {
    if (value.is_string()) {
        const auto& text = value.get_ref<const std::string&>();
        const bool opens = text.rfind("{%", 0) == 0;
        const bool closes = text.size() >= 2 && text.compare(text.size() - 2, 2, "%}") == 0;
        if (opens && closes) jsonata_expression(pointer, text);
        else if (opens != closes && (opens || text.find("{%") != std::string::npos))
            error(pointer, code::kJsonataFraming, "unbalanced JSONata framing: \"" + text + "\" must both start with {% and end with %}");
    } else if (value.is_object()) {
        for (const auto& [key, item] : value.items()) jsonata_value(field(pointer, key), item);
    } else if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i) jsonata_value(index(pointer, i), value[i]);
    }
}

void Checker::path_or_intrinsic(const std::string& pointer, const model::Path& path) {
    if (jsonpath::looks_like_intrinsic(path.text)) {
        if (auto problem = jsonpath::check_intrinsic(path.text)) error(pointer, code::kIntrinsic, *problem);
        return;
    }
    this->path(pointer, path, true);
}

bool is_timestamp(std::string_view text) {
    static const std::regex pattern(
        R"(^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$)");
    return std::regex_match(text.begin(), text.end(), pattern);
}

}  // namespace sfn::asl::detail
