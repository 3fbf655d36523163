#pragma once
/// \file
/// Umbrella header: every public header of every sfn component.
///
/// **Example**
/// \code
///   #include <sfn/sfn.hpp>
///   sfn::Workflow workflow;
///   workflow.start_from(sfn::Pass("Hello").result({{"message", "Hello Alice"}})).end();
///   std::cout << workflow.serialize().dump(2);
/// \endcode

// core
#include "sfn/core/error.hpp"
#include "sfn/core/value.hpp"
// jsonpath
#include "sfn/jsonpath/all.hpp"
// jsonata
#include "sfn/jsonata/expression.hpp"
// model
#include "sfn/model/model.hpp"
// asl
#include "sfn/asl/asl.hpp"
// build
#include "sfn/builder/builder.hpp"
// engine
#include "sfn/engine/clock.hpp"
#include "sfn/engine/error.hpp"
#include "sfn/engine/execution.hpp"
#include "sfn/engine/handlers.hpp"
#include "sfn/engine/history.hpp"
#include "sfn/engine/machine.hpp"
// aws
#include "sfn/aws/client.hpp"
#include "sfn/aws/credentials.hpp"
#include "sfn/aws/errors.hpp"
#include "sfn/aws/shapes.hpp"
#include "sfn/aws/sigv4.hpp"
#include "sfn/aws/sts.hpp"
#include "sfn/aws/transport.hpp"
// server
#include "sfn/server/embedded.hpp"
#include "sfn/server/error.hpp"
#include "sfn/server/http_server.hpp"
#include "sfn/server/service.hpp"
// session
#include "sfn/session/session.hpp"
#include "sfn/session/state_machine.hpp"
