#include "sfn/builder/jsonata.hpp"

#include "builder/detail_graph.hpp"
#include "sfn/jsonata/expression.hpp"

#include <cctype>

namespace sfn {

namespace {

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// AWS frames an expression as a whole string "{% ... %}"; accept the frame so existing ASL text can be pasted.
std::string_view unframed(std::string_view s) {
    s = trimmed(s);
    if (s.size() >= 4 && s.substr(0, 2) == "{%" && s.substr(s.size() - 2) == "%}") s = trimmed(s.substr(2, s.size() - 4));
    return s;
}

}  // namespace

Jsonata::Jsonata(std::string_view text) : text_(unframed(text)) {
    if (text_.empty()) builder::detail::fail("E011", "empty JSONata expression '" + std::string(text) + "'");
    try {
        (void)jsonata::Expression::compile(text_);
    } catch (const jsonata::Error& e) {
        builder::detail::fail("E011", "invalid JSONata expression '" + text_ + "': " + e.code() + " at position " +
                                        std::to_string(e.position()) + ": " + e.message());
    }
}

Jsonata operator&&(const Jsonata& a, const Jsonata& b) { return Jsonata("(" + a.text_ + ") and (" + b.text_ + ")"); }
Jsonata operator||(const Jsonata& a, const Jsonata& b) { return Jsonata("(" + a.text_ + ") or (" + b.text_ + ")"); }
Jsonata operator!(const Jsonata& a) { return Jsonata("$not(" + a.text_ + ")"); }

namespace builder::detail {

void check_expressions(const model::Json& value, const std::string& where) {
    if (value.is_string()) {
        const auto& s = value.get_ref<const std::string&>();
        // Only a whole "{%...%}" string is an expression (AWS: surrounding blanks make it a literal).
        if (s.size() >= 4 && s.compare(0, 2, "{%") == 0 && s.compare(s.size() - 2, 2, "%}") == 0) {
            try {
                (void)Jsonata(s);
            } catch (const BuildError& e) {
                fail("E011", where + ": " + std::string(e.what()).substr(e.code().size() + 3));
            }
        }
        return;
    }
    if (value.is_object()) {
        for (const auto& [k, v] : value.items()) check_expressions(v, where + "/" + k);
    } else if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i) check_expressions(value[i], where + "/" + std::to_string(i));
    }
}

}  // namespace builder::detail
}  // namespace sfn
