#include "sfn/builder/path.hpp"

#include "sfn/jsonpath/path.hpp"

namespace sfn {

// The jsonpath component owns the grammar; the builder only refuses bad text early, so that the
// mistake is reported where the user wrote it rather than when the definition is validated.
Path::Path(std::string_view text) : text_((static_cast<void>(jsonpath::Path::parse(text)), std::string(text))) {}

ReferencePath::ReferencePath(std::string_view text)
    : Path(Checked{}, (static_cast<void>(jsonpath::Path::parse_reference(text)), std::string(text))) {}

}  // namespace sfn
