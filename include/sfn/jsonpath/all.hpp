#pragma once
/// \file
/// Everything JSONPath-mode Step Functions evaluates: paths, reference paths, payload templates
/// and intrinsic functions.
#include "sfn/jsonpath/error.hpp"
#include "sfn/jsonpath/intrinsic.hpp"
#include "sfn/jsonpath/outcome.hpp"
#include "sfn/jsonpath/path.hpp"
#include "sfn/jsonpath/scope.hpp"
#include "sfn/jsonpath/template.hpp"
