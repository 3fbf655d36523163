#pragma once
/// \file
/// sfn::Jsonata: a JSONata expression for the fields of JSONata states, parsed (with sfn::jsonata) when it is
/// built, so a syntax error is reported where it was written, with its position, not when the definition is
/// validated or deployed. It renders as the `{% ... %}` string ASL expects, and converts to JSON, so it can
/// sit anywhere inside an Arguments, Output or Assign template.
///
/// **Example**
/// \code
///   using namespace sfn::literals;
///   auto total = sfn::Pass("Total")
///                    .query_language(sfn::model::QueryLanguage::JSONata)
///                    .assign({{"count", "$count($states.input.items)"_jsonata}})
///                    .output({{"total", "$sum($states.input.items.price)"_jsonata}, {"currency", "EUR"}});
///   auto big = sfn::Choice("Big?").when("$states.input.total > 100"_jsonata, sfn::Succeed("Yes"));
///   sfn::Jsonata bad{"$states.input.x >"};   // throws builder::BuildError sfn.build.E011 (position 17)
/// \endcode

#include "sfn/model/common.hpp"

#include <string>
#include <string_view>

namespace sfn {

/// A JSONata expression whose syntax was checked on construction. A value type: copy and compare freely.
class Jsonata {
public:
    /// \param text the expression, bare (`$states.input.n + 1`) or already framed (`{% $states.input.n + 1 %}`);
    ///        surrounding blanks are ignored.
    /// \throws builder::BuildError sfn.build.E011 naming the expression, the position (a character offset into
    ///         the bare expression) and the JSONata error code, when `text` does not parse or is empty.
    explicit Jsonata(std::string_view text);

    /// The bare expression, e.g. `$states.input.n + 1`.
    [[nodiscard]] const std::string& text() const noexcept { return text_; }
    /// The ASL string: `{% $states.input.n + 1 %}`.
    [[nodiscard]] std::string str() const { return "{% " + text_ + " %}"; }
    /// The model's representation (the ASL string).
    [[nodiscard]] model::Expression to_model() const { return model::Expression{str()}; }

    /// A JSONata Choice condition true when both are: `(a) and (b)`.
    friend Jsonata operator&&(const Jsonata& a, const Jsonata& b);
    /// `(a) or (b)`.
    friend Jsonata operator||(const Jsonata& a, const Jsonata& b);
    /// `$not(a)`.
    friend Jsonata operator!(const Jsonata& a);

    friend bool operator==(const Jsonata&, const Jsonata&) = default;

private:
    struct Checked {};
    Jsonata(Checked, std::string text) : text_(std::move(text)) {}
    std::string text_;
};

/// ADL hooks: a Jsonata inside a JSON template becomes its `{% %}` string.
inline void to_json(nlohmann::json& j, const Jsonata& e) { j = e.str(); }
inline void to_json(nlohmann::ordered_json& j, const Jsonata& e) { j = e.str(); }

namespace builder {
/// `sfn::Jsonata(text)`, spelled as a function: `sfn::builder::jsonata("$states.input.n > 1")`.
/// \throws builder::BuildError sfn.build.E011 as Jsonata's constructor.
[[nodiscard]] inline Jsonata jsonata(std::string_view text) { return Jsonata(text); }
}  // namespace builder

inline namespace literals {
/// `"$states.input.n > 1"_jsonata`: a Jsonata checked when the literal is evaluated.
[[nodiscard]] inline Jsonata operator""_jsonata(const char* text, std::size_t size) {
    return Jsonata(std::string_view(text, size));
}
}  // namespace literals

}  // namespace sfn
