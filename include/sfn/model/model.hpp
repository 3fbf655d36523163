#pragma once
/// \file
/// Umbrella header of the ASL model.

#include "sfn/model/choice_rule.hpp"
#include "sfn/model/common.hpp"
#include "sfn/model/error_handling.hpp"
#include "sfn/model/state.hpp"
#include "sfn/model/state_machine.hpp"
