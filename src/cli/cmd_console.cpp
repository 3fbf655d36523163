// `sfn console`: the web console for the embedded service's store (the one `Session::local()` and the
// commands without --endpoint-url use), on a loopback port; prints its address. The same server as
// `sfn serve`, so the API answers on that port too.
#include "cli/command.hpp"
#include "cli/serve.hpp"

#include "sfn/server/http_server.hpp"

namespace {

std::function<int()> setup(CLI::App& app) {
    auto args = std::make_shared<sfn::cli::ServeArgs>();
    args->port = sfn::server::default_console_port;
    app.description("Open the web console on the local store (http://127.0.0.1:8084/ unless --port says otherwise)");
    sfn::cli::add_serve_options(app, *args, false);
    return [args] { return sfn::cli::serve(*args, "sfn console"); };
}

sfn::cli::Registration reg{"console", setup};

}  // namespace
