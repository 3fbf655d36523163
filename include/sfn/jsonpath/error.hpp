#pragma once
/// \file
/// jsonpath::PathError: a path, template or intrinsic call that is malformed (found when it is
/// compiled, i.e. at definition time, never per execution).

#include <cstddef>
#include <string>

#include "sfn/core/error.hpp"

namespace sfn::jsonpath {

/// Thrown by Path::parse, Intrinsic::parse and Template::compile.
/// what() is "[<code>] <detail>"; detail() is the message without the code.
/// Codes (docs/errors.md):
///  - sfn.jsonpath.E001 malformed path            - sfn.jsonpath.E002 not a reference path
///  - sfn.jsonpath.E003 malformed intrinsic call  - sfn.jsonpath.E004 unknown intrinsic function
///  - sfn.jsonpath.E005 wrong intrinsic argument count or literal argument type
///  - sfn.jsonpath.E006 malformed payload template field
class PathError : public sfn::Error {
public:
    /// \param position 0-based character offset in the expression, or npos when not applicable
    PathError(std::string code, std::string detail, std::size_t position = npos)
        : sfn::Error(std::move(code), detail), detail_(std::move(detail)), position_(position) {}

    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    /// The message without the "[code] " prefix (for validators that add their own location).
    [[nodiscard]] const std::string& detail() const noexcept { return detail_; }
    /// 0-based offset of the problem in the expression text, or npos.
    [[nodiscard]] std::size_t position() const noexcept { return position_; }

private:
    std::string detail_;
    std::size_t position_;
};

}  // namespace sfn::jsonpath
