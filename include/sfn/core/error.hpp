#pragma once
/// \file
/// The root of sfn's exception hierarchy. Every library domain derives its one exception type from
/// sfn::Error; messages start with a stable code, e.g. "[sfn.asl.E012] /States/Wait/Seconds: ...".

#include <stdexcept>
#include <string>
#include <string_view>

namespace sfn {

/// Base of every exception sfn throws on purpose.
class Error : public std::runtime_error {
public:
    /// \param code a stable identifier such as "sfn.asl.E012" (listed in docs/errors.md)
    /// \param message what went wrong and where
    Error(std::string code, const std::string& message)
        : std::runtime_error("[" + code + "] " + message), code_(std::move(code)) {}

    /// The stable code, without brackets.
    [[nodiscard]] const std::string& code() const noexcept { return code_; }

private:
    std::string code_;
};

}  // namespace sfn
