#pragma once
/// \file
/// The embedded service: an aws::Transport that dispatches Step Functions API calls to an in-process
/// server::Service (no sockets). Session::local() uses it.
///
/// **Example**
/// \code
///   auto transport = sfn::server::make_embedded_transport(sfn::server::default_service());
///   // hand `transport` to the AWS client; every request is answered by the local Service.
/// \endcode

#include "sfn/server/service.hpp"

#include <memory>

namespace sfn::aws {
class Transport;
}

namespace sfn::server {

/// A Transport whose send() answers each Step Functions request (X-Amz-Target + JSON body) with
/// `service`, exactly as `sfn serve` would over HTTP (same status codes, error shapes and headers).
/// \pre service != nullptr
[[nodiscard]] std::shared_ptr<aws::Transport> make_embedded_transport(std::shared_ptr<Service> service);

/// The process-wide default embedded service, created on first use: persisted in SQLite at
/// default_db_path() (created with its folders), real clock. Thread-safe.
/// \throws sfn::Error when the database cannot be opened.
[[nodiscard]] std::shared_ptr<Service> default_service();

/// A fresh in-memory service (nothing persisted), e.g. for tests and `--in-memory`.
[[nodiscard]] std::shared_ptr<Service> make_in_memory_service(ServiceOptions options = {});

}  // namespace sfn::server
