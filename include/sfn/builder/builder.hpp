#pragma once
/// \file
/// Umbrella header of the build component: the fluent workflow builder and canned task actions.

#include "sfn/builder/actions.hpp"
#include "sfn/builder/chain.hpp"
#include "sfn/builder/choice.hpp"
#include "sfn/builder/condition.hpp"
#include "sfn/builder/errors.hpp"
#include "sfn/builder/jsonata.hpp"
#include "sfn/builder/parallel.hpp"
#include "sfn/builder/path.hpp"
#include "sfn/builder/retry.hpp"
#include "sfn/builder/state.hpp"
#include "sfn/builder/states.hpp"
#include "sfn/builder/workflow.hpp"
