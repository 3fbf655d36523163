#pragma once
/// \file
/// Umbrella header of the build component: the fluent workflow builder and canned task actions.

#include "sfn/build/actions.hpp"
#include "sfn/build/chain.hpp"
#include "sfn/build/choice.hpp"
#include "sfn/build/condition.hpp"
#include "sfn/build/errors.hpp"
#include "sfn/build/jsonata.hpp"
#include "sfn/build/parallel.hpp"
#include "sfn/build/path.hpp"
#include "sfn/build/retry.hpp"
#include "sfn/build/state.hpp"
#include "sfn/build/states.hpp"
#include "sfn/build/workflow.hpp"
