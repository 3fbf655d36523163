#pragma once
// sfn::detail::Overloaded: a visitor made of lambdas, one per alternative of a std::variant
// (`std::visit(Overloaded{[](const A&) {...}, [](const B&) {...}}, v)`).

namespace sfn::detail {

template <class... Fs>
struct Overloaded : Fs... {
    using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

}  // namespace sfn::detail
