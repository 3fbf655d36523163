#pragma once
/// \file
/// Umbrella header of the asl component: parse, serialize, validate.

#include "sfn/asl/diagnostic.hpp"
#include "sfn/asl/parse.hpp"
#include "sfn/asl/serialize.hpp"
#include "sfn/asl/validate.hpp"
