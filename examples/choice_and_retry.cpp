// Builds an order workflow with a Choice, a Retry and a Catch, and prints its ASL.
//
//   Validate Order (Lambda, retried on throttling) --catch States.ALL--> Notify Failure (SNS) --> Rejected
//        |
//   Paid? (Choice) --$.paid == true && $.total > 0--> Ship (SQS) --> Done (Succeed)
//        |                                              ^
//        +--$.express == true--> Express Ship (SQS) ----+
//        +--default------------> Rejected (Fail)

#include <sfn/builder/builder.hpp>

#include <iostream>

int main() {
    using sfn::Var;
    sfn::task_context() = {"111122223333", "us-east-1"};

    auto validate = sfn::actions::lambda_invoke("validate-order", {.id = "Validate Order"});
    auto rejected = sfn::Fail("Rejected").error("Order.Rejected").cause("the order was not paid");
    auto notify = sfn::actions::sns_publish("order-failures", {.id = "Notify Failure"});
    validate.add_retry(sfn::Retry{"Lambda.TooManyRequestsException"}.interval_seconds(1).max_attempts(5).backoff_rate(2))
        .add_catch(sfn::Catch({sfn::errors::ALL}, notify).result_path("$.error"));
    notify.next(rejected);

    auto ship = sfn::actions::sqs_send_message("shipping", {.id = "Ship"});
    auto express = sfn::actions::sqs_send_message("express-shipping", {.id = "Express Ship"});
    auto done = sfn::Succeed("Done");

    sfn::Workflow workflow;
    workflow.comment("Order processing: choice, retry and catch");
    workflow.start_from(validate).choice(
        {
            (Var("$.paid") == true && Var("$.total") > 0).next_then(ship),
            Var("$.express").boolean_equals(true).next_then(express),
        },
        {.default_state = rejected, .id = "Paid?"});
    workflow.continue_from(ship).next_then(done);
    workflow.continue_from(express).next_then(done);

    std::cout << workflow.serialize().dump(2) << '\n';
    return 0;
}
