#pragma once
/// \file
/// Compatibility header, kept for one release: the builder component was called `build` until sfn 0.2
/// (`<sfn/build/build.hpp>`, namespace `sfn::build`, CMake target `sfn::build`). Include
/// `<sfn/builder/builder.hpp>` and link `sfn::builder` instead; `sfn::build` is an alias of `sfn::builder`.

#include "sfn/builder/builder.hpp"

namespace sfn {
namespace build = builder;  // NOLINT(misc-unused-alias-decls): the old name, for one release
}  // namespace sfn
